import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Testing

@Suite struct ImportTests {
    let header = "id,supplier_id,name,category,unit,unit_price_fen,weekly_capacity,min_order,season_months,cold_chain"

    @Test func aGoodFileIsImportedWhole() async throws {
        let database = try await Fixtures.database()
        let summary = try await database.importCSV(
            .product,
            bytes: Fixtures.csv(
                header,
                "prd-tea,sup-coop,那坡绿茶,tea,box,15800,300,5,3;4;5,false",
                ",sup-farm,\"定远大米, 新米\",grain_oil,kg,780,9000,,,",
                ""
            ),
            mode: .insert,
            parseContext: Fixtures.parseContext,
            context: Fixtures.context
        )
        #expect(summary == ImportSummary(kind: "products", rows: 2, created: 2, updated: 0, unchanged: 0))

        let tea = try #require(try await database.fetch(Product.self, id: "prd-tea"))
        #expect(tea.seasonMonths == [3, 4, 5])
        #expect(tea.countyCode == "451026")
        // A product file certifies nothing: certification is the authorities' act.
        #expect(tea.certifiedUntil == nil)

        // A row without an id gets a generated one.
        let generated = try await database.list(Product.self, query: ListQuery(filters: ["supplier_id": .text("sup-farm")], limit: 10))
            .items.filter { $0.id.hasPrefix("prd_") }
        #expect(generated.map(\.name) == ["定远大米, 新米"])
        #expect(generated.first?.minOrder == 1)

        let audit = try await database.auditEntries(limit: 1).entries.first
        #expect(audit?.action == "import.products")
    }

