import ChanxiaoCore
import Foundation
import GRDB

/// An endpoint with deliveries due, and the secrets that sign for it now.
public struct DueEndpoint: Sendable {
    public var endpoint: WebhookEndpoint
    public var secrets: [String]
}

/// One event owed to one endpoint.
public struct DueDelivery: Sendable, Equatable {
    public var messageID: String
    public var endpointID: String
    public var type: EventType
    public var payload: String
    /// Attempts made so far (since the last resend or recovery).
    public var attempts: Int
    public var trigger: WebhookAttempt.Trigger
    public var createdAt: Date
    /// The request (or job) that wrote the message, if known.
    public var requestID: String?
    /// How often the delivery was queued afresh (resent, recovered) before it was read.
    public var generation: Int

    public var key: String { messageID + " " + endpointID }
}

/// What one attempt found, and what follows from it.
public struct AttemptRecord: Sendable {
    public var messageID: String
    public var endpointID: String
    public var attemptedAt: Date
    public var trigger: WebhookAttempt.Trigger
    public var responseStatus: Int?
    public var latencyMilliseconds: Int
    public var error: String?
    public var responseBody: String?
    public var delivered: Bool
    /// When to try again; nil after a success or when the schedule is spent.
    public var nextAttemptAt: Date?
    /// The delivery's generation when it was sent (`DueDelivery.generation`): if it was queued
    /// afresh meanwhile, the attempt is kept but the new schedule stands.
    public var generation: Int

    public init(
        messageID: String,
        endpointID: String,
        attemptedAt: Date,
        trigger: WebhookAttempt.Trigger,
        responseStatus: Int?,
        latencyMilliseconds: Int,
        error: String?,
        responseBody: String?,
        delivered: Bool,
        nextAttemptAt: Date?,
        generation: Int
    ) {
        self.messageID = messageID
        self.endpointID = endpointID
        self.attemptedAt = attemptedAt
        self.trigger = trigger
        self.responseStatus = responseStatus
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
        self.responseBody = responseBody
        self.delivered = delivered
        self.nextAttemptAt = nextAttemptAt
        self.generation = generation
    }
}

/// The attempts of one send to one endpoint, as recorded together.
public struct AttemptBatch: Sendable {
    public var records: [AttemptRecord]
    public var endpointID: String
    /// Why the endpoint must be disabled now (a 410), if it must.
    public var disable: String?
    /// How long an endpoint may fail without a success before it is disabled.
    public var disableAfter: TimeInterval
    public var now: Date
    /// The request (or job) whose messages these are, for an `endpoint.disabled` event.
    public var requestID: String?

    public init(
        records: [AttemptRecord],
        endpointID: String,
        disable: String? = nil,
        disableAfter: TimeInterval,
        now: Date,
        requestID: String? = RequestTrace.id
    ) {
        self.records = records
        self.endpointID = endpointID
        self.disable = disable
        self.disableAfter = disableAfter
        self.now = now
        self.requestID = requestID
    }
}

/// Filters of the message list.
public struct WebhookMessageQuery: Sendable {
    public var type: EventType?
    public var since: Date?
    public var endpointID: String?
    public var status: DeliveryStatus?
    /// Only messages sent to this owner's endpoints, with only those deliveries.
    public var owner: Owner?
    /// Only messages sent to endpoints this token registered, with only those deliveries (a
    /// region-bound organizer's view: other endpoints carry other regions' events).
    public var registeredBy: String?
    public var limit = 50
    public var afterID: String?

    public init() {}
}

extension AppDatabase {
    // MARK: The worker's side

