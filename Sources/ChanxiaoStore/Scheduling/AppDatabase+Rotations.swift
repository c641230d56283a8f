import ChanxiaoCore
import ChanxiaoScheduling
import Foundation
import GRDB

/// A rotation's slot as the venue's calendar shows it: from the most recently published
/// rotation that covers the week.
public struct OfficialSlot: Sendable, Equatable {
    public var rotationID: String
    public var slot: FeaturedSlot
}

/// What a rotation plan needs besides the request, from outside the store.
public struct RotationPlanning: Sendable {
    public var settings: SchedulingSettings.Rotation
    /// Matching's slow-moving rule: slow products are preferred for featuring.
    public var slowMoving: SlowMovingRule

    public init(settings: SchedulingSettings.Rotation, slowMoving: SlowMovingRule) {
        self.settings = settings
        self.slowMoving = slowMoving
    }
}

extension AppDatabase {
    /// Plans a rotation and stores it as a draft, in one transaction: the plan sees the catalog
    /// and the published slots as they are when it is stored.
    public func planRotation(
        _ request: RotationRequest,
        requestJSON: JSONValue,
        id: String,
        planning: RotationPlanning,
        context: WriteContext
    ) async throws -> Rotation {
        try await write { db in
            let catalog = try Self.rotationCatalog(db)
            let official = try Self.officialSlots(db, venueID: request.venue.id)
            var published: [IsoWeek: FeaturedChoice] = [:]
            for entry in official { published[entry.slot.week] = FeaturedChoice(countyCode: entry.slot.countyCode, productID: entry.slot.productID) }
            let slow = Set(
                try Self.slowMovingProducts(in: request.fromWeek, rule: planning.slowMoving, products: Array(catalog.products.values), db: db)
                    .map(\.product.id)
            )
            let plan = try RotationPlanner.plan(
                request,
                catalog: catalog,
                state: RotationState(published: published, slowMoving: slow),
                settings: planning.settings
            )
            let rotation = Rotation(
                id: id,
                venueID: request.venue.id,
                fromWeek: request.fromWeek,
                weeks: request.weeks,
                status: .draft,
                cycleLength: plan.cycleLength,
                slots: plan.slots.map { slot in
                    FeaturedSlot(
                        week: slot.week,
                        countyCode: slot.countyCode,
                        productID: slot.productID,
                        pinned: slot.pinned,
                        reasons: slot.reasons,
                        points: RotationTerm.allCases.compactMap { term in slot.points[term].map { (term.rawValue, $0) } },
                        updatedAt: context.now
                    )
                },
                blackoutWeeks: plan.blackoutWeeks,
                unplaced: plan.unplaced.map { ($0.countyCode, $0.reason) },
                score: RotationTerm.allCases.map { ($0.rawValue, plan.score[$0] ?? 0) },
                total: plan.total,
                bound: plan.bound,
                request: requestJSON,
                createdAt: context.now
            )
            try rotation.insert(db, createdBy: context.actor)
            try Self.audit(
                db,
                context,
                action: "rotation.create",
                id: id,
                detail: .object([
                    "venue_id": .string(request.venue.id), "from_week": .string(request.fromWeek.description),
                    "weeks": .int(Int64(request.weeks)),
                ])
            )
            return rotation
        }
    }

    /// Makes a draft official. Its weeks replace those of earlier published rotations of the
    /// venue on the calendar; a week whose county or product changes gets a higher sequence.
    public func publishRotation(id: String, context: WriteContext) async throws -> Rotation {
        try await write { db in
            guard var rotation = try Rotation.read(db, id: id) else { throw StoreError.notFound(kind: "rotation", id: id) }
            guard rotation.status == .draft else { throw StoreError.conflict("rotation \(id) is already published") }
            // A withdrawn week would be announced as featured: it is replaced first.
            if let withdrawn = rotation.slots.first(where: { $0.withdrawnReason != nil }) {
                throw StoreError.conflict(
                    "week \(withdrawn.week) of rotation \(id) was withdrawn (\(withdrawn.withdrawnReason ?? "")); replace it before publishing"
                )
            }
            let before = Dictionary(
                try Self.officialSlots(db, venueID: rotation.venueID).map { ($0.slot.week, $0.slot) },
                uniquingKeysWith: { a, _ in a }
            )
            for index in rotation.slots.indices {
                let slot = rotation.slots[index]
                guard let old = before[slot.week] else { continue }
                rotation.slots[index].sequence =
                    old.countyCode == slot.countyCode && old.productID == slot.productID ? old.sequence : old.sequence + 1
                try rotation.slots[index].save(db, rotationID: id)
            }
            rotation.status = .published
            rotation.publishedAt = context.now
            try db.execute(
                sql: "UPDATE rotation SET status = 'published', published_at = ? WHERE id = ?",
                arguments: [Timestamp.string(from: context.now), id]
            )
            try Self.audit(db, context, action: "rotation.publish", id: id, detail: .object(["venue_id": .string(rotation.venueID)]))
            try Outbox(db, context: context).rotationPublished(rotation, db: db)
            return rotation
        }
    }

