import ChanxiaoCore
import ChanxiaoFixtures
import ChanxiaoStore
import ChanxiaoWebhookDelivery
import ChanxiaoWebhooks
import Foundation
import Logging
import Synchronization

/// A clock the test moves by hand, so retries fall due without waiting.
final class TestClock: WallClock {
    private let value: Mutex<Date>

    /// Starts on a whole millisecond, as the database stores instants.
    init(_ start: Date = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)) { value = Mutex(start) }

    func now() -> Date { value.withLock { $0 } }

    func advance(_ seconds: Double) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A database with a tiny catalog, endpoints of the test's choosing, and a delivery service
/// that sends to the loopback receiver (allowlisted) with a short schedule.
struct DeliveryFixture {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// One sender for every test, allowing the loopback receiver: an HTTP client must be shut
    /// down before it goes away, and this one lives as long as the process. A test of other
    /// allowlists makes (and shuts down) its own.
    static let sender: GuardedHTTPSender = try! GuardedHTTPSender(allowlist: { ["127.0.0.1"] })

    let database: AppDatabase
    let clock: TestClock
    let service: WebhookDeliveryService
    var context: WriteContext { WriteContext(actor: "tok_test", role: .admin, now: clock.now()) }

    init(
        database: AppDatabase? = nil,
        clock: TestClock = TestClock(),
        settings adjust: (inout WebhookSettings) -> Void = { _ in },
        sender: (any WebhookSender)? = nil
    ) async throws {
        var settings = WebhookSettings()
        settings.retrySchedule = [10, 20, 40]
        settings.retryJitter = 0
        // Generous: the whole test suite shares two cores, and CPU-bound suites can hold the
        // receiver's handler back for seconds; the timeout tests set their own.
        settings.timeoutSeconds = 60
        settings.allowlist = ["127.0.0.1"]
        adjust(&settings)
        let fixed = settings
        let database = if let database { database } else { try await Self.catalog(now: clock.now()) }
        self.database = database
        self.clock = clock
        service = WebhookDeliveryService(
            database: database,
            sender: sender ?? Self.sender,
            clock: clock,
            logger: Logger(label: "test")
        ) { (fixed, TimeZone(identifier: "Asia/Shanghai")!) }
    }

    /// One county, supplier, product, buyer and demand: enough for match events.
    static func catalog(now: Date) async throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        try await seed(database, now: now)
        return database
    }

    static func seed(_ database: AppDatabase, now: Date) async throws {
        try await MatchEventCatalog.seed(database, actor: "tok_test", now: now)
    }

    @discardableResult
    func endpoint(
        _ id: String,
        url: String,
        types: [String] = ["match.*"],
        format: WebhookFormat = .standard,
        secret: String? = DeliveryFixture.secret,
        owner: Owner? = nil
    ) async throws -> WebhookEndpoint {
        try await database.createWebhookEndpoint(
            WebhookEndpoint(
                id: id,
                url: url,
                format: format,
                eventTypes: types,
                owner: owner,
                createdBy: "tok_test",
                createdAt: clock.now(),
                updatedAt: clock.now()
            ),
            secret: secret,
            context: context
        )
    }

    /// A match run proposing `count` matches of the tea to the canteen: `count` match.proposed events.
    func propose(_ count: Int, run: String = "run-1") async throws {
        try await MatchEventCatalog.commitRun(database, run: run, count: count, trigger: "cli", actor: "cli:test", context: context)
    }

    func messages(_ type: EventType? = nil) async throws -> [WebhookMessage] {
        var query = WebhookMessageQuery()
        query.type = type
        query.limit = 1000
        return try await database.webhookMessages(query).items
    }

    func attempts(_ message: WebhookMessage) async throws -> [WebhookAttempt] {
        try await database.webhookAttempts(messageID: message.id) ?? []
    }
}
