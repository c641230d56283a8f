import Foundation
import Testing

/// The quick variant of the crash-safety suite: `reliability/crash.py` runs the built daemon
/// under a workload, kills it with SIGKILL ten times, and checks after each restart that every
/// acknowledged write survived, nothing is over-allocated and the outbox still owes every
/// event; at the end every event must have reached its endpoints. The full run (100 kills) is
/// `python3 reliability/crash.py`.
@Suite(.serialized) struct CrashSafetyTests {
    /// The package root: this file is Tests/ChanxiaoCLITests/CrashSafetyTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Output collected from a reader thread, so that a full pipe never stalls the script.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        private var done = false

        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        func finish() { lock.withLock { done = true } }
        var finished: Bool { lock.withLock { done } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    @Test func tenKillsUnderLoadLoseNothing() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The script removes its state directory after a clean run and names it otherwise.
        process.arguments = [
            "python3", Self.root.appendingPathComponent("reliability/crash.py").path, "--kills", "10",
            "--binary", CLIRunner.executable.path, "--drain-timeout", "40",
        ]
        process.currentDirectoryURL = Self.root
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CHANXIAO_") && $0.key != "STATE_DIRECTORY" }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = Output()
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                output.append(chunk)
            }
            output.finish()
        }

        // A bound well below the CI budget: past it the script is asked to stop (it then kills its
        // daemon and prints what it has), and killed if it does not.
        let pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(100)
        var signalled = false
        while process.isRunning {
            if !signalled, Date() > deadline {
                kill(pid, SIGTERM)
                signalled = true
            } else if signalled, Date() > deadline.addingTimeInterval(20) {
                kill(pid, SIGKILL)
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.waitUntilExit()
        let drained = Date().addingTimeInterval(5)
        while !output.finished, Date() < drained { Thread.sleep(forTimeInterval: 0.05) }

        #expect(!signalled, "crash.py did not finish within 100 s:\n\(output.text)")
        #expect(process.terminationStatus == 0, "crash.py exited with status \(process.terminationStatus):\n\(output.text)")
        #expect(output.text.contains("losses                  0"), "\(output.text)")
    }
}
