import ChanxiaoCore
import ChanxiaoScheduling
import Foundation
import GRDB

/// A stored livestream plan and the sessions it made.
public struct LivestreamPlanRecord: Sendable {
    public var id: String
    public var rotationID: String
    public var sessionsPerSlot: Int
    public var durationMinutes: Int
    public var score: [(term: String, value: Double)]
    public var total: Double
    public var bound: Double
    public var sessions: [Livestream]
    /// Why each session is where it is, by session id.
    public var reasons: [String: [String]]
    public var createdAt: Date
}

extension Livestream {
    init(row: Row, productIDs: [String]) throws {
        self.init(
            id: row["id"],
            hostID: row["host_id"],
            platform: try ColumnValue.enumeration(row, "platform"),
            startsAt: try ColumnValue.timestamp(row, "starts_at"),
            endsAt: try ColumnValue.timestamp(row, "ends_at"),
            feeFen: row["fee_fen"],
            productIDs: productIDs,
            title: row["title"],
            rotationID: row["rotation_id"],
            week: (row["week"] as String?).flatMap { IsoWeek($0) },
            planID: row["plan_id"],
            status: try ColumnValue.enumeration(row, "status"),
            sequence: row["sequence"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at"),
            cancelReason: row["cancel_reason"]
        )
    }

    func insert(_ db: Database, reasons: [String] = []) throws {
        try db.execute(
            sql: """
                INSERT INTO livestream (id, host_id, platform, starts_at, ends_at, fee_fen, title, rotation_id, week, plan_id, status, sequence,
                                        reasons, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, hostID, platform.rawValue, Timestamp.string(from: startsAt), Timestamp.string(from: endsAt), feeFen, title,
                rotationID, week?.description, planID, status.rawValue, sequence, ColumnValue.json(reasons),
                Timestamp.string(from: createdAt), Timestamp.string(from: updatedAt),
            ]
        )
        for (position, product) in productIDs.enumerated() {
            try db.execute(
                sql: "INSERT INTO livestream_product (livestream_id, product_id, position) VALUES (?, ?, ?)",
                arguments: [id, product, position]
            )
        }
    }

    static func fetch(_ db: Database, _ sql: SQL) throws -> [Livestream] {
        let rows = try SQLRequest<Row>(literal: sql).fetchAll(db)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0["id"] as String }
        var products: [String: [String]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT livestream_id, product_id FROM livestream_product WHERE livestream_id IN \(chunk.sqlList) ORDER BY livestream_id, position",
                arguments: StatementArguments(chunk)
            ) {
                products[row["livestream_id"], default: []].append(row["product_id"])
            }
        }
        return try rows.map { try Livestream(row: $0, productIDs: products[$0["id"]] ?? []) }
    }
}

/// Filters of the livestream list.
public struct LivestreamQuery: Sendable {
    public var hostID: String?
    public var rotationID: String?
    public var week: IsoWeek?
    public var status: LivestreamStatus?
    /// A region-bound organizer's: only the sessions it holds (`ScopedRecord.livestream`).
    public var jurisdiction: Jurisdiction?
    public var limit = 50
    public var afterID: String?

    public init() {}
}

extension AppDatabase {
    /// Checks one session against the host, its bookings and the catalog, and stores it — in
    /// one transaction, so that two requests cannot book the same host at once.
    public func createLivestream(
        _ session: Livestream,
        settings: SchedulingSettings.Livestreams,
        zone: TimeZone,
        context: WriteContext
    ) async throws -> Livestream {
        try await write { db in
            if try Livestream.fetch(db, "SELECT * FROM livestream WHERE id = \(session.id)").first != nil {
                throw StoreError.conflict("a livestream with id \(session.id) already exists")
            }
            guard let host = try Stored<LivestreamHost>.fetchOne(db, key: session.hostID)?.entity else {
                throw ValidationFailure(field: "host_id", message: "no host with id \(session.hostID)")
            }
            let (products, suppliers) = try Self.productsAndSuppliers(db, ids: session.productIDs)
            let booked = try Self.bookings(db, hostIDs: [host.id], around: session.startsAt, session.endsAt)
            let errors = LivestreamRules.violations(
                of: session,
                host: host,
                booked: booked,
                products: products,
                suppliers: suppliers,
                settings: settings,
                zone: zone
            )
            if !errors.isEmpty { throw ValidationFailure(errors) }
            try session.insert(db)
            if context.jurisdiction != nil, try !Self.holds(context.jurisdiction, .livestream, id: session.id, db: db) {
                throw ValidationFailure(
                    field: "product_ids",
                    message:
                        "must show a product of a county inside this token's regions or paired with them (or promote a rotation of one of its venues)"
                )
            }
            try Outbox(db, context: context).livestreams(.livestreamScheduled, [session], db: db)
            try Self.audit(
                db,
                context,
                action: "livestream.create",
                id: session.id,
                detail: .object(["host_id": .string(host.id), "starts_at": .string(Timestamp.string(from: session.startsAt))])
            )
            return session
        }
    }

    /// Cancels a session (`reason`, when the organizer gives one, travels in the event); it
    /// stays listed, and in calendars as cancelled. Cancelling it again changes nothing.
    public func cancelLivestream(id: String, reason: String? = nil, context: WriteContext) async throws -> Livestream {
        try await write { db in
            guard let session = try Livestream.fetch(db, "SELECT * FROM livestream WHERE id = \(id)").first else {
                throw StoreError.notFound(kind: "livestream", id: id)
            }
            guard session.status == .scheduled else { return session }
            return try Self.cancel(session, reason: reason, stillEligible: [], db: db, context: context)
        }
    }

    public func livestream(id: String) async throws -> (session: Livestream, reasons: [String])? {
        try await read { db in
            guard let session = try Livestream.fetch(db, "SELECT * FROM livestream WHERE id = \(id)").first else { return nil }
            let reasons: [String] =
                try Row.fetchOne(db, sql: "SELECT reasons FROM livestream WHERE id = ?", arguments: [id])
                .map { try ColumnValue.jsonArray($0, "reasons") } ?? []
            return (session, reasons)
        }
    }

    public func livestreams(_ query: LivestreamQuery) async throws -> Page<Livestream> {
        try await read { db in
            var conditions: [SQL] = try Self.condition(query.jurisdiction, .livestream, db: db).map { [$0] } ?? []
            if let host = query.hostID { conditions.append("host_id = \(host)") }
            if let rotation = query.rotationID { conditions.append("rotation_id = \(rotation)") }
            if let week = query.week { conditions.append("week = \(week.description)") }
            if let status = query.status { conditions.append("status = \(status.rawValue)") }
            if let after = query.afterID { conditions.append("id > \(after)") }
            let items = try Livestream.fetch(db, "SELECT * FROM livestream \(SQL.whereClause(conditions)) ORDER BY id LIMIT \(query.limit + 1)")
            return Page(fetched: items, limit: query.limit, id: \.id)
        }
    }

    /// Plans the livestreams of a published rotation and stores them in one transaction. An
    /// earlier plan of the rotation is replaced: its sessions are cancelled and not counted as
    /// bookings.
    public func planLivestreams(
        rotationID: String,
        sessionsPerSlot: Int,
        durationMinutes: Int,
        planID: String,
        sessionID: @Sendable (Int) -> String,
        settings: SchedulingSettings.Livestreams,
        zone: TimeZone,
        context: WriteContext
    ) async throws -> LivestreamPlanRecord {
        try await write { db in
            guard let rotation = try Rotation.read(db, id: rotationID) else {
                throw ValidationFailure(field: "rotation_id", message: "no rotation with id \(rotationID)")
            }
            guard rotation.status == .published else {
                throw ValidationFailure(field: "rotation_id", message: "rotation \(rotationID) is a draft; publish it first")
            }
            let replaced = try Livestream.fetch(
                db,
                "SELECT * FROM livestream WHERE rotation_id = \(rotationID) AND plan_id IS NOT NULL AND status = 'scheduled'"
            )
            for session in replaced {
                try db.execute(
                    sql: "UPDATE livestream SET status = 'cancelled', sequence = sequence + 1, updated_at = ? WHERE id = ?",
                    arguments: [Timestamp.string(from: context.now), session.id]
                )
            }
            let hosts = try Self.all(LivestreamHost.self, db: db)
            let (products, suppliers) = try Self.productsAndSuppliers(db, ids: rotation.slots.map(\.productID))
            let first = rotation.fromWeek.monday
            let last = rotation.lastWeek.sunday.adding(days: 1)
            let booked = try Self.bookings(
                db,
                hostIDs: hosts.map(\.id),
                around: LocalTime.instant(first, minute: 0, in: zone),
                LocalTime.instant(last, minute: 0, in: zone)
            )
            let request = LivestreamPlanRequest(
                slots: rotation.slots.map { ($0.week, $0.productID) },
                sessionsPerSlot: sessionsPerSlot,
                durationMinutes: durationMinutes
            )
            let plan = try LivestreamPlanner.plan(
                request,
                hosts: hosts,
                booked: booked,
                products: products,
                suppliers: suppliers,
                settings: settings,
                zone: zone
            )
            let score = LivestreamTerm.allCases.map { ($0.rawValue, plan.score[$0] ?? 0) }
            try db.execute(
                sql: """
                    INSERT INTO livestream_plan (id, rotation_id, sessions_per_slot, duration_minutes, score, total, bound, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    planID, rotationID, sessionsPerSlot, durationMinutes, ColumnValue.pointsText(score), plan.total, plan.bound,
                    Timestamp.string(from: context.now), context.actor,
                ]
            )
            var sessions: [Livestream] = []
            var reasons: [String: [String]] = [:]
            for (n, planned) in plan.sessions.enumerated() {
                let session = Livestream(
                    id: sessionID(n),
                    hostID: planned.hostID,
                    platform: planned.platform,
                    startsAt: planned.startsAt,
                    endsAt: planned.endsAt,
                    productIDs: [planned.productID],
                    rotationID: rotationID,
                    week: planned.week,
                    planID: planID,
                    createdAt: context.now,
                    updatedAt: context.now
                )
                try session.insert(db, reasons: planned.reasons)
                sessions.append(session)
                reasons[session.id] = planned.reasons
            }
            try Outbox(db, context: context).livestreams(.livestreamScheduled, sessions, db: db)
            try Self.audit(
                db,
                context,
                action: "livestream_plan.create",
                id: planID,
                detail: .object([
                    "rotation_id": .string(rotationID), "sessions": .int(Int64(sessions.count)),
                    "replaced": .int(Int64(replaced.count)),
                ])
            )
            return LivestreamPlanRecord(
                id: planID,
                rotationID: rotationID,
                sessionsPerSlot: sessionsPerSlot,
                durationMinutes: durationMinutes,
                score: score,
                total: plan.total,
                bound: plan.bound,
                sessions: sessions,
                reasons: reasons,
                createdAt: context.now
            )
        }
    }

