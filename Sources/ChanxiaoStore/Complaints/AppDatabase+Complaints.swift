import ChanxiaoCore
import Foundation
import GRDB

/// A complaint as its readers see it: with the names of its subject, supplier and county, and
/// its history.
public struct ComplaintRecord: Sendable {
    public var complaint: Complaint
    /// The product's name, or the supplier's; empty when the subject has since been deleted.
    public var subjectName: String
    public var supplierName: String
    public var countyName: String
    public var steps: [ComplaintStep]
}

/// Filters of the complaint list.
public struct ComplaintFilter: Sendable {
    public var status: ComplaintStatus?
    public var subjectKind: ComplaintSubjectKind?
    public var subjectID: String?
    public var category: ComplaintCategory?

    public init(
        status: ComplaintStatus? = nil,
        subjectKind: ComplaintSubjectKind? = nil,
        subjectID: String? = nil,
        category: ComplaintCategory? = nil
    ) {
        self.status = status
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.category = category
    }
}

extension AppDatabase {
    /// Anyone with a token files a complaint about a product or a supplier that exists. Its
    /// supplier and county are copied from the subject now, so that the reviewers of that county
    /// find it.
    public func fileComplaint(_ filing: ComplaintFiling, context: WriteContext) async throws -> ComplaintRecord {
        try await write { db in
            let supplierID: String
            let countyCode: String
            switch filing.subjectKind {
            case .product:
                guard let product = try Stored<Product>.fetchOne(db, key: filing.subjectID)?.entity else {
                    throw ValidationFailure(field: "subject_id", message: "no product with id \(filing.subjectID)")
                }
                (supplierID, countyCode) = (product.supplierID, product.countyCode)
            case .supplier:
                guard let supplier = try Stored<Supplier>.fetchOne(db, key: filing.subjectID)?.entity else {
                    throw ValidationFailure(field: "subject_id", message: "no supplier with id \(filing.subjectID)")
                }
                (supplierID, countyCode) = (supplier.id, supplier.countyCode)
            }
            let complaint = Complaint(
                id: Identifier.generate(prefix: "cmp", at: context.now),
                subjectKind: filing.subjectKind,
                subjectID: filing.subjectID,
                supplierID: supplierID,
                countyCode: countyCode,
                category: filing.category,
                description: filing.description,
                evidence: filing.evidence,
                filedBy: context.actor,
                createdAt: context.now,
                updatedAt: context.now
            )
            try complaint.save(db)
            try Self.recordStep(db, complaint.id, action: "file", from: nil, to: ComplaintStatus.open, note: nil, context: context)
            try Self.audit(
                db,
                context,
                action: "complaint.file",
                id: complaint.id,
                detail: .object([
                    "subject_kind": .string(filing.subjectKind.rawValue), "subject_id": .string(filing.subjectID),
                    "category": .string(filing.category.rawValue),
                ])
            )
            return try Self.complaintRecord(complaint.id, db)!
        }
    }

