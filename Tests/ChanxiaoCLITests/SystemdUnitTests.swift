import Foundation
import Testing

/// systemd/chanxiao.service passes `systemd-analyze verify` and stays hardened
/// (`systemd-analyze security` exposure at most 2.0) where systemd is installed, and
/// scripts/install.sh stages a complete installation and never overwrites a configuration.
@Suite struct SystemdUnitTests {
    static let analyzer = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let unit = root.appendingPathComponent("systemd/chanxiao.service")
    static let installScript = root.appendingPathComponent("scripts/install.sh")

    /// Runs a program to its end; standard output and error together.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o7777
    }

    @Test(.enabled(if: analyzer != nil, "systemd-analyze is not installed"))
    func theUnitVerifies() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/chanxiao serve --config /etc/chanxiao/chanxiao.yaml"))
        #expect(text.contains("StateDirectory=chanxiao"))
        #expect(text.contains("Restart=on-failure"))
        let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for directive in [
            "Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "ExecReload=/bin/kill -HUP $MAINPID",
            "User=chanxiao", "Group=chanxiao", "TimeoutStopSec=40s", "ConfigurationDirectory=chanxiao",
        ] {
            #expect(lines.contains(directive), "missing \(directive)")
        }

        // verify insists that ExecStart exists: point that one path at the built executable.
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("chanxiao.service", text.replacingOccurrences(of: "/usr/local/bin/chanxiao", with: CLIRunner.executable.path))
        let (status, report) = try Self.run(Self.analyzer!, ["verify", cli.path("chanxiao.service")])
        #expect(status == 0, "\(report)")
        #expect(report.isEmpty, "\(report)")
    }

    @Test(.enabled(if: analyzer != nil, "systemd-analyze is not installed"))
    func theUnitIsHardened() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("chanxiao.service", try String(contentsOf: Self.unit, encoding: .utf8))
        let (status, report) = try Self.run(Self.analyzer!, ["security", "--offline=true", "--no-pager", cli.path("chanxiao.service")])
        #expect(status == 0, "\(report)")
        // "→ Overall exposure level for chanxiao.service: 1.1 OK 🙂"
        let line = report.split(separator: "\n").first { $0.contains("Overall exposure level for") }
        let number = line.flatMap { $0.split(separator: ":").last?.split(separator: " ").first }.flatMap { Double($0) }
        #expect(number != nil, "no overall exposure line in:\n\(report)")
        if let number {
            #expect(number <= 2.0, "exposure \(number) is above 2.0:\n\(report)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/env"), "no /usr/bin/env for the script"))
    func theInstallScriptStagesAnInstallationAndKeepsTheConfiguration() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let stage = cli.path("stage")
        let arguments = ["--destdir", stage, "--binary", CLIRunner.executable.path]

        let first = try Self.run(Self.installScript.path, arguments)
        #expect(first.status == 0, "\(first.output)")
        let binary = stage + "/usr/local/bin/chanxiao"
        let config = stage + "/etc/chanxiao/chanxiao.yaml"
        let unit = stage + "/etc/systemd/system/chanxiao.service"
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(try Self.mode(binary) == 0o755)
        #expect(try Self.mode(config) == 0o640)
        #expect(try Self.mode(unit) == 0o644)
        #expect(try Self.mode(stage + "/etc/chanxiao") == 0o755)
        let defaultConfig = try String(contentsOf: Self.root.appendingPathComponent("config/chanxiao.yaml"), encoding: .utf8)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == defaultConfig)
        #expect(try String(contentsOfFile: unit, encoding: .utf8) == String(contentsOf: Self.unit, encoding: .utf8))
        #expect(!FileManager.default.fileExists(atPath: config + ".new"))

        // Again, after a local change: the configuration stays, the new default goes beside it.
        let changed = defaultConfig + "# a local change\n"
        try changed.write(toFile: config, atomically: false, encoding: .utf8)
        let second = try Self.run(Self.installScript.path, arguments)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("chanxiao.yaml.new"), "\(second.output)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == changed)
        #expect(try String(contentsOfFile: config + ".new", encoding: .utf8) == defaultConfig)
        #expect(try Self.mode(config + ".new") == 0o640)
        #expect(try Self.mode(binary) == 0o755)
        #expect(try Self.mode(unit) == 0o644)
    }

    @Test func theInstallScriptWantsRootOrADestdir() throws {
        let help = try Self.run(Self.installScript.path, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--destdir"))
        let unknown = try Self.run(Self.installScript.path, ["--no-such-option"])
        #expect(unknown.status != 0)
        // Without --destdir a non-root user is refused before anything is built or installed.
        if getuid() != 0 {
            let refused = try Self.run(Self.installScript.path, ["--binary", CLIRunner.executable.path])
            #expect(refused.status != 0)
            #expect(refused.output.contains("run as root"), "\(refused.output)")
        }
    }
}
