import ChanxiaoCore
import Foundation
import GRDB

/// What importing an official list does, row by row.
public struct OfficialListReport: Sendable {
    public enum Change: String, Sendable {
        /// A new listing for the product.
        case list
        /// The product's listing under this number gets the list's validity.
        case renew
        /// The listing is already as the list says.
        case unchanged
    }

    public struct Row: Sendable {
        public var row: Int
        public var productID: String
        public var certificateNo: String
        public var change: Change
        /// The certification written (or, in a dry run, the one that would be renewed).
        public var certificationID: String?
    }

    public var dryRun: Bool
    public var rows: [Row]
}

extension AppDatabase {
    /// Lists products from an authority's official list (扶贫产品目录), all rows or none: every
    /// row is checked (the product exists and is in the importer's jurisdiction, the authority
    /// covers its county, one number names one product) before anything is written. A row
    /// whose product is listed under the same number renews that listing's validity. A new
    /// listing counts from the list's `valid_from` (the authority's own date), else from
    /// today; the product's sales from then on are counted again. A dry run checks and reports
    /// the same, and writes nothing.
    public func importOfficialList(_ rows: [OfficialListRow], dryRun: Bool, context: WriteContext) async throws -> OfficialListReport {
        try await write { db in
            let today = context.today
            var errors: [FieldError] = []
            var seenNumbers: [String: (row: Int, product: String)] = [:]
            var seenProducts: [String: Int] = [:]
            var plan: [(OfficialListRow, Product, Certification?)] = []
            for item in rows {
                func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message, row: item.row)) }
                if let first = seenProducts.updateValue(item.row, forKey: item.productID) {
                    fail("product_id", "product \(item.productID) is on row \(first) already")
                }
                if let first = seenNumbers[item.decision.certificateNo], first.product != item.productID {
                    fail("certificate_no", "is on row \(first.row) for product \(first.product); one number names one product")
                }
                seenNumbers[item.decision.certificateNo] = (item.row, item.productID)
                guard let product = try Stored<Product>.fetchOne(db, key: item.productID)?.entity, context.governs(county: product.countyCode)
                else {
                    fail("product_id", "no product with id \(item.productID)")
                    continue
                }
                do { try Self.check(item.decision, productID: product.id, countyCode: product.countyCode, db: db) } catch let failure
                    as ValidationFailure
                {
                    errors += failure.errors.map { FieldError(field: $0.field, message: $0.message, row: item.row) }
                }
                let existing = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM certification WHERE product_id = ? AND certificate_no = ? AND status = 'listed' ORDER BY id DESC LIMIT 1",
                    arguments: [product.id, item.decision.certificateNo]
                ).map(Certification.init(row:))
                plan.append((item, product, existing))
            }
            if !errors.isEmpty { throw ValidationFailure(errors) }

            var report = OfficialListReport(dryRun: dryRun, rows: [])
            for (index, (item, product, existing)) in plan.enumerated() {
                let decision = item.decision
                var certification: Certification
                let change: OfficialListReport.Change
                if var existing {
                    let same =
                        existing.validUntil == decision.validUntil && existing.validFrom == decision.validFrom
                        && existing.authorityCode == decision.authorityCode && existing.authorityName == decision.authorityName
                        && existing.level == decision.level
                    change = same ? .unchanged : .renew
                    existing.authorityCode = decision.authorityCode
                    existing.authorityName = decision.authorityName
                    existing.level = decision.level
                    existing.validFrom = decision.validFrom
                    existing.validUntil = decision.validUntil
                    existing.updatedAt = context.now
                    certification = existing
                } else {
                    change = .list
                    certification = Certification(
                        id: Identifier.generate(prefix: "cert", at: context.now, offset: index),
                        productID: product.id,
                        supplierID: product.supplierID,
                        countyCode: product.countyCode,
                        status: .listed,
                        certificateNo: decision.certificateNo,
                        authorityCode: decision.authorityCode,
                        authorityName: decision.authorityName,
                        level: decision.level,
                        validFrom: decision.validFrom,
                        validUntil: decision.validUntil,
                        // The authority listed it on its own date when the list says one.
                        listedOn: decision.validFrom ?? today,
                        origin: .officialList,
                        createdAt: context.now,
                        updatedAt: context.now
                    )
                }
                report.rows.append(
                    .init(
                        row: item.row,
                        productID: product.id,
                        certificateNo: decision.certificateNo,
                        change: change,
                        certificationID: dryRun && change == .list ? nil : certification.id
                    )
                )
                guard !dryRun, change != .unchanged else { continue }
                try certification.save(db)
                try Self.recordStep(
                    db,
                    certification.id,
                    action: change == .list ? "import" : "renew",
                    from: change == .list ? nil : .listed,
                    to: CertificationStatus.listed,
                    note: "official list row \(item.row)",
                    context: context
                )
                try Self.refreshCertifiedSpans(of: product.id, from: certification.span?.from, db: db)
            }
            if !dryRun {
                try Self.audit(
                    db,
                    context,
                    action: "certification.import",
                    detail: .object([
                        "rows": JSONValue(rows.count),
                        "listed": JSONValue(report.rows.filter { $0.change == .list }.count),
                        "renewed": JSONValue(report.rows.filter { $0.change == .renew }.count),
                    ])
                )
            }
            return report
        }
    }
}
