import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Testing

@testable import ChanxiaoWebhookDelivery

/// Answers for host names without DNS: the names an attacker would register, each mapped to
/// the addresses the test chooses. Unknown names do not resolve.
struct TestResolver: HostResolving {
    var answers: [String: [String]]
    /// Names whose lookup never ends (until cancelled).
    var hanging: Set<String> = []

    static let hostile = TestResolver(
        answers: [
            "localhost": ["127.0.0.1", "::1"],
            "localhost.": ["127.0.0.1", "::1"],
            "127.0.0.1.nip.io": ["127.0.0.1"],
            "loopback6.example": ["::1"],
            "metadata.google.internal": ["169.254.169.254"],
            "internal.example": ["10.0.0.5"],
            "mapped.example": ["::ffff:192.168.1.1"],
            "nat64.example": ["64:ff9b::a9fe:a9fe"],
            // One public and one private answer: any internal address refuses the name.
            "mixed.example": ["93.184.216.34", "10.0.0.5"],
            "mixed6.example": ["2606:2800:220:1:248:1893:25c8:1946", "fd00::5"],
            "nowhere.example": [],
            // Public, so only the scheme can refuse URLs that name it.
            "hooks.example.com": ["93.184.216.34"],
            // An IDN host: the client connects to the ASCII form, so that is the one to judge.
            "xn--nxasmq6b.example": ["127.0.0.1"],
            "βόλοσ.example": ["93.184.216.34"],
        ],
        hanging: ["tarpit.example"]
    )

    struct NoSuchHost: Error, CustomStringConvertible {
        let host: String
        var description: String { "cannot resolve \(host): no such host (test resolver)" }
    }

    func resolve(_ host: String) async throws -> [IPAddress] {
        if hanging.contains(host) { try await Task.sleep(for: .seconds(3600)) }
        guard let answer = answers[host.lowercased()] else { throw NoSuchHost(host: host) }
        return answer.compactMap(IPAddress.parseHost)
    }
}

/// A webhook URL an attacker could register, and what the guard must say about it.
struct HostileURL: Sendable, CustomTestStringConvertible {
    /// `{4}` stands for the canary's port on 127.0.0.1, `{6}` for its port on ::1, `{unix}` for
    /// its Unix socket path and `{unix%}` for that path percent-encoded as a host.
    var template: String
    /// What the refusal must say.
    var reason: String
    /// Allowlist entries under which the URL reaches the canary; nil when no receiver can exist
    /// there (not loopback, or not connectable).
    var allowlist: [String]?

    init(_ template: String, _ reason: String, allowlist: [String]? = nil) {
        self.template = template
        self.reason = reason
        self.allowlist = allowlist
    }

    var testDescription: String { template }

    func url(_ canary: RawServer, unix: String) -> String {
        template.replacingOccurrences(of: "{4}", with: "\(canary.port("127.0.0.1"))")
            .replacingOccurrences(of: "{6}", with: "\(canary.port("::1"))")
            .replacingOccurrences(of: "{unix%}", with: unix.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? unix)
            .replacingOccurrences(of: "{unix}", with: unix)
    }
}

