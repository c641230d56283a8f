import ChanxiaoCore
import Foundation
import GRDB

/// The transactional outbox: events are written by the transaction that makes the change they
/// announce, with one delivery per endpoint that receives them, so that neither exists without
/// the other. The delivery worker reads deliveries from here.
struct Outbox {
    let endpoints: [WebhookEndpoint]
    let now: Date
    /// The request (or job) the messages are written for, stored on each (`request_id`).
    let requestID: String?

    /// The enabled endpoints as this transaction sees them. `requestID` is read by the caller
    /// before the write closure: task-locals (`RequestTrace.id`) are not visible on GRDB's queues.
    init(_ db: Database, now: Date, requestID: String?) throws {
        endpoints = try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoint WHERE enabled = 1 ORDER BY id").map(WebhookEndpoint.init(row:))
        self.now = now
        self.requestID = requestID
    }

    /// The outbox of a write made with `context`: its time and its request id.
    init(_ db: Database, context: WriteContext) throws {
        try self.init(db, now: context.now, requestID: context.requestID)
    }

    /// Whether any endpoint takes events of `type`: when none does, callers skip building them.
    func wants(_ type: EventType) -> Bool {
        endpoints.contains { $0.filter.matches(type) }
    }

    /// The regions endpoints taking `type` are scoped to, sorted.
    func regions(wanting type: EventType) -> [String] {
        Array(Set(endpoints.filter { $0.filter.matches(type) }.compactMap(\.region))).sorted()
    }

    /// Records `event` for every endpoint that receives it; an event nobody receives is not kept.
    /// Returns the message id, or nil when nobody receives it.
    @discardableResult
    func emit(_ event: Event, db: Database) throws -> String? {
        let receivers = endpoints.filter { $0.receives(event) }
        guard !receivers.isEmpty else { return nil }
        let id = Self.messageID(now: now)
        let stamp = Timestamp.string(from: now)
        // Cached statements: a match run writes tens of thousands of these in one transaction.
        try db.cachedStatement(sql: "INSERT INTO webhook_message (id, type, created_at, payload, concerns, request_id) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [
                id, event.type.rawValue, stamp, String(decoding: event.payload, as: UTF8.self),
                String(decoding: JSONWriter.encode(.array(event.concerns.compactMap(\.text).sorted().map(JSONValue.string))), as: UTF8.self),
                requestID,
            ])
        let delivery = try db.cachedStatement(
            sql: """
                INSERT INTO webhook_delivery (message_id, endpoint_id, status, next_attempt_at, created_at) VALUES (?, ?, 'pending', ?, ?)
                """
        )
        for endpoint in receivers {
            try delivery.execute(arguments: [id, endpoint.id, stamp, stamp])
        }
        return id
    }

    func emit(_ events: [Event], db: Database) throws {
        for event in events { try emit(event, db: db) }
    }

    /// `msg_` and a time-ordered random id, stable across retries (the `webhook-id` header).
    static func messageID(now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return Identifier.generate(prefix: "msg", at: now, using: &generator)
    }
}

extension EventNames {
    /// The names of the given records, read in chunks so that a match run of any size can ask.
    init(
        _ db: Database,
        buyers: some Collection<String> = [String](),
        suppliers: some Collection<String> = [String](),
        counties: some Collection<String> = [String](),
        products: some Collection<String> = [String]()
    ) throws {
        self.init()
        self.buyers = try Outbox.lookup(db, table: "buyer", ids: buyers) { $0["name"] }
        self.suppliers = try Outbox.lookup(db, table: "supplier", ids: suppliers) { $0["name"] }
        self.counties = try Outbox.lookup(db, table: "county", key: "code", ids: counties) { $0["name"] }
        self.products = try Outbox.lookup(db, table: "product", ids: products) { ($0["name"], $0["unit"]) }
    }
}

extension Outbox {
    /// A value of each row of `table` whose `key` is among `ids`, read in chunks so that a match
    /// run of any size can ask.
    static func lookup<Value>(
        _ db: Database,
        table: String,
        key: String = "id",
        ids: some Collection<String>,
        _ value: (Row) -> Value
    ) throws
        -> [String: Value]
    {
        var result: [String: Value] = [:]
        let unique = Array(Set(ids))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = Array(unique[start..<min(start + 500, unique.count)])
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(key) IN \(chunk.sqlList)", arguments: StatementArguments(chunk)) {
                result[row[key]] = value(row)
            }
        }
        return result
    }
}