    /// Exchanges the county and product of two weeks of a rotation, refused when either
    /// product cannot be featured in its new week.
    public func swapRotationWeeks(id: String, _ a: IsoWeek, _ b: IsoWeek, context: WriteContext) async throws -> Rotation {
        try await editRotation(id: id, context: context) { rotation, catalog, venue in
            guard let i = rotation.slots.firstIndex(where: { $0.week == a }) else {
                throw ValidationFailure(field: "weeks[0]", message: "\(a) has no featured county in rotation \(id)")
            }
            guard let j = rotation.slots.firstIndex(where: { $0.week == b }) else {
                throw ValidationFailure(field: "weeks[1]", message: "\(b) has no featured county in rotation \(id)")
            }
            var slots = rotation.slots
            (slots[i].countyCode, slots[j].countyCode) = (slots[j].countyCode, slots[i].countyCode)
            (slots[i].productID, slots[j].productID) = (slots[j].productID, slots[i].productID)
            // The reasons travel with the county they explain; the points were the old weeks'.
            (slots[i].reasons, slots[j].reasons) = (
                ["moved here from \(b) by the organizer"] + slots[j].reasons,
                ["moved here from \(a) by the organizer"] + slots[i].reasons
            )
            (slots[i].pinned, slots[j].pinned) = (true, true)
            slots[i].points = []
            slots[j].points = []
            for (n, index) in [i, j].enumerated() { try Self.checkSlot(slots[index], field: "weeks[\(n)]", catalog: catalog, venue: venue) }
            try Self.checkCycles(slots, rotation: rotation, field: "weeks")
            return (slots, [i, j], "swap", .object(["weeks": .array([.string(a.description), .string(b.description)])]))
        }
    }

    /// Replaces the county (and product) of one week, refused when a hard rule would break.
    /// Without a product, the county's best product for the week is taken.
    public func replaceRotationSlot(id: String, week: IsoWeek, countyCode: String, productID: String?, context: WriteContext) async throws -> Rotation
    {
        try await editRotation(id: id, context: context) { rotation, catalog, venue in
            guard let i = rotation.slots.firstIndex(where: { $0.week == week }) else {
                throw ValidationFailure(field: "week", message: "\(week) has no featured county in rotation \(id) (blackout weeks stay empty)")
            }
            guard catalog.counties[countyCode] != nil else {
                throw ValidationFailure(field: "county_code", message: "no county with code \(countyCode)")
            }
            let chosen: String
            if let productID {
                chosen = productID
            } else {
                guard let best = Self.bestFeaturable(county: countyCode, week: week, catalog: catalog, venue: venue) else {
                    let problem = FeatureRules.countyProblem(countyCode, catalog: catalog, week: week, venue: venue) ?? .noProducts
                    throw ValidationFailure(
                        field: "county_code",
                        message: "county \(countyCode) cannot be featured in \(week): " + FeatureRules.describe(problem, week: week, venue: venue)
                    )
                }
                chosen = best.id
            }
            var slots = rotation.slots
            let before = slots[i]
            slots[i].countyCode = countyCode
            slots[i].productID = chosen
            slots[i].pinned = true
            slots[i].reasons = ["set by the organizer"]
            slots[i].points = []
            slots[i].withdrawnReason = nil
            try Self.checkSlot(slots[i], field: productID == nil ? "county_code" : "product_id", catalog: catalog, venue: venue)
            try Self.checkCycles(slots, rotation: rotation, field: "county_code")
            return (
                slots, [i], "replace",
                .object([
                    "week": .string(week.description),
                    "from": .object(["county_code": .string(before.countyCode), "product_id": .string(before.productID)]),
                    "to": .object(["county_code": .string(countyCode), "product_id": .string(chosen)]),
                ])
            )
        }
    }

    public func rotation(id: String) async throws -> Rotation? {
        try await read { db in try Rotation.read(db, id: id) }
    }

