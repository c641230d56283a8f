import ChanxiaoRuntime
import Foundation
import GRDB
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The daemon under a stand-in for systemd: a notify socket the test binds, a watchdog of
/// 0.4 s with a 5 s grace, SIGHUP reloads (a good file and a bad one), a database another process locks, and
/// SIGTERM — checking the sd_notify messages in order.
@Suite(.serialized) struct DaemonLifecycleTests {
    /// Collects notify messages on a thread of its own until stopped.
    final class Inbox: @unchecked Sendable {
        let listener: NotifySocketListener
        private let lock = NSLock()
        private var messages: [(at: Date, text: String)] = []
        private var running = true

        init() throws {
            listener = try NotifySocketListener(address: "@chanxiao-test-\(UUID().uuidString.prefix(12))")
            Thread.detachNewThread { [self] in
                while lock.withLock({ running }) {
                    if let text = listener.receive(timeout: 0.1) { lock.withLock { messages.append((Date(), text)) } }
                }
            }
        }

        func stop() { lock.withLock { running = false } }
        var all: [(at: Date, text: String)] { lock.withLock { messages } }
        /// Everything but watchdog pings, in order.
        var states: [String] { all.map(\.text).filter { $0 != "WATCHDOG=1" } }
        func pings(since: Date) -> Int { all.filter { $0.at >= since && $0.text == "WATCHDOG=1" }.count }

        /// Waits until `condition` holds over the messages, up to `seconds`.
        func wait(seconds: Double = 30, _ what: String, until condition: ([String]) -> Bool) async throws {
            let deadline = Date().addingTimeInterval(seconds)
            // Checked once more after the deadline: a test thread starved by the rest of the
            // suite may wake past it with the message long since arrived.
            while true {
                if condition(all.map(\.text)) { return }
                if Date() >= deadline { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw WebhookDemoTests.Failure(description: "waited \(seconds) s for \(what); got \(states)")
        }
    }

    static func configHash(_ url: String, token: String) async throws -> String {
        var request = URLRequest(url: URL(string: url + "/v1/admin/config")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["hash"] as? String ?? ""
    }

    @Test func theDaemonSpeaksSdNotifyAroundReloadsHangsAndStop() async throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("chanxiao.yaml", "logging:\n  level: info\n")
        let created = try cli.run("token", "create", "--role", "admin", "--database", "db.sqlite")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inbox = try Inbox()
        defer { inbox.stop() }

        let process = cli.process(
            ["serve", "--config", cli.path("chanxiao.yaml"), "--database", "db.sqlite", "--port", "0"],
            environment: [
                "NOTIFY_SOCKET": inbox.listener.address, "WATCHDOG_USEC": "400000", "CHANXIAO_DATABASE_BUSY_TIMEOUT_MS": "100",
                "CHANXIAO_WATCHDOG_STALL_SECONDS": "5",
                "CHANXIAO_MATCHING_SCHEDULE_ENABLED": "false", "CHANXIAO_REPORTS_WEEKLY_ENABLED": "false",
            ]
        )
        let banner = try WebhookDemoTests.start(process, until: "database:")
        defer { if process.isRunning { process.terminate() } }
        let url = try #require(banner.split(separator: "\n").first?.split(separator: " ").last.map(String.init))

        // READY=1 first, then the watchdog is fed at half of WATCHDOG_USEC.
        try await inbox.wait("READY=1") { $0.contains { $0.hasPrefix("READY=1") } }
        let first = try #require(inbox.states.first)
        #expect(first.hasPrefix("READY=1\nSTATUS=serving on 127.0.0.1:"))
        #expect(first.contains("\nMAINPID=\(process.processIdentifier)"))
        #expect(inbox.all.first?.text.hasPrefix("READY=1") == true, "no ping before READY")
        try await inbox.wait("three pings") { $0.filter { $0 == "WATCHDOG=1" }.count >= 3 }
        let initialHash = try await Self.configHash(url, token: token)

        // A good file: RELOADING=1, then READY=1 with the new configuration in force.
        try cli.write("chanxiao.yaml", "logging:\n  level: debug\n")
        kill(process.processIdentifier, SIGHUP)
        try await inbox.wait("the reload") { $0.filter { $0.hasPrefix("READY=1") }.count >= 2 }
        let applied = try await Self.configHash(url, token: token)
        #expect(applied != initialHash)

        // A bad file: the same two messages, and the configuration in force stays.
        try cli.write("chanxiao.yaml", "logging:\n  level: chatty\n")
        kill(process.processIdentifier, SIGHUP)
        try await inbox.wait("the refused reload") { $0.filter { $0.hasPrefix("READY=1") }.count >= 3 }
        #expect(try await Self.configHash(url, token: token) == applied)
        let reloads = inbox.states.filter { !$0.hasPrefix("STATUS=") }
        #expect(reloads.count == 5, "\(reloads)")
        #expect(reloads[1].hasPrefix("RELOADING=1\nSTATUS=reloading the configuration (SIGHUP)\nMONOTONIC_USEC="))
        #expect(reloads[2].hasPrefix("READY=1\nSTATUS=serving; configuration ") && reloads[2].contains("configuration applied"))
        #expect(reloads[3].hasPrefix("RELOADING=1"))
        #expect(reloads[4].contains("configuration rejected"))

        // Another process holds the write lock: the database is not writable, and once that has
        // lasted longer than watchdog.stall_seconds (5 s here) the pings stop.
        var lockerConfiguration = Configuration()
        lockerConfiguration.allowsUnsafeTransactions = true  // the test holds the lock across accesses on purpose
        let locker = try DatabaseQueue(path: cli.path("db.sqlite"), configuration: lockerConfiguration)
        try await locker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        try await inbox.wait("the not-ready status") { $0.contains { $0.hasPrefix("STATUS=not ready: the database is not writable") } }
        let stalled = Date()
        try await Task.sleep(for: .seconds(1.5))
        #expect(inbox.pings(since: stalled) == 0, "the watchdog must starve while the database is locked")
        try await locker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        let released = Date()
        try await inbox.wait("pings again") { _ in inbox.pings(since: released) >= 2 }

        // SIGTERM: STOPPING=1 at once, then a clean exit.
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        try await inbox.wait("STOPPING=1") { $0.contains { $0.hasPrefix("STOPPING=1") } }
    }
}