    /// An admin's or a reviewer's act on a complaint of its regions (others: 404). An act the
    /// current state does not allow is a conflict naming that state. Upholding with a remedy
    /// revokes or blacklists in this same transaction, as the reviewer's revocation and the
    /// admin's PATCH do, with everything they take along.
    public func actOnComplaint(
        id: String,
        action: ComplaintAction,
        decision: ComplaintDecision,
        context: WriteContext
    ) async throws -> ComplaintRecord {
        try await write { db in
            guard var complaint = try Self.fetchComplaint(id, db), context.governs(county: complaint.countyCode) else {
                throw StoreError.notFound(kind: "complaint", id: id)
            }
            let before = complaint.status
            guard action.allowedFrom.contains(before) else {
                let allowed = action.allowedFrom.map(\.rawValue).sorted().joined(separator: " or ")
                throw StoreError.conflict("complaint \(id) is \(before.rawValue); \(action.rawValue) is possible only when it is \(allowed)")
            }
            var detail: [String: JSONValue] = [
                "subject_kind": .string(complaint.subjectKind.rawValue), "subject_id": .string(complaint.subjectID),
            ]
            if action != .investigate {
                guard let resolution = decision.resolution else { throw ValidationFailure(field: "resolution", message: "is required") }
                complaint.resolution = resolution
                complaint.resolvedBy = context.actor
                complaint.resolvedAt = context.now
            }
            if action == .uphold {
                guard let remedy = decision.remedy else { throw ValidationFailure(field: "action", message: "is required") }
                guard remedy.isAllowed(for: context.role) else {
                    throw StoreError.forbidden("\(context.role.rawValue) tokens may not uphold a complaint with action \(remedy.rawValue)")
                }
                complaint.remedy = remedy
                detail["action"] = .string(remedy.rawValue)
                let reason = "complaint \(id) upheld: \(complaint.resolution ?? "")"
                switch remedy {
                case .none:
                    break
                case .revokeCertification:
                    complaint.revokedCertificationIDs = try Self.revokeListings(of: complaint, reason: reason, db: db, context: context)
                    detail["revoked_certification_ids"] = .array(complaint.revokedCertificationIDs.map(JSONValue.string))
                case .blacklistSupplier:
                    detail["blacklisted_supplier_id"] = .string(try Self.blacklistSupplier(of: complaint, reason: reason, db: db, context: context))
                }
            }
            complaint.status = action.resultingStatus
            complaint.updatedAt = context.now
            try complaint.save(db)
            detail["status"] = .string(complaint.status.rawValue)
            let note = action == .investigate ? decision.note : complaint.resolution
            try Self.recordStep(db, id, action: action.rawValue, from: before, to: complaint.status, note: note, context: context)
            try Self.audit(db, context, action: "complaint.\(action.rawValue)", id: id, detail: .object(detail))
            return try Self.complaintRecord(id, db)!
        }
    }

    /// One complaint, if the reader may see it.
    public func complaint(id: String, scope: ComplaintScope) async throws -> ComplaintRecord? {
        try await read { db in
            guard let record = try Self.complaintRecord(id, db), Self.visible(record.complaint, scope: scope) else { return nil }
            return record
        }
    }

    /// Complaints in id order, after `afterID`, as far as the reader may see.
    public func complaints(_ filter: ComplaintFilter, scope: ComplaintScope, limit: Int, afterID: String?) async throws -> Page<ComplaintRecord> {
        try await read { db in
            var conditions: [SQL] = []
            switch scope {
            case .all: break
            case .regions(let regions): conditions.append(Self.regionCondition(regions))
            case .filedBy(let actor): conditions.append("filed_by = \(actor)")
            }
            if let status = filter.status { conditions.append("status = \(status.rawValue)") }
            if let kind = filter.subjectKind { conditions.append("subject_kind = \(kind.rawValue)") }
            if let subject = filter.subjectID { conditions.append("subject_id = \(subject)") }
            if let category = filter.category { conditions.append("category = \(category.rawValue)") }
            if let afterID { conditions.append("id > \(afterID)") }
            let ids = try String.fetchAll(
                db,
                SQLRequest<String>("SELECT id FROM complaint \(SQL.whereClause(conditions)) ORDER BY id LIMIT \(limit + 1)")
            )
            return Page(fetched: try ids.compactMap { try Self.complaintRecord($0, db) }, limit: limit, id: \.complaint.id)
        }
    }

    static func visible(_ complaint: Complaint, scope: ComplaintScope) -> Bool {
        switch scope {
        case .all: true
        case .regions(let regions): DivisionCode.regions(regions, cover: complaint.countyCode)
        case .filedBy(let actor): complaint.filedBy == actor
        }
    }

    // MARK: Remedies