    @Test func anyBadRowRejectsTheWholeFileWithEveryProblem() async throws {
        let database = try await Fixtures.database()
        let before = try await database.counts()
        let failure = await #expect(throws: ValidationFailure.self) {
            try await database.importCSV(
                .product,
                bytes: Fixtures.csv(
                    header,
                    "prd-ok,sup-coop,好产品,tea,box,15800,300,5,,",
                    "prd-bad,sup-coop,坏产品,teas,box,0,300,5,13,maybe",
                    "prd-ok,sup-ghost,重复,tea,box,100,10,1,,"
                ),
                mode: .insert,
                parseContext: Fixtures.parseContext,
                context: Fixtures.context
            )
        }
        let errors = try #require(failure).errors
        #expect(
            errors.contains(
                FieldError(
                    field: "category",
                    message:
                        "unknown value 'teas'; expected one of: grain_oil, meat_poultry_egg, vegetables, fruit, aquatic, tea, mountain_goods, condiments, drinks, processed",
                    row: 3
                )
            )
        )
        #expect(errors.contains(FieldError(field: "unit_price_fen", message: "must be from 1 to 10000000", row: 3)))
        #expect(errors.contains { $0.field == "season_months[0]" && $0.row == 3 })
        #expect(errors.contains { $0.field == "cold_chain" && $0.row == 3 })
        #expect(try await database.counts() == before)
    }

    @Test func referencesAndDuplicatesAreCheckedBeforeWriting() async throws {
        let database = try await Fixtures.database()
        let before = try await database.counts()
        let failure = await #expect(throws: ValidationFailure.self) {
            try await database.importCSV(
                .product,
                bytes: Fixtures.csv(
                    header,
                    "prd-new,sup-coop,新品,tea,box,100,10,1,,",
                    "prd-new,sup-ghost,重复,tea,box,100,10,1,,",
                    "prd-rice,sup-coop,已有,tea,box,100,10,1,,"
                ),
                mode: .insert,
                parseContext: Fixtures.parseContext,
                context: Fixtures.context
            )
        }
        #expect(
            try #require(failure).errors == [
                FieldError(field: "id", message: "prd-new also appears in row 2", row: 3),
                FieldError(field: "supplier_id", message: "no supplier with id sup-ghost", row: 3),
                FieldError(field: "id", message: "a product with id prd-rice already exists (import with mode upsert to replace it)", row: 4),
            ]
        )
        #expect(try await database.counts() == before)
    }

    @Test func unknownAndReadOnlyColumnsAreRefused() async throws {
        let database = try await Fixtures.database()
        let failure = await #expect(throws: ValidationFailure.self) {
            try await database.importCSV(
                .county,
                bytes: Fixtures.csv(
                    "code,name,poverty_status,created_at,colour",
                    "450123,隆安县,national,2020-01-01,red"
                ),
                mode: .insert,
                parseContext: Fixtures.parseContext,
                context: Fixtures.context
            )
        }
        #expect(try #require(failure).errors.map(\.field) == ["created_at", "colour"])
    }

    @Test func upsertReplacesChangedRowsAndCountsUnchangedOnes() async throws {
        let database = try await Fixtures.database()
        let exported = try await database.exportCSV(.product)
        let lines = exported.split(separator: "\r\n").map(String.init)
        #expect(lines.first == header)
        #expect(lines.count == 3)

        // Re-importing the export changes nothing; editing one price updates one row.
        let same = try await database.importCSV(
            .product,
            bytes: Array(exported.utf8),
            mode: .upsert,
            parseContext: Fixtures.parseContext,
            context: Fixtures.context
        )
        #expect(same == ImportSummary(kind: "products", rows: 2, created: 0, updated: 0, unchanged: 2))

        let edited = exported.replacingOccurrences(of: ",那坡大米,grain_oil,kg,800,", with: ",那坡大米,grain_oil,kg,820,")
        #expect(edited != exported)
        let later = WriteContext(actor: "cli:test", role: .admin, now: Fixtures.now.addingTimeInterval(60))
        let changed = try await database.importCSV(
            .product,
            bytes: Array(edited.utf8),
            mode: .upsert,
            parseContext: Fixtures.parseContext,
            context: later
        )
        #expect(changed == ImportSummary(kind: "products", rows: 2, created: 0, updated: 1, unchanged: 1))
        let rice = try #require(try await database.fetch(Product.self, id: "prd-rice"))
        #expect(rice.unitPriceFen == 820)
        #expect(rice.createdAt == Fixtures.now)
        #expect(rice.updatedAt == later.now)

        await #expect(throws: ValidationFailure.self) {
            try await database.importCSV(
                .product,
                bytes: Array(edited.utf8),
                mode: .insert,
                parseContext: Fixtures.parseContext,
                context: later
            )
        }
    }

    @Test(arguments: CatalogKind.allCases)
    func exportsRoundTripThroughImport(_ kind: CatalogKind) async throws {
        let source = try await Fixtures.databaseWithReports()
        let csv = try await source.exportCSV(kind)
        let target = try await Fixtures.databaseWithReports()
        let summary = try await target.importCSV(
            kind,
            bytes: Array(csv.utf8),
            mode: .upsert,
            parseContext: Fixtures.parseContext,
            context: Fixtures.context
        )
        #expect(summary.unchanged == summary.rows)
        #expect(summary.rows > 0)
        #expect(try await target.exportCSV(kind) == csv)
    }

    @Test func progressIsReportedForBothPhases() async throws {
        let database = try await Fixtures.database()
        var lines = [header]
        for index in 0..<2500 {
            lines.append("prd-bulk-\(index),sup-coop,产品\(index),vegetables,kg,\(100 + index),1000,1,,")
        }
        let reports = Reports()
        let summary = try await database.importCSV(
            .product,
            bytes: Array(lines.joined(separator: "\n").utf8),
            mode: .insert,
            parseContext: Fixtures.parseContext,
            context: Fixtures.context
        ) { phase, done, total in
            reports.append("\(phase.rawValue) \(done)/\(total)")
        }
        #expect(summary.created == 2500)
        #expect(
            reports.values == [
                "checking 1000/2500", "checking 2000/2500", "checking 2500/2500",
                "writing 1000/2500", "writing 2000/2500", "writing 2500/2500",
            ]
        )
    }
}

final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var values: [String] { lock.withLock { items } }
}
