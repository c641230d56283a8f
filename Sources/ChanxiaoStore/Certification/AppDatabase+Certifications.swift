import ChanxiaoCore
import Foundation
import GRDB

/// A certification as its readers see it: with its product's, supplier's and county's names,
/// its history and its objections.
public struct CertificationRecord: Sendable {
    public var certification: Certification
    public var productName: String
    public var supplierName: String
    public var countyName: String
    public var steps: [CertificationStep]
    public var objections: [CertificationObjection]
}

/// What a reviewer's act carries besides the act itself.
public struct CertificationActInput: Sendable {
    public var decision: CertificationDecision?
    public var reason: String?
    public var noticeDays: Int

    public init(decision: CertificationDecision? = nil, reason: String? = nil, noticeDays: Int) {
        self.decision = decision
        self.reason = reason
        self.noticeDays = noticeDays
    }
}

/// Filters of the certification list.
public struct CertificationFilter: Sendable {
    public var status: CertificationStatus?
    public var productID: String?
    public var supplierID: String?
    public var countyCode: String?
    public var certificateNo: String?

    public init(
        status: CertificationStatus? = nil,
        productID: String? = nil,
        supplierID: String? = nil,
        countyCode: String? = nil,
        certificateNo: String? = nil
    ) {
        self.status = status
        self.productID = productID
        self.supplierID = supplierID
        self.countyCode = countyCode
        self.certificateNo = certificateNo
    }
}

extension AppDatabase {
    /// A supplier applies for one of its products (admins for any). One open application per
    /// product; the evidence is the applicant's own word until a reviewer checks it.
    public func applyForCertification(
        _ application: CertificationApplication,
        owner: Owner?,
        context: WriteContext
    ) async throws -> CertificationRecord {
        try await write { db in
            guard let product = try Stored<Product>.fetchOne(db, key: application.productID)?.entity,
                owner.map({ $0 == .supplier(product.supplierID) }) ?? true
            else {
                throw ValidationFailure(field: "product_id", message: "no product with id \(application.productID)")
            }
            let id = application.id ?? Identifier.generate(prefix: "cert", at: context.now)
            if try Self.fetchCertification(id, db) != nil { throw StoreError.conflict("a certification with id \(id) exists") }
            if let open = try Self.openCertification(of: product.id, db) {
                throw StoreError.conflict(
                    "product \(product.id) has an open application \(open.id) (\(open.status.rawValue)); wait for its decision"
                )
            }
            let certification = Certification(
                id: id,
                productID: product.id,
                supplierID: product.supplierID,
                countyCode: product.countyCode,
                status: .applied,
                productionBase: application.productionBase,
                linkedHouseholds: application.linkedHouseholds,
                foodSafetyDocs: application.foodSafetyDocs,
                createdAt: context.now,
                updatedAt: context.now
            )
            try certification.save(db)
            try Self.recordStep(db, certification.id, action: "apply", from: nil, to: CertificationStatus.applied, note: nil, context: context)
            try Self.audit(db, context, action: "certification.apply", id: id, detail: .object(["product_id": .string(product.id)]))
            return try Self.certificationRecord(id, db)!
        }
    }

    /// A reviewer's (or admin's) act on a certification within its jurisdiction. An act the
    /// current state does not allow is a conflict naming that state.
    public func actOnCertification(
        id: String,
        action: CertificationAction,
        input: CertificationActInput,
        context: WriteContext
    ) async throws -> CertificationRecord {
        try await write { db in
            try Self.actOnCertification(id: id, action: action, input: input, db: db, context: context)
            return try Self.certificationRecord(id, db)!
        }
    }

