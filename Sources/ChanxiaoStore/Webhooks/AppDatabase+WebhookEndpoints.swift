import ChanxiaoCore
import Foundation
import GRDB

/// Filters of the endpoint list.
public struct WebhookEndpointQuery: Sendable {
    /// Only the endpoints of this owner (for buyer and supplier tokens).
    public var owner: Owner?
    /// Only the endpoints this token registered (a region-bound organizer's view).
    public var registeredBy: String?
    public var enabled: Bool?
    public var format: WebhookFormat?
    public var limit = 50
    public var afterID: String?

    public init() {}
}

extension AppDatabase {
    /// Registers an endpoint with its first secret (for robots, the platform's secret, if any).
    public func createWebhookEndpoint(_ endpoint: WebhookEndpoint, secret: String?, context: WriteContext) async throws -> WebhookEndpoint {
        try await write { db in
            guard try WebhookEndpoint.read(db, id: endpoint.id) == nil else {
                throw StoreError.conflict("a webhook endpoint with id \(endpoint.id) already exists")
            }
            try Self.checkOwner(endpoint.owner, db: db)
            try endpoint.save(db)
            if let secret { try Self.addSecret(secret, endpointID: endpoint.id, db: db, now: context.now) }
            try Self.audit(
                db,
                context,
                action: "webhook_endpoint.create",
                id: endpoint.id,
                detail: .object(["url": .string(WebhookEndpoint.origin(of: endpoint.url)), "format": .string(endpoint.format.rawValue)])
            )
            return endpoint
        }
    }

    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        try await read { db in try WebhookEndpoint.read(db, id: id) }
    }

    public func webhookEndpoints(_ query: WebhookEndpointQuery) async throws -> Page<WebhookEndpoint> {
        try await read { db in
            var conditions: [SQL] = []
            if let owner = query.owner { conditions.append("owner = \(owner.text)") }
            if let registeredBy = query.registeredBy { conditions.append("created_by = \(registeredBy)") }
            if let enabled = query.enabled { conditions.append("enabled = \(enabled)") }
            if let format = query.format { conditions.append("format = \(format.rawValue)") }
            if let after = query.afterID { conditions.append("id > \(after)") }
            let rows = try SQLRequest<Row>("SELECT * FROM webhook_endpoint \(SQL.whereClause(conditions)) ORDER BY id LIMIT \(query.limit + 1)")
                .fetchAll(db)
            return Page(fetched: try rows.map(WebhookEndpoint.init(row:)), limit: query.limit, id: \.id)
        }
    }

    /// Changes an endpoint. `check` may refuse (ownership); `change` edits it. A new `secret`
    /// replaces a robot's secret at once. Enabling clears the failure record; disabling by
    /// hand leaves pending deliveries waiting for the endpoint to be enabled again.
    public func updateWebhookEndpoint(
        id: String,
        secret: String? = nil,
        context: WriteContext,
        check: @Sendable (WebhookEndpoint) throws -> Void = { _ in },
        change: @Sendable (inout WebhookEndpoint) throws -> Void
    ) async throws -> WebhookEndpoint {
        try await write { db in
            guard let old = try WebhookEndpoint.read(db, id: id) else { throw StoreError.notFound(kind: "webhook endpoint", id: id) }
            try check(old)
            var endpoint = old
            try change(&endpoint)
            endpoint.id = old.id
            endpoint.createdAt = old.createdAt
            endpoint.createdBy = old.createdBy
            endpoint.updatedAt = context.now
            if endpoint.enabled, !old.enabled {
                endpoint.disabledReason = nil
                endpoint.disabledAt = nil
                endpoint.failingSince = nil
            } else if !endpoint.enabled, old.enabled {
                endpoint.disabledReason = endpoint.disabledReason ?? "disabled by \(context.actor)"
                endpoint.disabledAt = context.now
            }
            try Self.checkOwner(endpoint.owner, db: db)
            try endpoint.save(db)
            if let secret {
                try db.execute(sql: "DELETE FROM webhook_secret WHERE endpoint_id = ?", arguments: [id])
                try Self.addSecret(secret, endpointID: id, db: db, now: context.now)
            }
            try Self.audit(db, context, action: "webhook_endpoint.update", id: id, detail: Self.changes(from: old, to: endpoint))
            return endpoint
        }
    }

    public func deleteWebhookEndpoint(id: String, context: WriteContext, check: @Sendable (WebhookEndpoint) throws -> Void = { _ in }) async throws {
        try await write { db in
            guard let endpoint = try WebhookEndpoint.read(db, id: id) else { throw StoreError.notFound(kind: "webhook endpoint", id: id) }
            try check(endpoint)
            // Attempts and deliveries go with the endpoint; the messages stay for other endpoints.
            try db.execute(sql: "DELETE FROM webhook_endpoint WHERE id = ?", arguments: [id])
            try Self.audit(
                db,
                context,
                action: "webhook_endpoint.delete",
                id: id,
                detail: .object(["url": .string(WebhookEndpoint.origin(of: endpoint.url))])
            )
        }
    }

    /// Starts signing with `newSecret`. The secrets in use so far keep signing beside it until
    /// `overlap` has passed, so receivers can switch without losing a message.
    public func rotateWebhookSecret(
        id: String,
        newSecret: String,
        overlap: TimeInterval,
        context: WriteContext,
        check: @Sendable (WebhookEndpoint) throws -> Void = { _ in }
    ) async throws -> (endpoint: WebhookEndpoint, expiring: Date) {
        try await write { db in
            guard let endpoint = try WebhookEndpoint.read(db, id: id) else { throw StoreError.notFound(kind: "webhook endpoint", id: id) }
            try check(endpoint)
            let now = Timestamp.string(from: context.now)
            let expiring = context.now.addingTimeInterval(overlap)
            try db.execute(
                sql: "DELETE FROM webhook_secret WHERE endpoint_id = ? AND expires_at IS NOT NULL AND expires_at <= ?",
                arguments: [id, now]
            )
            try db.execute(
                sql: "UPDATE webhook_secret SET expires_at = ? WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)",
                arguments: [Timestamp.string(from: expiring), id, Timestamp.string(from: expiring)]
            )
            try Self.addSecret(newSecret, endpointID: id, db: db, now: context.now)
            try Self.audit(
                db,
                context,
                action: "webhook_endpoint.rotate_secret",
                id: id,
                detail: .object(["old_secrets_expire_at": .string(Timestamp.string(from: expiring))])
            )
            return (endpoint, expiring)
        }
    }

    /// The secrets that sign at `now`, newest first.
    public func signingSecrets(endpointID: String, now: Date) async throws -> [String] {
        try await read { db in try Self.signingSecrets(db, endpointID: endpointID, now: now) }
    }

    static func signingSecrets(_ db: Database, endpointID: String, now: Date) throws -> [String] {
        // Cached: the delivery worker asks for every due endpoint after every send.
        try String.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT secret FROM webhook_secret WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)
                    ORDER BY created_at DESC, expires_at IS NULL DESC
                    """
            ),
            arguments: [endpointID, Timestamp.string(from: now)]
        )
    }

    private static func addSecret(_ secret: String, endpointID: String, db: Database, now: Date) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO webhook_secret (endpoint_id, secret, created_at, expires_at) VALUES (?, ?, ?, NULL)",
            arguments: [endpointID, secret, Timestamp.string(from: now)]
        )
    }

    private static func checkOwner(_ owner: Owner?, db: Database) throws {
        switch owner {
        case .buyer(let id)?:
            guard try exists(.buyer, id: id, db: db) else { throw ValidationFailure(field: "owner", message: "no buyer with id \(id)") }
        case .supplier(let id)?:
            guard try exists(.supplier, id: id, db: db) else { throw ValidationFailure(field: "owner", message: "no supplier with id \(id)") }
        case .none?, nil:
            break
        }
    }

    /// The fields that changed, for the audit log: URLs by their origin only (the audit log is
    /// read by every admin; a robot's key stays with its endpoint), a changed path or query
    /// still shows as a change.
    private static func changes(from old: WebhookEndpoint, to new: WebhookEndpoint) -> JSONValue {
        let before = Dictionary(uniqueKeysWithValues: old.fields.map { ($0.name, $0.value) })
        var changed: [String: JSONValue] = [:]
        for (name, value) in new.fields where name != "updated_at" && before[name] != value {
            changed[name] =
                name == "url"
                ? .object([
                    "from": .string(WebhookEndpoint.origin(of: old.url)), "to": .string(WebhookEndpoint.origin(of: new.url)), "redacted": .bool(true),
                ])
                : .object(["from": before[name] ?? .null, "to": value])
        }
        return .object(changed)
    }
}
