import ChanxiaoCore
import Foundation
import GRDB

extension AppDatabase {
    /// The migration's step: every product that carried a certificate number and an end date
    /// gets a listed certification by a "migrated" authority, counting the days it counted
    /// before (no start: since before chanxiao kept certifications). Written in SQL, so that it
    /// reads the columns as this migration found them.
    static func migrateProductCertificates(_ db: Database) throws {
        let now = Timestamp.string(from: Date())
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, supplier_id, county_code, certificate_no, certified_until FROM product
                WHERE certificate_no IS NOT NULL AND certified_until IS NOT NULL ORDER BY id
                """
        )
        for (index, row) in rows.enumerated() {
            let productID: String = row["id"]
            let until: String = row["certified_until"]
            let number: String = row["certificate_no"]
            guard let through = CalendarDate(until) else { throw ColumnValue.corrupt("certified_until", until) }
            let id = Identifier.generate(prefix: "cert", at: Date(), offset: index)
            try db.execute(
                sql: """
                    INSERT INTO certification (
                        id, product_id, supplier_id, county_code, status, production_base, linked_households, food_safety_docs,
                        certificate_no, authority_name, valid_until, origin, counts_through, created_at, updated_at
                    ) VALUES (?, ?, ?, ?, 'listed', '', 0, '[]', ?, 'migrated', ?, 'migrated', ?, ?, ?)
                    """,
                arguments: [id, productID, row["supplier_id"] as String, row["county_code"] as String, number, until, until, now, now]
            )
            try db.execute(
                sql: """
                    INSERT INTO certification_step (certification_id, at, action, from_status, to_status, actor, note)
                    VALUES (?, ?, 'migrate', NULL, 'listed', 'migration', 'from the product''s certificate fields')
                    """,
                arguments: [id, now]
            )
            let spans = [CertifiedSpan(certificateNo: number, from: nil, through: through)]
            try db.execute(sql: "UPDATE product SET certified_spans = ? WHERE id = ?", arguments: [ColumnValue.json(spans), productID])
        }
    }

    /// Lists the certificates that trusted code (fixtures, tools) declares on products already
    /// stored, as `seedCatalog` does; their sales are counted again. Never reachable by a client.
    public func seedCertifications(for products: [Product], context: WriteContext) async throws {
        try await write { db in try Self.seedCertifications(for: products, recountSales: true, db: db, context: context) }
    }

    /// The seed's step: products a trusted catalog seed (the demo, tests, benchmarks) declares
    /// certified get listed certifications of origin `seeded`. No client reaches this: the
    /// API and CSV never read a product's certificate.
    /// `recountSales` counts the products' sales again; a catalog seed writes its sales after.
    static func seedCertifications(for products: [Product], recountSales: Bool, db: Database, context: WriteContext) throws {
        for product in products where !product.certifiedSpans.isEmpty {
            guard let stored = try Stored<Product>.fetchOne(db, key: product.id)?.entity else { continue }
            for (offset, span) in product.certifiedSpans.enumerated() {
                let certification = Certification(
                    id: "cert-seed-\(product.id)" + (offset == 0 ? "" : "-\(offset + 1)"),
                    productID: product.id,
                    supplierID: stored.supplierID,
                    countyCode: stored.countyCode,
                    status: .listed,
                    certificateNo: span.certificateNo,
                    authorityName: "catalog seed",
                    validFrom: span.from,
                    validUntil: span.through,
                    origin: .seeded,
                    createdAt: context.now,
                    updatedAt: context.now
                )
                try certification.save(db)
                try recordStep(db, certification.id, action: "seed", from: nil, to: CertificationStatus.listed, note: nil, context: context)
            }
            try refreshCertifiedSpans(of: product.id, from: nil, sales: recountSales, db: db)
        }
    }
}