    /// The act in the caller's transaction, with its history step, audit entry and what it
    /// takes along (spans, sales, withdrawals): an upheld complaint revokes through it.
    static func actOnCertification(
        id: String,
        action: CertificationAction,
        input: CertificationActInput,
        db: Database,
        context: WriteContext
    ) throws {
        let today = context.today
        guard var certification = try Self.fetchCertification(id, db), context.governs(county: certification.countyCode) else {
            throw StoreError.notFound(kind: "certification", id: id)
        }
        let current = certification.status(on: today)
        guard action.allowedFrom.contains(current) else {
            let allowed = action.allowedFrom.map(\.rawValue).sorted().joined(separator: " or ")
            throw StoreError.conflict("certification \(id) is \(current.rawValue); \(action.rawValue) is possible only when it is \(allowed)")
        }
        switch action {
        case .review:
            break
        case .approve:
            guard let decision = input.decision else { throw ValidationFailure(field: "certificate_no", message: "is required") }
            try Self.check(decision, productID: certification.productID, countyCode: certification.countyCode, db: db)
            certification.certificateNo = decision.certificateNo
            certification.authorityCode = decision.authorityCode
            certification.authorityName = decision.authorityName
            certification.level = decision.level
            certification.validFrom = decision.validFrom
            certification.validUntil = decision.validUntil
            certification.noticeStartsOn = today
            certification.noticeEndsOn = today.adding(days: input.noticeDays - 1)
        case .list:
            if let ends = certification.noticeEndsOn, today <= ends {
                throw StoreError.conflict(
                    "certification \(id) is on public notice until \(ends); it can be listed from \(ends.adding(days: 1))"
                )
            }
            if let objection = try Self.objections(of: id, db).first(where: { $0.status == .open }) {
                throw StoreError.conflict("objection \(objection.id) to certification \(id) is open; resolve it first")
            }
            if let until = certification.validUntil, until < today {
                throw StoreError.conflict("certification \(id) was valid until \(until); approve a new application instead")
            }
            certification.listedOn = today
        case .reject, .revoke:
            guard let reason = input.reason else { throw ValidationFailure(field: "reason", message: "is required") }
            certification.reason = reason
            certification.endedOn = today
        }
        let before = certification.status
        certification.status = action.resultingStatus
        certification.updatedAt = context.now
        try certification.save(db)
        try Self.recordStep(db, id, action: action.rawValue, from: before, to: certification.status, note: input.reason, context: context)
        var detail: [String: JSONValue] = ["product_id": .string(certification.productID), "status": .string(certification.status.rawValue)]
        if action == .list || action == .revoke {
            try Self.refreshCertifiedSpans(of: certification.productID, from: today, db: db)
        }
        if action == .revoke {
            // What was planned on the listing goes with it, in this transaction.
            let withdrawn = try Self.withdrawIneligible(
                products: [certification.productID],
                reason: "certification \(id) was revoked: \(input.reason ?? "")",
                db: db,
                context: context
            )
            detail["withdrawn"] = withdrawn.detail
        }
        try Self.audit(db, context, action: "certification.\(action.rawValue)", id: id, detail: .object(detail))
    }

    /// Anyone with a token objects to a certification on public notice; one open objection
    /// per token and certification, so that nobody holds a listing up by repeating themselves.
    public func objectToCertification(id: String, reason: String, context: WriteContext) async throws -> CertificationObjection {
        try await write { db in
            let today = context.today
            guard let certification = try Self.fetchCertification(id, db), Self.publicStatuses.contains(certification.status) else {
                throw StoreError.notFound(kind: "certification", id: id)
            }
            let current = certification.status(on: today)
            guard current == .notice else {
                throw StoreError.conflict(
                    "certification \(id) is \(current.rawValue); objections are taken only during its public notice (file a complaint instead)"
                )
            }
            if let mine = try Self.objections(of: id, db).first(where: { $0.status == .open && $0.filedBy == context.actor }) {
                throw StoreError.conflict("your objection \(mine.id) to certification \(id) is still open")
            }
            let objection = CertificationObjection(
                id: Identifier.generate(prefix: "obj", at: context.now),
                certificationID: id,
                reason: reason,
                filedBy: context.actor,
                createdAt: context.now
            )
            try db.execute(
                sql: """
                    INSERT INTO certification_objection (id, certification_id, reason, filed_by, status, created_at)
                    VALUES (?, ?, ?, ?, 'open', ?)
                    """,
                arguments: [objection.id, id, reason, context.actor, Timestamp.string(from: context.now)]
            )
            try Self.recordStep(db, id, action: "object", from: CertificationStatus.notice, to: .notice, note: objection.id, context: context)
            try Self.audit(db, context, action: "certification.object", id: id, detail: .object(["objection_id": .string(objection.id)]))
            return objection
        }
    }