    /// Enabled endpoints with deliveries due at `now`.
    public func dueEndpoints(now: Date) async throws -> [DueEndpoint] {
        try await read { db in
            // One probe of the due index per enabled endpoint: the worker asks after every send,
            // so this must not grow with the number of pending deliveries.
            let endpoints = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT e.* FROM webhook_endpoint e WHERE e.enabled = 1 AND EXISTS (
                            SELECT 1 FROM webhook_delivery d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?)
                        ORDER BY e.id
                        """
                ),
                arguments: [Timestamp.string(from: now)]
            ).map(WebhookEndpoint.init(row:))
            return try endpoints.map { endpoint in
                DueEndpoint(endpoint: endpoint, secrets: try Self.signingSecrets(db, endpointID: endpoint.id, now: now))
            }
        }
    }

    /// When the next pending delivery of an enabled endpoint falls due, if any.
    public func nextDueTime() async throws -> Date? {
        try await read { db in
            let text = try String.fetchOne(
                db,
                sql: """
                    SELECT MIN(d.next_attempt_at) FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
                    WHERE d.status = 'pending' AND e.enabled = 1
                    """
            )
            return text.flatMap(Timestamp.date(from:))
        }
    }

    /// The oldest-due deliveries of one endpoint, leaving out those already in flight.
    public func dueDeliveries(endpointID: String, now: Date, limit: Int, excluding: Set<String> = []) async throws -> [DueDelivery] {
        try await read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT d.message_id, d.endpoint_id, d.attempts, d.trigger, d.generation, m.type, m.payload, m.created_at, m.request_id
                        FROM webhook_delivery d JOIN webhook_message m ON m.id = d.message_id
                        WHERE d.endpoint_id = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
                        ORDER BY d.next_attempt_at, d.message_id LIMIT ?
                        """
                ),
                arguments: [endpointID, Timestamp.string(from: now), limit + excluding.count]
            )
            return try rows.map { row in
                DueDelivery(
                    messageID: row["message_id"],
                    endpointID: row["endpoint_id"],
                    type: try ColumnValue.enumeration(row, "type"),
                    payload: row["payload"],
                    attempts: row["attempts"],
                    trigger: try ColumnValue.enumeration(row, "trigger"),
                    createdAt: try ColumnValue.timestamp(row, "created_at"),
                    requestID: row["request_id"],
                    generation: row["generation"]
                )
            }
            .filter { !excluding.contains($0.key) }
            .prefix(limit).map { $0 }
        }
    }

    /// Records the attempts of one send to one endpoint and moves their deliveries on, in one
    /// transaction. The endpoint is disabled when `disable` gives a reason (a 410) or when it
    /// has failed without a success for `disableAfter`; its pending deliveries then fail and
    /// staff endpoints hear `endpoint.disabled`, with `requestID` (by default the caller's
    /// `RequestTrace.id`). Returns the reason when it was disabled.
    @discardableResult
    public func recordAttempts(
        _ records: [AttemptRecord],
        endpointID: String,
        disable: String? = nil,
        disableAfter: TimeInterval,
        now: Date,
        requestID: String? = RequestTrace.id
    ) async throws -> String? {
        let batch = AttemptBatch(
            records: records,
            endpointID: endpointID,
            disable: disable,
            disableAfter: disableAfter,
            now: now,
            requestID: requestID
        )
        return try await recordAttempts([batch])[0].get()
    }

    /// Records the attempts of several sends in one write transaction (a group commit: the
    /// commit, not the rows, is what costs), each send in a savepoint of its own, so one that
    /// fails leaves the others recorded. Returns, per batch, the reason its endpoint was
    /// disabled or the error that kept it from being recorded.
    public func recordAttempts(_ batches: [AttemptBatch]) async throws -> [Result<String?, any Error>] {
        try await write { db in
            try batches.map { batch in
                var reason: String?
                do {
                    try db.inSavepoint {
                        reason = try Self.record(batch, db: db)
                        return .commit
                    }
                } catch {
                    // SQLite rolls the whole transaction back on some errors (a full disk, an I/O
                    // error): then nothing of this group is recorded, and all of it stays pending.
                    guard db.isInsideTransaction else { throw error }
                    return .failure(error)
                }
                return .success(reason)
            }
        }
    }

    private static func record(_ batch: AttemptBatch, db: Database) throws -> String? {
        let endpointID = batch.endpointID
        let records = batch.records
        let now = batch.now
        guard var endpoint = try WebhookEndpoint.read(db, id: endpointID) else { return nil }  // deleted meanwhile
        for record in records {
            // A delivery purged or deleted while in flight has nothing left to record.
            guard
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE message_id = ? AND endpoint_id = ?)"),
                    arguments: [record.messageID, endpointID]
                ) == true
            else { continue }
            let at = Timestamp.string(from: record.attemptedAt)
            try db.cachedStatement(
                sql: """
                    INSERT INTO webhook_attempt (message_id, endpoint_id, attempted_at, trigger, response_status, latency_ms, error, response_body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                record.messageID, endpointID, at, record.trigger.rawValue, record.responseStatus, record.latencyMilliseconds,
                record.error, record.responseBody,
            ])
            let status: DeliveryStatus = record.delivered ? .delivered : record.nextAttemptAt == nil ? .failed : .pending
            try db.cachedStatement(
                sql: """
                    UPDATE webhook_delivery SET status = ?, trigger = 'scheduled', attempts = attempts + 1, next_attempt_at = ?,
                        last_attempt_at = ?, last_error = ?, delivered_at = ?
                    WHERE message_id = ? AND endpoint_id = ? AND generation = ?
                    """
            ).execute(arguments: [
                status.rawValue, record.delivered ? nil : record.nextAttemptAt.map(Timestamp.string(from:)), at,
                record.delivered ? nil : record.error, record.delivered ? at : nil, record.messageID, endpointID,
                record.generation,
            ])
        }
        if records.contains(where: \.delivered) {
            endpoint.failingSince = nil
        } else if endpoint.failingSince == nil, let first = records.map(\.attemptedAt).min() {
            endpoint.failingSince = first
        }
        var reason = batch.disable
        if reason == nil, let since = endpoint.failingSince, now.timeIntervalSince(since) >= batch.disableAfter {
            reason = "every attempt failed since \(Timestamp.string(from: since))"
        }
        if let reason, endpoint.enabled {
            try disable(&endpoint, reason: reason, db: db, now: now, requestID: batch.requestID)
            return reason
        }
        try db.cachedStatement(sql: "UPDATE webhook_endpoint SET failing_since = ? WHERE id = ?").execute(
            arguments: [endpoint.failingSince.map(Timestamp.string(from:)), endpointID])
        return nil
    }

    private static func disable(_ endpoint: inout WebhookEndpoint, reason: String, db: Database, now: Date, requestID: String?) throws {
        endpoint.enabled = false
        endpoint.disabledReason = reason
        endpoint.disabledAt = now
        endpoint.updatedAt = now
        try endpoint.save(db)
        try db.execute(
            sql: """
                UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL, last_error = ? WHERE endpoint_id = ? AND status = 'pending'
                """,
            arguments: ["endpoint disabled: " + reason, endpoint.id]
        )
        try audit(
            db,
            WriteContext(actor: "webhook-delivery", role: .admin, now: now, requestID: requestID),
            action: "webhook_endpoint.disable",
            id: endpoint.id,
            detail: .object(["reason": .string(reason)])
        )
        try Outbox(db, now: now, requestID: requestID).emit(
            .endpointDisabled(
                id: endpoint.id,
                url: endpoint.url,
                description: endpoint.description,
                owner: endpoint.owner,
                reason: reason,
                failingSince: endpoint.failingSince,
                at: now
            ),
            db: db
        )
    }

    // MARK: The operations API

    public func webhookMessages(_ query: WebhookMessageQuery) async throws -> Page<WebhookMessage> {
        try await read { db in
            var conditions: [SQL] = []
            if let type = query.type { conditions.append("m.type = \(type.rawValue)") }
            if let since = query.since { conditions.append("m.created_at >= \(Timestamp.string(from: since))") }
            if let after = query.afterID { conditions.append("m.id > \(after)") }
            var deliveryConditions: [SQL] = ["d.message_id = m.id"]
            if let endpoint = query.endpointID { deliveryConditions.append("d.endpoint_id = \(endpoint)") }
            if let status = query.status { deliveryConditions.append("d.status = \(status.rawValue)") }
            deliveryConditions += Self.ownedEndpoint(query.owner, registeredBy: query.registeredBy, column: "d.endpoint_id")
            if deliveryConditions.count > 1 {
                conditions.append("EXISTS (SELECT 1 FROM webhook_delivery d \(SQL.whereClause(deliveryConditions)))")
            }
            let rows = try SQLRequest<Row>("SELECT m.* FROM webhook_message m \(SQL.whereClause(conditions)) ORDER BY m.id LIMIT \(query.limit + 1)")
                .fetchAll(db)
            let messages = try rows.map { try Self.message($0, owner: query.owner, registeredBy: query.registeredBy, db: db) }
            return Page(fetched: messages, limit: query.limit, id: \.id)
        }
    }

    /// One message with its deliveries (only the owner's, for an owner); nil when it does not
    /// exist or the owner has no delivery of it.
    /// `registeredBy`: as in `WebhookMessageQuery`.
    public func webhookMessage(id: String, owner: Owner? = nil, registeredBy: String? = nil) async throws -> WebhookMessage? {
        try await read { db in try Self.message(db, id: id, owner: owner, registeredBy: registeredBy) }
    }

    public func webhookAttempts(messageID: String, owner: Owner? = nil, registeredBy: String? = nil) async throws -> [WebhookAttempt]? {
        try await read { db -> [WebhookAttempt]? in
            guard try Self.message(db, id: messageID, owner: owner, registeredBy: registeredBy) != nil else { return nil }
            let conditions: [SQL] = ["message_id = \(messageID)"] + Self.ownedEndpoint(owner, registeredBy: registeredBy)
            return try SQLRequest<Row>("SELECT * FROM webhook_attempt \(SQL.whereClause(conditions)) ORDER BY id").fetchAll(db).map(
                WebhookAttempt.init(row:)
            )
        }
    }

    /// Sends a message again now, to one endpoint (which may not have had it yet, if it takes
    /// the event's type) or to every endpoint that had it. The retry schedule starts afresh.
    /// `registeredBy`: a token that may resend only to the endpoints it registered (an
    /// organizer's); nil for admins and for owners (whose `owner` already limits the endpoints).
    public func resendWebhookMessage(
        id: String,
        endpointID: String?,
        owner: Owner?,
        registeredBy: String? = nil,
        context: WriteContext
    ) async throws -> WebhookMessage {
        try await write { db in
            guard let message = try Self.message(db, id: id, owner: owner) else { throw StoreError.notFound(kind: "webhook message", id: id) }
            var targets = message.deliveries.map(\.endpointID)
            if let registeredBy {
                let own = try String.fetchSet(db, sql: "SELECT id FROM webhook_endpoint WHERE created_by = ?", arguments: [registeredBy])
                targets = targets.filter(own.contains)
                if endpointID == nil, targets.isEmpty {
                    throw StoreError.forbidden(
                        "this message went to no endpoint this token registered; an organizer resends only to its own endpoints"
                    )
                }
            }
            if let endpointID {
                guard let endpoint = try WebhookEndpoint.read(db, id: endpointID), owner == nil || endpoint.owner == owner else {
                    throw ValidationFailure(field: "endpoint_id", message: "no webhook endpoint with id \(endpointID)")
                }
                if let registeredBy, endpoint.createdBy != registeredBy {
                    throw StoreError.forbidden("an organizer resends only to endpoints it registered; \(endpointID) is not one")
                }
                let concerns = Set(
                    try String.fetchAll(
                        db,
                        sql: "SELECT value FROM json_each((SELECT concerns FROM webhook_message WHERE id = ?))",
                        arguments: [id]
                    ).compactMap(Owner.init(text:))
                )
                let visible = Event.isVisible(concerns: concerns, staffOnly: message.type == .endpointDisabled, to: endpoint.owner)
                guard endpoint.filter.matches(message.type), visible else {
                    throw ValidationFailure(
                        field: "endpoint_id",
                        message: "endpoint \(endpointID) does not take \(message.type.rawValue) events of this message's concern"
                    )
                }
                guard endpoint.enabled else { throw StoreError.conflict("endpoint \(endpointID) is disabled; enable it first") }
                targets = [endpointID]
            }
            let stamp = Timestamp.string(from: context.now)
            for target in targets {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_delivery (message_id, endpoint_id, status, trigger, next_attempt_at, created_at) VALUES (?, ?, 'pending', 'resend', ?, ?)
                        ON CONFLICT (message_id, endpoint_id) DO UPDATE SET status = 'pending', trigger = 'resend', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                            generation = generation + 1
                        """,
                    arguments: [id, target, stamp, stamp]
                )
            }
            try Self.audit(
                db,
                context,
                action: "webhook_message.resend",
                id: id,
                detail: .object(["endpoints": .array(targets.map(JSONValue.string))])
            )
            return try Self.message(db, id: id, owner: owner)!
        }
    }

    /// Sends again every message whose delivery to the endpoint failed, for messages since
    /// `since`. Returns how many were queued.
    public func recoverWebhookEndpoint(
        id: String,
        since: Date,
        context: WriteContext,
        check: @Sendable (WebhookEndpoint) throws -> Void = { _ in }
    )
        async throws -> Int
    {
        try await write { db in
            guard let endpoint = try WebhookEndpoint.read(db, id: id) else { throw StoreError.notFound(kind: "webhook endpoint", id: id) }
            try check(endpoint)
            guard endpoint.enabled else { throw StoreError.conflict("endpoint \(id) is disabled; enable it before recovering its messages") }
            let stamp = Timestamp.string(from: context.now)
            try db.execute(
                sql: """
                    UPDATE webhook_delivery SET status = 'pending', trigger = 'recover', attempts = 0, next_attempt_at = ?, generation = generation + 1
                    WHERE endpoint_id = ? AND status = 'failed' AND message_id IN (SELECT id FROM webhook_message WHERE created_at >= ?)
                    """,
                arguments: [stamp, id, Timestamp.string(from: since)]
            )
            let count = db.changesCount
            try Self.audit(
                db,
                context,
                action: "webhook_endpoint.recover",
                id: id,
                detail: .object(["since": .string(Timestamp.string(from: since)), "queued": .int(Int64(count))])
            )
            return count
        }
    }

    /// Deletes messages older than `before`, with their deliveries and attempts.
    @discardableResult
    public func purgeWebhookMessages(before: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM webhook_message WHERE created_at < ?", arguments: [Timestamp.string(from: before)])
            return db.changesCount
        }
    }

    /// The condition that keeps rows of the owner's endpoints, or of those a token registered;
    /// none for staff.
    private static func ownedEndpoint(_ owner: Owner?, registeredBy: String? = nil, column: String = "endpoint_id") -> [SQL] {
        var conditions: [SQL] = []
        if let owner { conditions.append("\(sql: column) IN (SELECT id FROM webhook_endpoint WHERE owner = \(owner.text))") }
        if let registeredBy { conditions.append("\(sql: column) IN (SELECT id FROM webhook_endpoint WHERE created_by = \(registeredBy))") }
        return conditions
    }

    private static func message(_ db: Database, id: String, owner: Owner?, registeredBy: String? = nil) throws -> WebhookMessage? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhook_message WHERE id = ?", arguments: [id]) else { return nil }
        let message = try message(row, owner: owner, registeredBy: registeredBy, db: db)
        return (owner != nil || registeredBy != nil) && message.deliveries.isEmpty ? nil : message
    }

    private static func message(_ row: Row, owner: Owner?, registeredBy: String? = nil, db: Database) throws -> WebhookMessage {
        let id: String = row["id"]
        let conditions: [SQL] = ["message_id = \(id)"] + ownedEndpoint(owner, registeredBy: registeredBy)
        let deliveries = try SQLRequest<Row>("SELECT * FROM webhook_delivery \(SQL.whereClause(conditions)) ORDER BY endpoint_id").fetchAll(db)
            .map(WebhookMessage.Delivery.init(row:))
        return WebhookMessage(
            id: id,
            type: try ColumnValue.enumeration(row, "type"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            payload: row["payload"],
            requestID: row["request_id"],
            deliveries: deliveries
        )
    }
}