/// The address guard, proven through the real `GuardedHTTPSender`: every hostile URL is
/// refused with a message naming the reason while a canary receiver on loopback (IPv4, IPv6
/// and a Unix socket) sees no connection and no request; allowlisted, the loopback ones reach it.
///
/// Serialized, so that a hundred canaries and clients do not start at once on a busy machine.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SSRFTests {
    static let loopback = "is a loopback address (127.0.0.0/8)"

    static let cases: [HostileURL] = [
        // Loopback, literally and in every disguise resolvers accept.
        .init("http://127.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127.255.255.254:{4}/hook", "refused: 127.255.255.254 " + loopback),
        .init("http://127.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("HTTP://127.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://2130706433:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://0x7f000001:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://0x7f.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://0x7f.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://0177.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://017700000001:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://0177.0x0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127.000.000.001:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://%31%32%37.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://１２７.０.０.１:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127。0。0。1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127.0.0.1.:{4}/hook", "refused: 127.0.0.1 " + loopback),
        // 0.0.0.0 reaches the local host on Linux; the connection then reports 127.0.0.1.
        .init("http://0.0.0.0:{4}/hook", #"refused: 0.0.0.0 is a "this network" address (0.0.0.0/8)"#, allowlist: ["0.0.0.0", "127.0.0.1"]),
        .init("http://0:{4}/hook", #"refused: 0.0.0.0 is a "this network" address (0.0.0.0/8)"#, allowlist: ["0.0.0.0", "127.0.0.1"]),
        .init("http://[::1]:{6}/hook", "refused: ::1 is the loopback address (::1/128)", allowlist: ["::1"]),
        .init("http://[0:0:0:0:0:0:0:1]:{6}/hook", "refused: ::1 is the loopback address (::1/128)", allowlist: ["::1"]),
        .init("http://[::]:{6}/hook", "refused: :: is the unspecified address (::/128)", allowlist: ["::", "::1"]),
        .init(
            "http://[::ffff:127.0.0.1]:{4}/hook",
            "refused: ::ffff:127.0.0.1 is an IPv4-mapped address (::ffff:0.0.0.0/96) of 127.0.0.1, which " + loopback,
            allowlist: ["127.0.0.1"]
        ),
        .init(
            "http://[::ffff:7f00:1]:{4}/hook",
            "refused: ::ffff:127.0.0.1 is an IPv4-mapped address (::ffff:0.0.0.0/96) of 127.0.0.1, which " + loopback,
            allowlist: ["127.0.0.1"]
        ),
        .init("http://[::127.0.0.1]:{4}/hook", "refused: ::7f00:1 is an IPv4-compatible address (::/96) of 127.0.0.1, which " + loopback),
        // Host names, answered by the test resolver.
        .init("http://localhost:{4}/hook", "refused: localhost resolves to 127.0.0.1 " + loopback, allowlist: ["127.0.0.1", "::1"]),
        .init("http://LOCALHOST:{4}/hook", "refused: LOCALHOST resolves to 127.0.0.1 " + loopback, allowlist: ["127.0.0.1", "::1"]),
        .init("http://localhost.:{4}/hook", "refused: localhost. resolves to 127.0.0.1 " + loopback),
        .init("http://127.0.0.1.nip.io:{4}/hook", "refused: 127.0.0.1.nip.io resolves to 127.0.0.1 " + loopback),
        .init("http://loopback6.example:{6}/hook", "refused: loopback6.example resolves to ::1 is the loopback address (::1/128)"),
        .init("http://internal.example:{4}/hook", "refused: internal.example resolves to 10.0.0.5 is a private address (10.0.0.0/8)"),
        .init("http://mixed.example:{4}/hook", "refused: mixed.example resolves to 10.0.0.5 is a private address (10.0.0.0/8)"),
        .init("http://mixed6.example:{4}/hook", "refused: mixed6.example resolves to fd00::5 is a unique local address (fc00::/7)"),
        .init("http://mapped.example:{4}/hook", "refused: mapped.example resolves to ::ffff:192.168.1.1 is an IPv4-mapped address"),
        .init("http://nowhere.example:{4}/hook", "refused: nowhere.example resolves to no address"),
        .init("http://xn--nxasmq6b.example:{4}/hook", "refused: xn--nxasmq6b.example resolves to 127.0.0.1 " + loopback),
        .init("http://unknown.example:{4}/hook", "cannot resolve unknown.example"),
        // Private.
        .init("http://10.0.0.1:{4}/hook", "refused: 10.0.0.1 is a private address (10.0.0.0/8)"),
        .init("http://10.255.255.254:{4}/hook", "refused: 10.255.255.254 is a private address (10.0.0.0/8)"),
        .init("http://10.1:{4}/hook", "refused: 10.0.0.1 is a private address (10.0.0.0/8)"),
        .init("http://172.16.0.1:{4}/hook", "refused: 172.16.0.1 is a private address (172.16.0.0/12)"),
        .init("http://172.31.255.254:{4}/hook", "refused: 172.31.255.254 is a private address (172.16.0.0/12)"),
        .init("http://192.168.0.1:{4}/hook", "refused: 192.168.0.1 is a private address (192.168.0.0/16)"),
        .init("http://0300.0250.1.1:{4}/hook", "refused: 192.168.1.1 is a private address (192.168.0.0/16)"),
        .init("http://100.64.0.1:{4}/hook", "refused: 100.64.0.1 is a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        .init("http://100.127.255.254:{4}/hook", "refused: 100.127.255.254 is a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        .init("http://[fc00::1]:{4}/hook", "refused: fc00::1 is a unique local address (fc00::/7)"),
        .init("http://[fd12:3456::1]:{4}/hook", "refused: fd12:3456::1 is a unique local address (fc00::/7)"),
        .init(
            "http://[::ffff:10.0.0.1]:{4}/hook",
            "refused: ::ffff:10.0.0.1 is an IPv4-mapped address (::ffff:0.0.0.0/96) of 10.0.0.1, which is a private address"
        ),
        // Link-local, with and without a zone id.
        .init("http://169.254.1.1:{4}/hook", "refused: 169.254.1.1 is a link-local address (169.254.0.0/16)"),
        .init("http://[fe80::1]:{4}/hook", "refused: fe80::1 is a link-local address (fe80::/10)"),
        .init("http://[fe80::1%25eth0]:{4}/hook", "refused: fe80::1 is a link-local address (fe80::/10)"),
        .init("http://[fe80::1%25lo]:{6}/hook", "refused: fe80::1 is a link-local address (fe80::/10)"),
        // Cloud metadata.
        .init("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32)"),
        .init("http://2852039166/latest/meta-data/", "refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32)"),
        .init("http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/", "refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32)"),
        .init("http://[fd00:ec2::254]/latest/meta-data/", "refused: fd00:ec2::254 is the cloud metadata address (fd00:ec2::254/128)"),
        .init("http://[::ffff:169.254.169.254]/latest/meta-data/", "of 169.254.169.254, which is the cloud metadata address (169.254.169.254/32)"),
        .init(
            "http://metadata.google.internal/computeMetadata/v1/",
            "refused: metadata.google.internal resolves to 169.254.169.254 is the cloud metadata address (169.254.169.254/32)"
        ),
        // IPv6 forms that carry an IPv4 address, and Teredo (whose IPv4 is obfuscated).
        .init(
            "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
            "refused: 64:ff9b::a9fe:a9fe is a NAT64 address (64:ff9b::/96) of 169.254.169.254, which is the cloud metadata address"
        ),
        .init("http://[64:ff9b::127.0.0.1]:{4}/hook", "refused: 64:ff9b::7f00:1 is a NAT64 address (64:ff9b::/96) of 127.0.0.1, which " + loopback),
        .init("http://nat64.example/latest/meta-data/", "refused: nat64.example resolves to 64:ff9b::a9fe:a9fe is a NAT64 address"),
        .init("http://[64:ff9b:1::a00:1]:{4}/hook", "refused: 64:ff9b:1::a00:1 is a local-use NAT64 address (64:ff9b:1::/48)"),
        .init(
            "http://[2002:a9fe:a9fe::]/latest/meta-data/",
            "refused: 2002:a9fe:a9fe:: is a 6to4 address (2002::/16) of 169.254.169.254, which is the cloud metadata address"
        ),
        .init("http://[2002:7f00:1::1]:{4}/hook", "refused: 2002:7f00:1::1 is a 6to4 address (2002::/16) of 127.0.0.1, which " + loopback),
        .init(
            "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]:{4}/hook",
            "refused: 2001:0:4136:e378:8000:63bf:3fff:fdd2 is an IETF protocol assignment address (2001::/23)"
        ),
        // User-info and fragment tricks: the host is what follows the last @ and precedes #.
        .init("http://evil.com@127.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://evil.com:80@127.0.0.1:{4}/hook", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127.0.0.1:{4}#@evil.com/", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        .init("http://127.0.0.1:{4}/hook?@evil.com", "refused: 127.0.0.1 " + loopback, allowlist: ["127.0.0.1"]),
        // Schemes other than http and https, including the client's own Unix-socket schemes:
        // refused before any name is resolved or any socket opened.
        .init("unix://hooks.example.com{unix}", "refused: the scheme unix is not http or https"),
        .init("http+unix://{unix%}/hook", "refused: the scheme http+unix is not http or https"),
        .init("https+unix://{unix%}/hook", "refused: the scheme https+unix is not http or https"),
        .init("ftp://127.0.0.1:{4}/hook", "refused: the scheme ftp is not http or https"),
        .init("gopher://127.0.0.1:{4}/_POST%20/hook", "refused: the scheme gopher is not http or https"),
        .init("ws://hooks.example.com:{4}/hook", "refused: the scheme ws is not http or https"),
        .init("file:///etc/passwd", "refused: the scheme file is not http or https"),
        .init("//127.0.0.1:{4}/hook", "refused: not an absolute URL"),
        .init("http:///hook", "refused: the URL has no host"),
    ]

    /// Runs `body` with a canary listening on 127.0.0.1, ::1 and a Unix socket, answering 204.
    static func withCanary<Value>(_ body: (RawServer, _ unix: String) async throws -> Value) async throws -> Value {
        let unix = FileManager.default.temporaryDirectory.appendingPathComponent("cx-canary-\(UUID().uuidString.prefix(8)).sock").path
        return try await RawServer.serving(.init(reply: .answer(status: 204), closeOnTLS: true), on: ["127.0.0.1", "::1", unix]) {
            try await body($0, unix)
        }
    }

    static func withSender<Value>(
        allowlist: [String],
        resolver: any HostResolving = TestResolver.hostile,
        checkBeforeConnecting: Bool = true,
        _ body: (GuardedHTTPSender) async throws -> Value
    ) async throws -> Value {
        let sender = try GuardedHTTPSender(allowlist: { allowlist }, resolver: resolver, checkBeforeConnecting: checkBeforeConnecting)
        do {
            let value = try await body(sender)
            await sender.shutdown()
            return value
        } catch {
            await sender.shutdown()
            throw error
        }
    }

    static func post(_ url: String, with sender: GuardedHTTPSender, timeout: Double = 2) async -> SendResult {
        await sender.send(
            OutgoingRequest(
                url: url,
                headers: [("content-type", "application/json")],
                body: Array(#"{"type":"ping"}"#.utf8),
                timeoutSeconds: timeout
            ),
            bodyLimit: 100
        )
    }

    @Test("a hostile URL is refused, naming why, and nothing reaches the canary", arguments: cases)
    func refused(_ hostile: HostileURL) async throws {
        try await Self.withCanary { canary, unix in
            let url = hostile.url(canary, unix: unix)
            let result = try await Self.withSender(allowlist: []) { await Self.post(url, with: $0) }
            #expect(result.status == nil, "\(url)")
            let error = try #require(result.error, "\(url) was not refused")
            #expect(error.contains(hostile.reason), "\(url): \(error)")
            #expect(!result.isSuccess)
            // Refused before connecting: not even a TCP connection was made.
            #expect(canary.seen.connections == 0, "\(url)")
            #expect(canary.seen.requests.isEmpty, "\(url)")
        }
    }

    static var allowlistedCases: [HostileURL] { cases.filter { $0.allowlist != nil } }

    @Test("the same loopback URLs, allowlisted, are delivered", arguments: allowlistedCases)
    func deliveredWhenAllowlisted(_ hostile: HostileURL) async throws {
        try await Self.withCanary { canary, unix in
            let url = hostile.url(canary, unix: unix)
            let result = try await Self.withSender(allowlist: hostile.allowlist ?? []) { await Self.post(url, with: $0, timeout: 10) }
            #expect(result.status == 204, "\(url): \(result.error ?? "")")
            #expect(result.error == nil, "\(url)")
            #expect(canary.seen.requests.count == 1, "\(url)")
            #expect(canary.seen.requests.first?.hasPrefix("POST /") == true, "\(url)")
        }
    }

    @Test func anAllowlistForOneLoopbackAddressDoesNotOpenTheOthers() async throws {
        try await Self.withCanary { canary, _ in
            try await Self.withSender(allowlist: ["127.0.0.1"]) { sender in
                let port = canary.port("127.0.0.1")
                for url in [
                    "http://[::1]:\(canary.port("::1"))/hook", "http://127.0.0.2:\(port)/hook", "http://0.0.0.0:\(port)/hook",
                    "http://localhost:\(port)/hook",
                ] {
                    let result = await Self.post(url, with: sender)
                    #expect(result.error?.hasPrefix("refused") == true, "\(url): \(result.error ?? "delivered")")
                }
            }
            #expect(canary.seen.connections == 0)
        }
    }

    /// DNS rebinding: the name looked public when checked, but the connection (resolved again
    /// by the system) lands on loopback. The check on the connected address refuses it before
    /// a byte of the request is written.
    @Test func aNameThatRebindsToLoopbackIsRefusedOnTheConnection() async throws {
        try await Self.withCanary { canary, _ in
            let rebinding = TestResolver(answers: ["localhost": ["93.184.216.34"]])
            let result = try await Self.withSender(allowlist: [], resolver: rebinding) { sender in
                await Self.post("http://localhost:\(canary.port("127.0.0.1"))/hook", with: sender)
            }
            #expect(result.status == nil)
            let error = try #require(result.error)
            // 127.0.0.1 here; ::1 where the system resolves localhost to it first.
            #expect(error.hasPrefix("refused to connect: ") && error.contains("loopback address"), "\(error)")
            #expect(canary.seen.requests.isEmpty)
            #expect(canary.seen.bytesIn == 0)
        }
    }

    /// Over https the connection is checked once TLS has been negotiated, so a rebound name
    /// gets a TLS ClientHello to the internal address, never an HTTP request.
    @Test func aNameThatRebindsOverHTTPSSendsNoRequest() async throws {
        try await Self.withCanary { canary, _ in
            let rebinding = TestResolver(answers: ["localhost": ["93.184.216.34"]])
            let result = try await Self.withSender(allowlist: [], resolver: rebinding) { sender in
                await Self.post("https://localhost:\(canary.port("127.0.0.1"))/hook", with: sender)
            }
            #expect(result.status == nil)
            #expect(result.error != nil)
            #expect(canary.seen.requests.isEmpty)
        }
    }

    /// The lookup would take an hour; the send ends at its timeout (were it held, the suite's
    /// time limit would fail it).
    @Test func aResolverThatHangsCannotHoldTheSendPastItsTimeout() async throws {
        let result = try await Self.withSender(allowlist: []) { await Self.post("http://tarpit.example/hook", with: $0, timeout: 0.5) }
        #expect(result.error == "no complete response within 0.5 s")
        #expect(result.latencySeconds >= 0.5)
    }

    /// The sender never follows a redirect, so a public-looking receiver cannot bounce the
    /// request to an internal address: the canary (allowlisted too, so a followed redirect
    /// would land) gets nothing, and the attempt fails naming the redirect.
    @Test(arguments: [301, 302, 303, 307, 308])
    func aRedirectToAnInternalAddressIsNotFollowed(status: Int) async throws {
        try await Self.withCanary { canary, _ in
            let target = "http://127.0.0.1:\(canary.port("127.0.0.1"))/internal"
            try await RawServer.serving(.init(reply: .answer(status: status, headers: ["location: \(target)"]))) { origin in
                let fixture = try await DeliveryFixture()
                try await fixture.endpoint("hook", url: "http://127.0.0.1:\(origin.port())/hook")
                try await fixture.propose(1)
                await fixture.service.deliverDue()
                #expect(origin.seen.requests.count == 1)
                #expect(canary.seen.connections == 0)
                let message = try #require(try await fixture.messages().first)
                let attempt = try #require(try await fixture.attempts(message).first)
                #expect(attempt.responseStatus == status)
                #expect(attempt.error == "HTTP \(status): redirects are not followed")
            }
        }
    }

    /// The whole table through the delivery service: each refusal is recorded as a failed
    /// attempt with its reason and retried on the schedule, like any other failure.
    @Test func refusalsAreFailedAttemptsRetriedOnTheSchedule() async throws {
        try await Self.withCanary { canary, unix in
            try await Self.withSender(allowlist: []) { sender in
                let fixture = try await DeliveryFixture(
                    settings: {
                        $0.allowlist = []
                        $0.timeoutSeconds = 2
                    },
                    sender: sender
                )
                var reasons: [String: String] = [:]
                for (index, hostile) in Self.cases.enumerated() {
                    let id = "ssrf-\(index)"
                    reasons[id] = hostile.reason
                    try await fixture.endpoint(id, url: hostile.url(canary, unix: unix))
                }
                try await fixture.propose(1)
                let start = fixture.clock.now()
                await fixture.service.deliverDue()
                let message = try #require(try await fixture.messages().first)
                let attempts = try await fixture.attempts(message)
                #expect(attempts.count == Self.cases.count)
                for attempt in attempts {
                    let reason = try #require(reasons[attempt.endpointID])
                    #expect(attempt.responseStatus == nil)
                    #expect(attempt.error?.contains(reason) == true, "\(attempt.endpointID): \(attempt.error ?? "none")")
                }
                let deliveries = try #require(try await fixture.database.webhookMessage(id: message.id)).deliveries
                #expect(deliveries.count == Self.cases.count)
                #expect(
                    deliveries.allSatisfy { $0.status == .pending && abs(($0.nextAttemptAt ?? .distantPast).timeIntervalSince(start) - 10) < 0.002 }
                )
                #expect(canary.seen.connections == 0)
                #expect(canary.seen.requests.isEmpty)
            }
        }
    }
}