    /// A reviewer resolves an objection: upheld rejects the certification in the same
    /// transaction (its other open objections are closed with it); dismissed lets it be listed.
    public func resolveObjection(
        certificationID id: String,
        objectionID: String,
        upheld: Bool,
        note: String,
        context: WriteContext
    ) async throws -> CertificationRecord {
        try await write { db in
            let today = context.today
            guard var certification = try Self.fetchCertification(id, db), context.governs(county: certification.countyCode) else {
                throw StoreError.notFound(kind: "certification", id: id)
            }
            let objections = try Self.objections(of: id, db)
            guard let objection = objections.first(where: { $0.id == objectionID }) else {
                throw StoreError.notFound(kind: "objection", id: objectionID)
            }
            guard objection.status == .open else {
                throw StoreError.conflict("objection \(objectionID) is \(objection.status.rawValue) already")
            }
            let before = certification.status(on: today)
            if upheld, before != .notice {
                throw StoreError.conflict("certification \(id) is \(before.rawValue); only one on notice is rejected on an objection")
            }
            let resolve = "UPDATE certification_objection SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?"
            let at = Timestamp.string(from: context.now)
            try db.execute(sql: resolve, arguments: [upheld ? "upheld" : "dismissed", note, context.actor, at, objectionID])
            if upheld {
                for other in objections where other.status == .open && other.id != objectionID {
                    try db.execute(
                        sql: resolve,
                        arguments: ["dismissed", "closed with the certification, rejected on objection \(objectionID)", context.actor, at, other.id]
                    )
                }
                certification.status = .rejected
                certification.reason = "objection \(objectionID) upheld: \(note)"
                certification.endedOn = today
                certification.updatedAt = context.now
                try certification.save(db)
            }
            try Self.recordStep(
                db,
                id,
                action: upheld ? "uphold_objection" : "dismiss_objection",
                from: before,
                to: certification.status,
                note: "\(objectionID): \(note)",
                context: context
            )
            try Self.audit(
                db,
                context,
                action: upheld ? "certification.uphold_objection" : "certification.dismiss_objection",
                id: id,
                detail: .object(["objection_id": .string(objectionID)])
            )
            return try Self.certificationRecord(id, db)!
        }
    }

    /// One certification, if the reader may see it: suppliers their own, reviewers their
    /// jurisdiction's.
    public func certification(id: String, owner: Owner?, regions: [String]) async throws -> CertificationRecord? {
        try await read { db in
            guard let record = try Self.certificationRecord(id, db), Self.visible(record.certification, owner: owner, regions: regions) else {
                return nil
            }
            return record
        }
    }

    /// Certifications in id order, after `afterID`, as far as the reader may see.
    public func certifications(
        _ filter: CertificationFilter,
        owner: Owner?,
        regions: [String],
        today: CalendarDate,
        limit: Int,
        afterID: String?
    ) async throws -> Page<CertificationRecord> {
        var conditions = Self.conditions(filter, today: today)
        switch owner {
        case .supplier(let supplier)?: conditions.append("supplier_id = \(supplier)")
        case .buyer?, .none?: conditions.append("0")
        case nil: break
        }
        if !regions.isEmpty { conditions.append(Self.regionCondition(regions)) }
        return try await certificationPage(conditions, limit: limit, afterID: afterID, history: true)
    }

