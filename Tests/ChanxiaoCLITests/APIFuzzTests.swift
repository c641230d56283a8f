import Foundation
import Testing

/// The bad-input proof in its quick mode: `reliability/api_fuzz.py` runs schemathesis against
/// `chanxiao serve --demo` with docs/openapi.yaml (no 5xx, answers as documented, bad input
/// refused with a problem naming the field). Without python3 or schemathesis the test fails
/// and says what to install; it never skips.
@Suite(.serialized) struct APIFuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("reliability/api_fuzz.py")
    /// The quick mode takes about a minute on two busy cores; past this the run is stuck.
    static let deadline: TimeInterval = 300

    @Test func theAPIRefusesBadInputAsDocumented() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: CLIRunner.executable.path),
            "no chanxiao beside the test bundle at \(CLIRunner.executable.path); run swift build --build-tests"
        )
        try #require(FileManager.default.fileExists(atPath: Self.script.path), "the fuzz script is missing at \(Self.script.path)")

        // One file for stdout and stderr: a pipe left unread could fill and stall the script.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-api-fuzz-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, CLIRunner.executable.path, "quick"]
        process.currentDirectoryURL = Self.root
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CHANXIAO_") }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()

        let started = Date()
        while process.isRunning, Date().timeIntervalSince(started) < Self.deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }  // the script stops its daemon on SIGTERM
        process.waitUntilExit()
        try output.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""

        switch process.terminationStatus {
        case _ where timedOut:
            Issue.record("reliability/api_fuzz.py quick ran over \(Int(Self.deadline)) s and was stopped:\n\(text)")
        case 0:
            #expect(text.contains("api_fuzz: passed"), "\(text)")
        case 2:
            Issue.record(
                "the API fuzz test needs the Python package schemathesis: python3 -m pip install schemathesis (\(text.trimmingCharacters(in: .whitespacesAndNewlines)))"
            )
        case 127:
            Issue.record("python3 is not installed, and the API fuzz test needs it with schemathesis (python3 -m pip install schemathesis): \(text)")
        default:
            Issue.record("reliability/api_fuzz.py quick failed (exit \(process.terminationStatus)); rerun it by hand to see each case:\n\(text)")
        }
    }
}
