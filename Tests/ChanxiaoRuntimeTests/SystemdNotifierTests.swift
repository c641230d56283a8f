import ChanxiaoRuntime
import Foundation
import Testing

@Suite struct SystemdNotifierTests {
    static func socketPath() -> String {
        NSTemporaryDirectory() + "chanxiao-notify-\(UUID().uuidString.prefix(8)).sock"
    }

    @Test("messages reach a socket named by a path, as KEY=VALUE lines")
    func pathSocket() throws {
        let listener = try NotifySocketListener(address: Self.socketPath())
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        #expect(notifier.isActive)
        notifier.ready(status: "serving")
        let message = try #require(listener.receive(timeout: 2))
        #expect(message.hasPrefix("READY=1\nSTATUS=serving\nMAINPID="))
        notifier.watchdog()
        #expect(listener.receive(timeout: 2) == "WATCHDOG=1")
        notifier.stopping(status: "bye")
        #expect(listener.receive(timeout: 2) == "STOPPING=1\nSTATUS=bye")
    }

    @Test("an abstract socket is written with a leading @")
    func abstractSocket() throws {
        let listener = try NotifySocketListener(address: "@chanxiao-test-\(UUID().uuidString.prefix(8))")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address])
        notifier.reloading(status: "reloading")
        let message = try #require(listener.receive(timeout: 2))
        let lines = message.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        #expect(lines.contains("STATUS=reloading"))
        #expect(lines.contains { $0.hasPrefix("MONOTONIC_USEC=") && UInt64($0.dropFirst("MONOTONIC_USEC=".count)) != nil })
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails")
    func inactive() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isActive)
        #expect(!notifier.send([("READY", "1")]))
        #expect(notifier.watchdogInterval == nil)
    }

    @Test("a socket nobody listens on fails quietly")
    func nobodyListening() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": Self.socketPath()])
        #expect(!notifier.send([("READY", "1")]))
    }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, only for this process",
        arguments: [
            (["WATCHDOG_USEC": "30000000"], Duration?.some(.seconds(15))),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"], Duration?.some(.seconds(15))),
            (["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], nil),
            (["WATCHDOG_USEC": "0"], nil),
            (["WATCHDOG_USEC": "soon"], nil),
            ([:], nil),
        ]
    )
    func watchdogInterval(environment: [String: String], expected: Duration?) {
        var environment = environment
        environment["NOTIFY_SOCKET"] = "/run/systemd/notify"
        #expect(SystemdNotifier(environment: environment, pid: 4242).watchdogInterval == expected)
    }
}