    /// The public notice (公示): certifications on notice, listed, expired or revoked, with
    /// no evidence and no applicant's details; what a buyer or a shopper checks a label against.
    /// Without history or objections, which it does not show.
    public func publicCertifications(
        _ filter: CertificationFilter,
        today: CalendarDate,
        limit: Int,
        afterID: String?
    ) async throws -> Page<CertificationRecord> {
        let statuses = Self.publicStatuses.map(\.rawValue).sorted()
        return try await certificationPage(
            Self.conditions(filter, today: today) + ["status IN \(statuses)"],
            limit: limit,
            afterID: afterID,
            history: false
        )
    }

    private func certificationPage(_ conditions: [SQL], limit: Int, afterID: String?, history: Bool) async throws -> Page<CertificationRecord> {
        try await read { db in
            let conditions = conditions + (afterID.map { ["id > \($0)"] } ?? [])
            let ids = try String.fetchAll(
                db,
                SQLRequest<String>("SELECT id FROM certification \(SQL.whereClause(conditions)) ORDER BY id LIMIT \(limit + 1)")
            )
            return Page(fetched: try ids.compactMap { try Self.certificationRecord($0, db, history: history) }, limit: limit, id: \.certification.id)
        }
    }

    static let publicStatuses: Set<CertificationStatus> = [.notice, .listed, .revoked]

    static func visible(_ certification: Certification, owner: Owner?, regions: [String]) -> Bool {
        switch owner {
        case .supplier(let id)?: return certification.supplierID == id
        case .buyer?, .none?: return false
        case nil: return DivisionCode.regions(regions, cover: certification.countyCode)
        }
    }

    static func conditions(_ filter: CertificationFilter, today: CalendarDate) -> [SQL] {
        var conditions: [SQL] = []
        switch filter.status {
        case .expired?: conditions.append("status = 'listed' AND valid_until < \(today.description)")
        case .listed?: conditions.append("status = 'listed' AND valid_until >= \(today.description)")
        case let status?: conditions.append("status = \(status.rawValue)")
        case nil: break
        }
        if let product = filter.productID { conditions.append("product_id = \(product)") }
        if let supplier = filter.supplierID { conditions.append("supplier_id = \(supplier)") }
        if let county = filter.countyCode { conditions.append("county_code LIKE \(ColumnValue.regionPrefix(county) + "%")") }
        if let number = filter.certificateNo { conditions.append("certificate_no = \(number)") }
        return conditions
    }

    static func regionCondition(_ regions: [String]) -> SQL {
        let alternatives = regions.map { region -> SQL in "county_code LIKE \(ColumnValue.regionPrefix(region) + "%")" }
        return "(" + alternatives.joined(separator: " OR ") + ")"
    }

    // MARK: Reading rows

    static func fetchCertification(_ id: String, _ db: Database) throws -> Certification? {
        try Row.fetchOne(db, sql: "SELECT * FROM certification WHERE id = ?", arguments: [id]).map(Certification.init(row:))
    }

    static func openCertification(of productID: String, _ db: Database) throws -> Certification? {
        let open = CertificationStatus.open.map(\.rawValue).sorted()
        return try SQLRequest<Row>("SELECT * FROM certification WHERE product_id = \(productID) AND status IN \(open)").fetchOne(db)
            .map(Certification.init(row:))
    }

    static func objections(of id: String, _ db: Database) throws -> [CertificationObjection] {
        try Row.fetchAll(db, sql: "SELECT * FROM certification_objection WHERE certification_id = ? ORDER BY created_at, id", arguments: [id])
            .map(CertificationObjection.init(row:))
    }