    static func productsAndSuppliers(_ db: Database, ids: [String]) throws -> (products: [String: Product], suppliers: [String: Supplier]) {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return ([:], [:]) }
        let products = try Stored<Product>.fetchAll(
            db,
            sql: "SELECT * FROM product WHERE id IN \(unique.sqlList)",
            arguments: StatementArguments(unique)
        ).map(\.entity)
        let supplierIDs = Array(Set(products.map(\.supplierID)))
        let suppliers =
            supplierIDs.isEmpty
            ? []
            : try Stored<Supplier>.fetchAll(
                db,
                sql: "SELECT * FROM supplier WHERE id IN \(supplierIDs.sqlList)",
                arguments: StatementArguments(supplierIDs)
            ).map(\.entity)
        return (Dictionary(uniqueKeysWithValues: products.map { ($0.id, $0) }), Dictionary(uniqueKeysWithValues: suppliers.map { ($0.id, $0) }))
    }

    /// Scheduled sessions of these hosts that touch the days around `start`…`end`.
    static func bookings(_ db: Database, hostIDs: [String], around start: Date, _ end: Date) throws -> [Livestream] {
        guard !hostIDs.isEmpty else { return [] }
        let from = Timestamp.string(from: start.addingTimeInterval(-2 * 86_400))
        let to = Timestamp.string(from: end.addingTimeInterval(2 * 86_400))
        let sql = SQL(
            sql:
                "SELECT * FROM livestream WHERE status = 'scheduled' AND host_id IN \(hostIDs.sqlList) AND starts_at < ? AND ends_at > ? ORDER BY starts_at",
            arguments: StatementArguments(hostIDs + [to, from])
        )
        return try Livestream.fetch(db, sql)
    }
}
