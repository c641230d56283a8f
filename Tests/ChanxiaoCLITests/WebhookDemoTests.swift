import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The daemon as a user runs it: `serve --demo` with a loopback receiver allowlisted. A
/// registered endpoint gets signed `match.proposed` events from a match run, which Python's
/// `standardwebhooks` verifies; after `kill -9` the events still owed are delivered by the
/// next start.
@Suite(.serialized) struct WebhookDemoTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scripts")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A started process and the first line it printed.
    static func start(_ process: Process, until marker: String) throws -> String {
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains(marker) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure(description: "the process ended before printing \(marker): \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    static func receiver(_ cli: CLIRunner, port: Int = 0) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts.appendingPathComponent("webhook_receiver.py").path, cli.path("received.jsonl"), String(port)]
        let first = try start(process, until: "\n")
        guard let port = Int(first.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "the receiver printed \(first)")
        }
        return (process, port)
    }

    static func serve(_ cli: CLIRunner) throws -> (Process, url: String, token: String) {
        let process = cli.process(
            ["serve", "--demo", "--port", "0", "--database", "demo.sqlite"],
            environment: [
                "CHANXIAO_WEBHOOKS_ALLOWLIST": "127.0.0.1", "CHANXIAO_WEBHOOKS_POLL_INTERVAL_MS": "50",
                // Retries every second for ten minutes: the events owed while the receiver is down must
                // still be owed when the daemon is killed, however slowly a busy machine gets there.
                "CHANXIAO_WEBHOOKS_RETRY_SCHEDULE": Array(repeating: "1s", count: 600).joined(separator: ","),
                "CHANXIAO_WEBHOOKS_RETRY_JITTER": "0", "CHANXIAO_MATCHING_SCHEDULE_ENABLED": "false",
            ]
        )
        let banner = try start(process, until: "try: curl")
        let lines = banner.split(separator: "\n")
        guard let url = lines.first?.split(separator: " ").last.map(String.init),
            let token = lines.first(where: { $0.hasPrefix("demo admin token: ") })?.split(separator: " ").last.map(String.init)
        else { throw Failure(description: "unexpected banner: \(banner)") }
        return (process, url, token)
    }

    static func call(_ method: String, _ url: String, token: String, json: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        // Every state-changing POST says it is JSON, body or not.
        if json != nil || method == "POST" { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let json { request.httpBody = Data(json.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// The requests the receiver wrote so far.
    static func received(_ cli: CLIRunner) -> [[String: Any]] {
        let text = (try? String(contentsOfFile: cli.path("received.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func waitFor(_ cli: CLIRunner, atLeast count: Int, seconds: Double = 180) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        // Checked once more after the deadline, for a test thread that wakes late.
        while true {
            let received = Self.received(cli)
            if received.count >= count { return received }
            if Date() >= deadline { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "the receiver got \(Self.received(cli).count) of \(count) requests in \(seconds) s")
    }

    /// Each request verified by the standardwebhooks package with `secret`.
    static func verify(_ requests: [[String: Any]], secret: String, cli: CLIRunner) throws -> [[String: Any]] {
        let cases = requests.map { ["secret": secret, "headers": $0["headers"] ?? [:], "body": $0["body"] ?? ""] }
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: cli.path("cases.json")))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts.appendingPathComponent("verify_webhook.py").path, cli.path("cases.json")]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "the standardwebhooks check failed (exit \(process.terminationStatus)); pip install standardwebhooks: \(stderr)"
            )
        }
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    @Test func aMatchRunDeliversSignedEventsThatSurviveKill9() async throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        var (receiver, port) = try Self.receiver(cli)
        // SIGKILL: a child started from a test thread may inherit a mask that blocks SIGTERM.
        defer { if receiver.isRunning { kill(receiver.processIdentifier, SIGKILL) } }
        var (daemon, url, token) = try Self.serve(cli)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        let (status, endpoint) = try await Self.call(
            "POST",
            url + "/v1/webhook-endpoints",
            token: token,
            json: """
                {"url":"http://127.0.0.1:\(port)/hooks","event_types":["match.proposed"],"description":"demo receiver"}
                """
        )
        #expect(status == 201)
        let secret = try #require(endpoint["secret"] as? String)
        let (runStatus, run) = try await Self.call("POST", url + "/v1/match-runs", token: token)
        #expect(runStatus == 201)
        let proposals = try #require(run["proposals"] as? Int)
        #expect(proposals > 0)

        let first = try await Self.waitFor(cli, atLeast: proposals)
        #expect(first.count == proposals)
        let verified = try Self.verify(first, secret: secret, cli: cli)
        #expect(verified.count == proposals)
        #expect(verified.allSatisfy { $0["ok"] as? Bool == true && $0["type"] as? String == "match.proposed" })

        // The receiver goes away; a second run's events wait in the outbox; the daemon is killed.
        kill(receiver.processIdentifier, SIGKILL)
        receiver.waitUntilExit()
        let (_, second) = try await Self.call("POST", url + "/v1/match-runs", token: token)
        let more = try #require(second["proposals"] as? Int)
        try await Task.sleep(for: .milliseconds(500))
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(Self.received(cli).count == proposals)

        // Both come back: every owed event arrives, each once per id as far as the outbox knows.
        (receiver, port) = try Self.receiver(cli, port: port)
        (daemon, url, token) = try Self.serve(cli)
        let all = try await Self.waitFor(cli, atLeast: proposals + more)
        let ids = Set(all.compactMap { ($0["headers"] as? [String: String])?["webhook-id"] })
        #expect(ids.count == proposals + more)
        #expect(try Self.verify(Array(all.suffix(more)), secret: secret, cli: cli).allSatisfy { $0["ok"] as? Bool == true })
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }
}