    /// Revokes the product's listings that count today, each as a reviewer's revocation does.
    /// A renewal may list a product twice; a complaint upheld against it ends both.
    private static func revokeListings(of complaint: Complaint, reason: String, db: Database, context: WriteContext) throws -> [String] {
        guard complaint.subjectKind == .product else {
            throw ValidationFailure(
                field: "action",
                message: "revoke_certification needs a complaint about a product; complaint \(complaint.id) is about supplier \(complaint.subjectID)"
            )
        }
        let today = context.today
        let listed = try Row.fetchAll(
            db,
            sql: "SELECT * FROM certification WHERE product_id = ? AND status = 'listed' ORDER BY id",
            arguments: [complaint.subjectID]
        )
        .map(Certification.init(row:)).filter { $0.status(on: today) == .listed }
        guard !listed.isEmpty else {
            throw StoreError.conflict(
                "product \(complaint.subjectID) has no listed certification to revoke; uphold with action none or blacklist_supplier"
            )
        }
        for certification in listed {
            try actOnCertification(
                id: certification.id,
                action: .revoke,
                input: CertificationActInput(reason: reason, noticeDays: 0),
                db: db,
                context: context
            )
        }
        return listed.map(\.id)
    }

    /// Blacklists the complaint's supplier (a product's current supplier) through the catalog's
    /// own save, so that the event, the audit entries and the withdrawals are those of a PATCH.
    private static func blacklistSupplier(of complaint: Complaint, reason: String, db: Database, context: WriteContext) throws -> String {
        var supplierID = complaint.supplierID
        if complaint.subjectKind == .product, let product = try Stored<Product>.fetchOne(db, key: complaint.subjectID)?.entity {
            supplierID = product.supplierID
        }
        guard let supplier = try Stored<Supplier>.fetchOne(db, key: supplierID)?.entity else {
            throw StoreError.conflict("supplier \(supplierID) no longer exists; uphold with action none")
        }
        if supplier.blacklisted {
            let since = supplier.blacklistedOn.map { " since \($0)" } ?? ""
            throw StoreError.conflict("supplier \(supplierID) is blacklisted already\(since); uphold with action none")
        }
        var updated = supplier
        updated.blacklisted = true
        // A PATCH re-reads the stored fields, which take a reason of at most 500 characters.
        updated.blacklistReason =
            reason.unicodeScalars.count <= 500 ? reason : String(String.UnicodeScalarView(reason.unicodeScalars.prefix(499))) + "…"
        updated.blacklistedOn = context.today
        updated.updatedAt = context.now
        _ = try save(updated, replacing: supplier, db: db, context: context)
        return supplierID
    }

    // MARK: Rows

    static func fetchComplaint(_ id: String, _ db: Database) throws -> Complaint? {
        try Row.fetchOne(db, sql: "SELECT * FROM complaint WHERE id = ?", arguments: [id]).map(Complaint.init(row:))
    }

    static func complaintRecord(_ id: String, _ db: Database) throws -> ComplaintRecord? {
        guard let complaint = try fetchComplaint(id, db) else { return nil }
        let names = try Row.fetchOne(
            db,
            sql: """
                SELECT supplier.name AS supplier_name, county.name AS county_name, product.name AS product_name
                FROM complaint LEFT JOIN supplier ON supplier.id = complaint.supplier_id
                LEFT JOIN county ON county.code = complaint.county_code
                LEFT JOIN product ON complaint.subject_kind = 'product' AND product.id = complaint.subject_id
                WHERE complaint.id = ?
                """,
            arguments: [id]
        )
        let supplierName: String = names?["supplier_name"] ?? ""
        let steps = try Row.fetchAll(db, sql: "SELECT * FROM complaint_step WHERE complaint_id = ? ORDER BY id", arguments: [id])
            .map(ComplaintStep.init(row:))
        return ComplaintRecord(
            complaint: complaint,
            subjectName: complaint.subjectKind == .product ? names?["product_name"] ?? "" : supplierName,
            supplierName: supplierName,
            countyName: names?["county_name"] ?? "",
            steps: steps
        )
    }
}
