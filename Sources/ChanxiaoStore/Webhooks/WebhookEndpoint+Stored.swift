import ChanxiaoCore
import Foundation
import GRDB

extension WebhookEndpoint {
    init(row: Row) throws {
        let owner: String? = row["owner"]
        self.init(
            id: row["id"],
            url: row["url"],
            format: try ColumnValue.enumeration(row, "format"),
            eventTypes: try ColumnValue.jsonArray(row, "event_types"),
            description: row["description"],
            owner: owner.flatMap(Owner.init(text:)),
            enabled: row["enabled"],
            disabledReason: row["disabled_reason"],
            disabledAt: try ColumnValue.optionalTimestamp(row, "disabled_at"),
            failingSince: try ColumnValue.optionalTimestamp(row, "failing_since"),
            rateLimitPerMinute: row["rate_limit_per_minute"],
            region: row["region"],
            createdBy: row["created_by"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    static func read(_ db: Database, id: String) throws -> WebhookEndpoint? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM webhook_endpoint WHERE id = ?"), arguments: [id]).map(WebhookEndpoint.init(row:))
    }

    /// Inserts or updates in place: a REPLACE would delete the row first and, with it, the
    /// endpoint's secrets and deliveries (ON DELETE CASCADE).
    func save(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO webhook_endpoint (id, url, format, event_types, description, owner, enabled, disabled_reason, disabled_at,
                                              failing_since, rate_limit_per_minute, region, created_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, format = excluded.format, event_types = excluded.event_types,
                    description = excluded.description, owner = excluded.owner, enabled = excluded.enabled,
                    disabled_reason = excluded.disabled_reason, disabled_at = excluded.disabled_at, failing_since = excluded.failing_since,
                    rate_limit_per_minute = excluded.rate_limit_per_minute, region = excluded.region, updated_at = excluded.updated_at
                """,
            arguments: [
                id, url, format.rawValue, ColumnValue.json(eventTypes), description, owner?.text, enabled, disabledReason,
                disabledAt.map(Timestamp.string(from:)), failingSince.map(Timestamp.string(from:)), rateLimitPerMinute, region, createdBy,
                Timestamp.string(from: createdAt), Timestamp.string(from: updatedAt),
            ]
        )
    }
}

extension WebhookMessage.Delivery {
    init(row: Row) throws {
        self.init(
            endpointID: row["endpoint_id"],
            status: try ColumnValue.enumeration(row, "status"),
            attempts: row["attempts"],
            nextAttemptAt: try ColumnValue.optionalTimestamp(row, "next_attempt_at"),
            lastAttemptAt: try ColumnValue.optionalTimestamp(row, "last_attempt_at"),
            lastError: row["last_error"],
            deliveredAt: try ColumnValue.optionalTimestamp(row, "delivered_at")
        )
    }
}

extension WebhookAttempt {
    init(row: Row) throws {
        self.init(
            id: row["id"],
            messageID: row["message_id"],
            endpointID: row["endpoint_id"],
            attemptedAt: try ColumnValue.timestamp(row, "attempted_at"),
            trigger: try ColumnValue.enumeration(row, "trigger"),
            responseStatus: row["response_status"],
            latencyMilliseconds: row["latency_ms"],
            error: row["error"],
            responseBody: row["response_body"]
        )
    }
}
