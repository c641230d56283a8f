import Foundation
import Testing

/// systemd/chanxiao.service passes `systemd-analyze verify` (where systemd is installed). The
/// unit names /usr/local/bin/chanxiao; the test points that one path at the built executable,
/// because verify insists that ExecStart exists.
@Suite struct SystemdUnitTests {
    static let analyzer = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyzer != nil, "systemd-analyze is not installed"))
    func theUnitVerifies() throws {
        let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/chanxiao.service")
        let text = try String(contentsOf: unit, encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/chanxiao serve --config /etc/chanxiao/chanxiao.yaml"))
        #expect(text.contains("StateDirectory=chanxiao"))
        #expect(text.contains("Restart=on-failure"))

        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("chanxiao.service", text.replacingOccurrences(of: "/usr/local/bin/chanxiao", with: CLIRunner.executable.path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.analyzer!)
        process.arguments = ["verify", cli.path("chanxiao.service")]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.isEmpty, "\(report)")
    }
}