    /// Rotations newest first, optionally of one venue or status, within a jurisdiction.
    public func rotations(
        venueID: String?,
        status: RotationStatus?,
        limit: Int,
        beforeID: String?,
        within jurisdiction: Jurisdiction? = nil
    ) async throws -> Page<Rotation> {
        try await read { db in
            var conditions: [SQL] = try Self.condition(jurisdiction, .rotation, db: db).map { [$0] } ?? []
            if let venueID { conditions.append("venue_id = \(venueID)") }
            if let status { conditions.append("status = \(status.rawValue)") }
            if let beforeID { conditions.append("id < \(beforeID)") }
            let rotations = try SQLRequest<Row>("SELECT * FROM rotation \(SQL.whereClause(conditions)) ORDER BY id DESC LIMIT \(limit + 1)")
                .fetchAll(db).map(Rotation.init(row:))
            return Page(fetched: rotations, limit: limit, id: \.id)
        }
    }

    public func officialSlots(venueID: String) async throws -> [OfficialSlot] {
        try await read { db in try Self.officialSlots(db, venueID: venueID) }
    }

    /// For each week, the slot of the most recently published rotation of the venue whose
    /// range covers it (a later rotation's blackout week empties the week).
    static func officialSlots(_ db: Database, venueID: String) throws -> [OfficialSlot] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT * FROM rotation WHERE venue_id = ? AND status = 'published' ORDER BY published_at DESC, id DESC",
            arguments: [venueID]
        )
        var decided: Set<IsoWeek> = []
        var result: [OfficialSlot] = []
        for row in rows {
            let rotation = try Rotation(row: row)
            let slots = Dictionary(try FeaturedSlot.fetch(db, rotationID: rotation.id).map { ($0.week, $0) }, uniquingKeysWith: { a, _ in a })
            for offset in 0..<rotation.weeks {
                let week = rotation.fromWeek.adding(weeks: offset)
                guard decided.insert(week).inserted else { continue }
                if let slot = slots[week] { result.append(OfficialSlot(rotationID: rotation.id, slot: slot)) }
            }
        }
        return result.sorted { $0.slot.week < $1.slot.week }
    }

    static func rotationCatalog(_ db: Database) throws -> RotationCatalog {
        RotationCatalog(counties: try all(County.self, db: db), suppliers: try all(Supplier.self, db: db), products: try all(Product.self, db: db))
    }

    // MARK: Editing

    private func editRotation(
        id: String,
        context: WriteContext,
        _ change: @Sendable (Rotation, RotationCatalog, Venue) throws -> (slots: [FeaturedSlot], changed: [Int], kind: String, detail: JSONValue)
    ) async throws -> Rotation {
        try await write { db in
            guard var rotation = try Rotation.read(db, id: id) else { throw StoreError.notFound(kind: "rotation", id: id) }
            guard let venue = try Stored<Venue>.fetchOne(db, key: rotation.venueID)?.entity else {
                throw StoreError.notFound(kind: "venue", id: rotation.venueID)
            }
            let (slots, changed, kind, detail) = try change(rotation, try Self.rotationCatalog(db), venue)
            let edited = changed.filter { slots[$0] != rotation.slots[$0] }
            let previous = edited.map { rotation.slots[$0] }
            for index in edited {
                var slot = slots[index]
                if slot.countyCode != rotation.slots[index].countyCode || slot.productID != rotation.slots[index].productID {
                    slot.sequence += 1
                }
                slot.updatedAt = context.now
                try slot.save(db, rotationID: id)
                if slot.productID != rotation.slots[index].productID {
                    try Self.refeature(rotationID: id, week: slot.week, productID: slot.productID, db: db, now: context.now)
                }
                rotation.slots[index] = slot
            }
            let change = RotationChange(at: context.now, actor: context.actor, kind: kind, detail: detail)
            try db.execute(
                sql: "INSERT INTO rotation_change (rotation_id, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, Timestamp.string(from: context.now), context.actor, kind, ColumnValue.text(detail)]
            )
            rotation.changes.append(change)
            try Self.audit(db, context, action: "rotation.\(kind)", id: id, detail: detail)
            // Only an official rotation has anyone to tell: a draft's slots are not on a calendar yet.
            if rotation.status == .published {
                try Outbox(db, context: context).slotChanged(
                    rotation,
                    change: kind,
                    detail: detail,
                    slots: edited.map { rotation.slots[$0] },
                    previous: previous,
                    db: db
                )
            }
            return rotation
        }
    }

    /// The planned livestreams of a week promote the week's product: when the product changes,
    /// so do they (with a higher sequence, so calendars update). The new product passed the
    /// featuring rules for the whole week, which include certification and the blacklist.
    static func refeature(rotationID: String, week: IsoWeek, productID: String, db: Database, now: Date) throws {
        let ids = try String.fetchAll(
            db,
            sql: "SELECT id FROM livestream WHERE rotation_id = ? AND week = ? AND plan_id IS NOT NULL AND status = 'scheduled'",
            arguments: [rotationID, week.description]
        )
        for id in ids {
            try db.execute(sql: "DELETE FROM livestream_product WHERE livestream_id = ?", arguments: [id])
            try db.execute(sql: "INSERT INTO livestream_product (livestream_id, product_id, position) VALUES (?, ?, 0)", arguments: [id, productID])
            try db.execute(
                sql: "UPDATE livestream SET sequence = sequence + 1, updated_at = ? WHERE id = ?",
                arguments: [Timestamp.string(from: now), id]
            )
        }
    }

    static func checkSlot(_ slot: FeaturedSlot, field: String, catalog: RotationCatalog, venue: Venue) throws {
        guard let product = catalog.products[slot.productID] else {
            throw ValidationFailure(field: field, message: "no product with id \(slot.productID)")
        }
        if product.countyCode != slot.countyCode {
            throw ValidationFailure(field: field, message: "product \(product.id) is from county \(product.countyCode), not \(slot.countyCode)")
        }
        if let problem = FeatureRules.problem(product, supplier: catalog.suppliers[product.supplierID], week: slot.week, venue: venue) {
            throw ValidationFailure(
                field: field,
                message: "product \(product.id) cannot be featured in \(slot.week): "
                    + FeatureRules.explain(problem, product, week: slot.week, venue: venue)
            )
        }
    }

    /// A county at most once per cycle of the rotation.
    static func checkCycles(_ slots: [FeaturedSlot], rotation: Rotation, field: String) throws {
        var seen: [String: IsoWeek] = [:]
        for slot in slots.sorted(by: { $0.week < $1.week }) {
            let offset = (slot.week.monday.daysSinceEpoch - rotation.fromWeek.monday.daysSinceEpoch) / 7
            let key = "\(slot.countyCode)#\(offset / max(rotation.cycleLength, 1))"
            if let first = seen[key] {
                throw ValidationFailure(
                    field: field,
                    message:
                        "county \(slot.countyCode) would be featured in \(first) and \(slot.week); a county appears at most once every \(rotation.cycleLength) weeks in this rotation"
                )
            }
            seen[key] = slot.week
        }
    }
}

