import ChanxiaoCore
import ChanxiaoScheduling
import Foundation
import GRDB

/// A fair's booths as allocated: who holds each numbered booth, and who waits.
public struct BoothBoard: Sendable {
    public var fair: Fair
    /// Booth number → application.
    public var booths: [(number: Int, application: FairApplication, poverty: Bool)]
    public var waitlist: [(application: FairApplication, booths: Int)]
    public var freeBooths: [Int]
    /// Free booths kept back because giving them out would break the poverty share.
    public var heldForPoverty: Int

    public var povertyShare: Double {
        booths.isEmpty ? 0 : Double(booths.filter(\.poverty).count) / Double(booths.count)
    }
}

extension FairApplication {
    init(row: Row, productIDs: [String], booths: [Int]) throws {
        self.init(
            id: row["id"],
            fairID: row["fair_id"],
            applicantKind: try ColumnValue.enumeration(row, "applicant_kind"),
            countyCode: row["county_code"],
            supplierID: row["supplier_id"],
            productIDs: productIDs,
            boothsRequested: row["booths_requested"],
            status: try ColumnValue.enumeration(row, "status"),
            booths: booths,
            note: row["note"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    static func fetchAll(_ db: Database, fairID: String) throws -> [FairApplication] {
        var products: [String: [String]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT p.application_id, p.product_id FROM fair_application_product p JOIN fair_application a ON a.id = p.application_id
                WHERE a.fair_id = ? ORDER BY p.application_id, p.position
                """,
            arguments: [fairID]
        ) {
            products[row["application_id"], default: []].append(row["product_id"])
        }
        var booths: [String: [Int]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT application_id, number FROM booth WHERE fair_id = ? ORDER BY number", arguments: [fairID]) {
            booths[row["application_id"], default: []].append(row["number"])
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM fair_application WHERE fair_id = ? ORDER BY id", arguments: [fairID]).map {
            try FairApplication(row: $0, productIDs: products[$0["id"]] ?? [], booths: booths[$0["id"]] ?? [])
        }
    }
}

extension AppDatabase {
    /// Records an application after checking the applicant and its products: the products must
    /// be the applicant's, and a blacklisted supplier is excluded from every schedule.
    public func applyForBooths(_ application: FairApplication, context: WriteContext) async throws -> FairApplication {
        try await write { db in
            guard let fair = try Stored<Fair>.fetchOne(db, key: application.fairID)?.entity else {
                throw StoreError.notFound(kind: "fair", id: application.fairID)
            }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM fair_application WHERE id = ?)", arguments: [application.id]) == true {
                throw StoreError.conflict("an application with id \(application.id) already exists")
            }
            var errors: [FieldError] = []
            var application = application
            if application.boothsRequested > fair.maxBoothsPerApplicant {
                errors.append(
                    FieldError(
                        field: "booths_requested",
                        message: "must not exceed the fair's max_booths_per_applicant (\(fair.maxBoothsPerApplicant))"
                    )
                )
            }
            if let supplierID = application.supplierID {
                guard let supplier = try Stored<Supplier>.fetchOne(db, key: supplierID)?.entity else {
                    throw ValidationFailure(field: "supplier_id", message: "no supplier with id \(supplierID)")
                }
                if supplier.blacklisted {
                    errors.append(FieldError(field: "supplier_id", message: "supplier \(supplierID) is blacklisted and excluded from every schedule"))
                }
                application.countyCode = supplier.countyCode
            } else if try !Self.exists(.county, id: application.countyCode, db: db) {
                throw ValidationFailure(field: "county_code", message: "no county with code \(application.countyCode)")
            }
            let (products, suppliers) = try Self.productsAndSuppliers(db, ids: application.productIDs)
            for (index, id) in application.productIDs.enumerated() {
                let field = "product_ids[\(index)]"
                guard let product = products[id] else {
                    errors.append(FieldError(field: field, message: "no product with id \(id)"))
                    continue
                }
                if let supplierID = application.supplierID, product.supplierID != supplierID {
                    errors.append(FieldError(field: field, message: "product \(id) is not a product of supplier \(supplierID)"))
                } else if product.countyCode != application.countyCode {
                    errors.append(
                        FieldError(field: field, message: "product \(id) is from county \(product.countyCode), not \(application.countyCode)")
                    )
                } else if suppliers[product.supplierID]?.blacklisted ?? true {
                    errors.append(FieldError(field: field, message: "the supplier of product \(id) is blacklisted and excluded from every schedule"))
                }
            }
            if !errors.isEmpty { throw ValidationFailure(errors) }
            try db.execute(
                sql: """
                    INSERT INTO fair_application (id, fair_id, applicant_kind, county_code, supplier_id, booths_requested, status, note, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, ?, ?)
                    """,
                arguments: [
                    application.id, fair.id, application.applicantKind.rawValue, application.countyCode, application.supplierID,
                    application.boothsRequested, Timestamp.string(from: context.now), Timestamp.string(from: context.now),
                ]
            )
            for (position, product) in application.productIDs.uniqued().enumerated() {
                try db.execute(
                    sql: "INSERT INTO fair_application_product (application_id, product_id, position) VALUES (?, ?, ?)",
                    arguments: [application.id, product, position]
                )
            }
            try Self.audit(
                db,
                context,
                action: "fair.apply",
                id: application.id,
                detail: .object(["fair_id": .string(fair.id), "booths_requested": .int(Int64(application.boothsRequested))])
            )
            application.status = .pending
            application.productIDs = application.productIDs.uniqued()
            application.createdAt = context.now
            application.updatedAt = context.now
            return application
        }
    }

    public func fairApplications(fairID: String) async throws -> [FairApplication] {
        try await read { db in try FairApplication.fetchAll(db, fairID: fairID) }
    }

    /// Gives the fair's free booths to its applications (see `BoothAllocator`) and stores the
    /// result; booths already held are kept.
    public func allocateBooths(fairID: String, settings: SchedulingSettings.Fairs, context: WriteContext) async throws -> BoothBoard {
        try await write { db in
            let board = try Self.allocate(db, fairID: fairID, settings: settings, context: context)
            try Self.audit(
                db,
                context,
                action: "fair.allocate",
                id: fairID,
                detail: .object(["booths": .int(Int64(board.booths.count)), "waitlist": .int(Int64(board.waitlist.count))])
            )
            return board
        }
    }

    /// Frees a booth; the waiting list moves up at once. Its holder is told (`booth.released`,
    /// with `reason` when the organizer gives one).
    public func releaseBooth(
        fairID: String,
        number: Int,
        reason: String? = nil,
        settings: SchedulingSettings.Fairs,
        context: WriteContext
    ) async throws -> BoothBoard {
        try await write { db in
            guard let fair = try Stored<Fair>.fetchOne(db, key: fairID)?.entity else { throw StoreError.notFound(kind: "fair", id: fairID) }
            guard
                let holder = try String.fetchOne(
                    db,
                    sql: "SELECT application_id FROM booth WHERE fair_id = ? AND number = ?",
                    arguments: [fairID, number]
                )
            else {
                throw StoreError.notFound(kind: "booth", id: "\(fairID)/\(number)")
            }
            try db.execute(sql: "DELETE FROM booth WHERE fair_id = ? AND number = ?", arguments: [fairID, number])
            // The released booth's holder wants one booth fewer, so it does not take it straight
            // back; giving back the last booth it asked for withdraws the application.
            let requested = try Int.fetchOne(db, sql: "SELECT booths_requested FROM fair_application WHERE id = ?", arguments: [holder]) ?? 1
            if requested > 1 {
                try db.execute(sql: "UPDATE fair_application SET booths_requested = booths_requested - 1 WHERE id = ?", arguments: [holder])
            } else {
                try db.execute(
                    sql: "UPDATE fair_application SET status = 'withdrawn', note = 'gave back its last booth', updated_at = ? WHERE id = ?",
                    arguments: [Timestamp.string(from: context.now), holder]
                )
            }
            try Self.audit(
                db,
                context,
                action: "fair.release",
                id: fairID,
                detail: .object(["booth": .int(Int64(number)), "application_id": .string(holder), "reason": JSONValue(reason)])
            )
            if let application = try FairApplication.fetchAll(db, fairID: fairID).first(where: { $0.id == holder }) {
                try Outbox(db, context: context).boothReleased(
                    application,
                    released: [number],
                    reason: reason ?? "released by the organizer",
                    fairName: fair.name,
                    db: db
                )
            }
            return try Self.allocate(db, fairID: fairID, settings: settings, context: context)
        }
    }

    public func boothBoard(fairID: String, settings: SchedulingSettings.Fairs) async throws -> BoothBoard? {
        try await read { db in
            guard let fair = try Stored<Fair>.fetchOne(db, key: fairID)?.entity else { return nil }
            let applications = try FairApplication.fetchAll(db, fairID: fairID)
            let claims = try Self.claims(db, fair: fair, applications: applications, settings: settings)
            let preview = BoothAllocator.allocate(fair: fair, claims: claims.filter { $0.1 }.map(\.0))
            return Self.board(
                fair: fair,
                applications: applications,
                claims: claims.map(\.0),
                waitlist: preview.waitlist,
                heldForPoverty: preview.heldForPoverty
            )
        }
    }

    static func allocate(_ db: Database, fairID: String, settings: SchedulingSettings.Fairs, context: WriteContext) throws -> BoothBoard {
        guard let fair = try Stored<Fair>.fetchOne(db, key: fairID)?.entity else { throw StoreError.notFound(kind: "fair", id: fairID) }
        var applications = try FairApplication.fetchAll(db, fairID: fairID)
        let claims = try Self.claims(db, fair: fair, applications: applications, settings: settings)
        let now = Timestamp.string(from: context.now)
        // Applications that became ineligible give their booths back before anything is handed out.
        for (claim, eligible) in claims where !eligible {
            try db.execute(sql: "DELETE FROM booth WHERE application_id = ?", arguments: [claim.applicationID])
            try db.execute(
                sql: "UPDATE fair_application SET status = 'ineligible', note = ?, updated_at = ? WHERE id = ?",
                arguments: [
                    "a supplier of its products is blacklisted; blacklisted suppliers are excluded from every schedule", now, claim.applicationID,
                ]
            )
        }
        var eligibleClaims = claims.filter(\.1).map(\.0)
        let allocation = BoothAllocator.allocate(fair: fair, claims: eligibleClaims)
        for (applicationID, numbers) in allocation.assigned {
            for number in numbers {
                try db.execute(
                    sql: "INSERT INTO booth (fair_id, number, application_id, assigned_at) VALUES (?, ?, ?, ?)",
                    arguments: [fairID, number, applicationID, now]
                )
            }
        }
        for index in eligibleClaims.indices { eligibleClaims[index].held += allocation.assigned[eligibleClaims[index].applicationID] ?? [] }
        let waiting = Dictionary(allocation.waitlist.map { ($0.applicationID, $0.booths) }, uniquingKeysWith: { a, _ in a })
        for claim in eligibleClaims {
            let status: ApplicationStatus = waiting[claim.applicationID] != nil ? .waitlisted : .allocated
            let note: String
            if let wanted = waiting[claim.applicationID] {
                let place = (allocation.waitlist.firstIndex { $0.applicationID == claim.applicationID } ?? 0) + 1
                note =
                    "holds \(claim.held.count) of \(claim.requested) booths; number \(place) on the waiting list for \(wanted) more"
                    + (allocation.heldForPoverty > 0 && !claim.poverty
                        ? " (free booths are kept for certified poverty products: the fair's min_poverty_share)" : "")
            } else if claim.held.count < claim.requested {
                note =
                    "holds \(claim.held.count) of \(claim.requested) booths: the applicant has reached the fair's max_booths_per_applicant (\(fair.maxBoothsPerApplicant))"
            } else {
                note = "holds every booth it asked for"
            }
            try db.execute(
                sql: "UPDATE fair_application SET status = ?, note = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, note, now, claim.applicationID]
            )
        }
        let before = Dictionary(uniqueKeysWithValues: applications.map { ($0.id, $0.booths) })
        applications = try FairApplication.fetchAll(db, fairID: fairID)
        // Those that hold booths they did not hold before hear which they hold now.
        try Outbox(db, context: context).boothsAssigned(
            applications.filter { !$0.booths.isEmpty && !Set($0.booths).subtracting(before[$0.id] ?? []).isEmpty },
            db: db
        )
        return board(
            fair: fair,
            applications: applications,
            claims: eligibleClaims,
            waitlist: allocation.waitlist,
            heldForPoverty: allocation.heldForPoverty
        )
    }

    /// Each application as a claim, with whether it may hold booths at all.
    private static func claims(
        _ db: Database,
        fair: Fair,
        applications: [FairApplication],
        settings: SchedulingSettings.Fairs
    ) throws -> [(BoothClaim, Bool)] {
        let (products, suppliers) = try productsAndSuppliers(db, ids: applications.flatMap(\.productIDs))
        let venue = try Stored<Venue>.fetchOne(db, key: fair.venueID)?.entity
        let counties = Dictionary(
            uniqueKeysWithValues: try Stored<County>.fetchAll(db, sql: "SELECT * FROM county").map { ($0.entity.code, $0.entity) }
        )
        return applications.filter { $0.status != .ineligible && $0.status != .withdrawn }.map { application in
            let items = application.productIDs.compactMap { products[$0] }
            let eligible = items.allSatisfy { !(suppliers[$0.supplierID]?.blacklisted ?? true) }
            // A booth counts as a poverty booth when everything it shows is certified for the whole fair.
            let poverty = !items.isEmpty && items.allSatisfy { $0.isCertified(on: fair.endsOn) }
            let county = counties[application.countyCode]
            var priority = 0
            if county?.povertyStatus == .deep { priority += settings.deepPovertyPriority }
            if let venue, county?.isPaired(withBuyerRegion: venue.regionCode) == true { priority += settings.pairedPriority }
            return (
                BoothClaim(
                    applicationID: application.id,
                    applicant: application.applicant,
                    requested: application.boothsRequested,
                    poverty: poverty,
                    priority: priority,
                    held: application.booths
                ), eligible
            )
        }
    }

    private static func board(
        fair: Fair,
        applications: [FairApplication],
        claims: [BoothClaim],
        waitlist: [(applicationID: String, booths: Int)],
        heldForPoverty: Int
    ) -> BoothBoard {
        let byID = Dictionary(uniqueKeysWithValues: applications.map { ($0.id, $0) })
        let poverty = Dictionary(claims.map { ($0.applicationID, $0.poverty) }, uniquingKeysWith: { a, _ in a })
        var booths: [(number: Int, application: FairApplication, poverty: Bool)] = []
        for application in applications {
            for number in application.booths { booths.append((number, application, poverty[application.id] ?? false)) }
        }
        booths.sort { $0.number < $1.number }
        let taken = Set(booths.map(\.number))
        return BoothBoard(
            fair: fair,
            booths: booths,
            waitlist: waitlist.compactMap { entry in byID[entry.applicationID].map { ($0, entry.booths) } },
            freeBooths: (1...fair.boothCount).filter { !taken.contains($0) },
            heldForPoverty: heldForPoverty
        )
    }
}