    /// The record of one certification; `history: false` leaves its steps and objections out.
    static func certificationRecord(_ id: String, _ db: Database, history: Bool = true) throws -> CertificationRecord? {
        guard let certification = try fetchCertification(id, db) else { return nil }
        let names = try Row.fetchOne(
            db,
            sql: """
                SELECT product.name AS product_name, supplier.name AS supplier_name, county.name AS county_name
                FROM product JOIN supplier ON supplier.id = product.supplier_id LEFT JOIN county ON county.code = product.county_code
                WHERE product.id = ?
                """,
            arguments: [certification.productID]
        )
        let steps =
            history
            ? try Row.fetchAll(db, sql: "SELECT * FROM certification_step WHERE certification_id = ? ORDER BY id", arguments: [id])
                .map(CertificationStep.init(row:)) : []
        return CertificationRecord(
            certification: certification,
            productName: names?["product_name"] ?? "",
            supplierName: names?["supplier_name"] ?? "",
            countyName: names?["county_name"] ?? "",
            steps: steps,
            objections: history ? try objections(of: id, db) : []
        )
    }

    // MARK: Writing rows

    /// The authority must cover the product's county, and a certificate number names one
    /// product: it may not be on notice or listed for another.
    static func check(_ decision: CertificationDecision, productID: String, countyCode: String, db: Database) throws {
        var errors: [FieldError] = []
        if let problem = decision.problem(forCounty: countyCode) {
            errors.append(FieldError(field: "authority_code", message: problem))
        }
        if let other = try Row.fetchOne(
            db,
            sql: "SELECT id, product_id FROM certification WHERE certificate_no = ? AND product_id <> ? AND status IN ('notice', 'listed') LIMIT 1",
            arguments: [decision.certificateNo, productID]
        ) {
            errors.append(
                FieldError(
                    field: "certificate_no",
                    message: "is certificate \(other["id"] as String) of product \(other["product_id"] as String); one number names one product"
                )
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// The spans of a product's listings, oldest first.
    static func certifiedSpans(of productID: String, _ db: Database) throws -> [CertifiedSpan] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT certificate_no, counts_from, counts_through FROM certification
                WHERE product_id = ? AND counts_through IS NOT NULL ORDER BY counts_through, id
                """,
            arguments: [productID]
        ).map { row in
            CertifiedSpan(
                certificateNo: row["certificate_no"],
                from: try ColumnValue.optionalDate(row, "counts_from"),
                through: try ColumnValue.date(row, "counts_through")
            )
        }
    }

    /// Keeps the product's copy of its spans in step with its certifications, and the
    /// `poverty_product` of its sales from `date` on (nil: all of them), which is when the
    /// change takes effect; `sales: false` leaves sales alone (a seed, before any are written).
    static func refreshCertifiedSpans(of productID: String, from date: CalendarDate?, sales: Bool = true, db: Database) throws {
        guard var product = try Stored<Product>.fetchOne(db, key: productID)?.entity else { return }
        product.certifiedSpans = try certifiedSpans(of: productID, db)
        try db.execute(
            sql: "UPDATE product SET certified_spans = ?, certificate_no = ?, certified_until = ? WHERE id = ?",
            arguments: [ColumnValue.json(product.certifiedSpans), product.certificateNo, product.certifiedUntil?.description, productID]
        )
        guard sales else { return }
        let blacklistedOn = try Stored<Supplier>.fetchOne(db, key: product.supplierID)?.entity.blacklistedSince
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, sold_on, poverty_product FROM sale WHERE product_id = ? AND sold_on >= ?",
            arguments: [productID, date?.description ?? ""]
        )
        for sale in rows {
            let counts = Sale.countsAsPovertyProduct(product, soldOn: try ColumnValue.date(sale, "sold_on"), supplierBlacklistedOn: blacklistedOn)
            if counts != (sale["poverty_product"] as Bool) {
                try db.execute(sql: "UPDATE sale SET poverty_product = ? WHERE id = ?", arguments: [counts, sale["id"] as String])
            }
        }
    }
}