/// What a venue's calendar shows, with the names it needs.
public struct VenueCalendar: Sendable {
    public var slots: [OfficialSlot]
    public var fairs: [Fair]
    public var livestreams: [Livestream]
    public var counties: [String: County]
    public var products: [String: Product]
}

extension AppDatabase {
    public func venueCalendar(venueID: String) async throws -> VenueCalendar {
        try await read { db in
            let slots = try Self.officialSlots(db, venueID: venueID)
            let fairs = try Stored<Fair>.fetchAll(db, sql: "SELECT * FROM fair WHERE venue_id = ? ORDER BY starts_on, id", arguments: [venueID]).map(
                \.entity
            )
            let livestreams = try Livestream.fetch(
                db,
                """
                SELECT * FROM livestream WHERE rotation_id IN (SELECT id FROM rotation WHERE venue_id = \(venueID) AND status = 'published')
                ORDER BY starts_at, id
                """
            )
            let (products, _) = try Self.productsAndSuppliers(db, ids: slots.map(\.slot.productID) + livestreams.flatMap(\.productIDs))
            let codes = Array(Set(slots.map(\.slot.countyCode)))
            let counties =
                codes.isEmpty
                ? []
                : try Stored<County>.fetchAll(
                    db,
                    sql: "SELECT * FROM county WHERE code IN \(codes.sqlList)",
                    arguments: StatementArguments(codes)
                ).map(\.entity)
            return VenueCalendar(
                slots: slots,
                fairs: fairs,
                livestreams: livestreams,
                counties: Dictionary(uniqueKeysWithValues: counties.map { ($0.code, $0) }),
                products: products
            )
        }
    }

    public func hostCalendar(hostID: String) async throws -> (sessions: [Livestream], products: [String: Product]) {
        try await read { db in
            let sessions = try Livestream.fetch(db, "SELECT * FROM livestream WHERE host_id = \(hostID) ORDER BY starts_at, id")
            return (sessions, try Self.productsAndSuppliers(db, ids: sessions.flatMap(\.productIDs)).products)
        }
    }
}
