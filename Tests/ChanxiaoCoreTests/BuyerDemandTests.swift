import ChanxiaoCore
import Foundation
import Testing

@Suite("Buyer")
struct BuyerTests {
    static let good = #"""
        {"id": "buy_1", "name": "福田区机关食堂", "kind": "canteen", "region_code": "440304", "network": "深圳1+10",
         "poverty_share_target": 0.3, "max_suppliers_per_category": 2}
        """#

    @Test func goodInput() throws {
        let buyer = try parse(Buyer.self, json: Self.good).get()
        #expect(
            buyer
                == Buyer(
                    id: "buy_1",
                    name: "福田区机关食堂",
                    kind: .canteen,
                    regionCode: "440304",
                    network: "深圳1+10",
                    povertyShareTarget: 0.3,
                    maxSuppliersPerCategory: 2,
                    createdAt: testNow,
                    updatedAt: testNow
                )
        )
        #expect(buyer.owner == .buyer("buy_1"))
        #expect(buyer.references.isEmpty)
        #expect(
            buyer.fields.map(\.value) == [
                .string("buy_1"), .string("福田区机关食堂"), .string("canteen"), .string("440304"), .string("深圳1+10"), .double(0.3), .int(2),
                .string(testNowText), .string(testNowText),
            ]
        )
        #expect(buyer.csvRow == ["buy_1", "福田区机关食堂", "canteen", "440304", "深圳1+10", "0.3", "2"])
        checkRepresentations(buyer)
    }

    @Test("defaults: no share target, and the context's suppliers per category")
    func defaults() throws {
        let input = #"{"id": "buy_2", "name": "工会", "kind": "union", "region_code": "440000"}"#  // any division level
        let buyer = try parse(Buyer.self, json: input).get()
        #expect(buyer.povertyShareTarget == nil)
        #expect(buyer.network == nil)
        #expect(buyer.maxSuppliersPerCategory == 2)
        #expect(buyer.writableJSON["poverty_share_target"] == .null)
        #expect(buyer.csvRow == ["buy_2", "工会", "union", "440000", "", "", "2"])
        checkRepresentations(buyer)
        let context = ParseContext(now: testNow, today: day("2020-09-13"), defaultMaxSuppliersPerCategory: 5)
        #expect(try parse(Buyer.self, json: input, context: context).get().maxSuppliersPerCategory == 5)
    }

    @Test func csvInput() throws {
        let cells = [
            "id": "buy_3", "name": "x", "kind": "budget_unit", "region_code": "430100", "network": "",
            "poverty_share_target": "0.1", "max_suppliers_per_category": "4",
        ]
        let buyer = try parse(Buyer.self, csv: cells).get()
        #expect(buyer.kind == .budgetUnit)
        #expect(buyer.povertyShareTarget == 0.1)
        #expect(buyer.maxSuppliersPerCategory == 4)
    }

    @Test(
        "bad inputs",
        arguments: [
            BadInput(
                #"{"kind": "school"}"#,
                "kind",
                "unknown value 'school'; expected one of: canteen, union, center, supermarket, counter, hall, budget_unit"
            ),
            BadInput(#"{"kind": null}"#, "kind", "is required"),
            BadInput(#"{"region_code": "990000"}"#, "region_code", "does not start with a province code"),
            BadInput(#"{"region_code": "4403"}"#, "region_code", "must be a 6-digit"),
            BadInput(#"{"region_code": null}"#, "region_code", "is required"),
            BadInput(#"{"poverty_share_target": 1.5}"#, "poverty_share_target", "must be between 0 and 1"),
            BadInput(#"{"poverty_share_target": -0.1}"#, "poverty_share_target", "must be between 0 and 1"),
            BadInput(#"{"poverty_share_target": "30%"}"#, "poverty_share_target", "must be a number, not a string"),
            BadInput(#"{"max_suppliers_per_category": 0}"#, "max_suppliers_per_category", "must be from 1 to 20"),
            BadInput(#"{"max_suppliers_per_category": 21}"#, "max_suppliers_per_category", "must be from 1 to 20"),
            BadInput(#"{"network": "\#(String(repeating: "网", count: 65))"}"#, "network", "must be at most 64 characters"),
            BadInput(#"{"id": "buy 1"}"#, "id", "may contain only letters"),
            BadInput(#"{"name": ""}"#, "name", "is required"),
            BadInput(#"{"region": "440304"}"#, "region", "unknown field"),
            BadInput(#"{"updated_at": "2020-01-01T00:00:00Z"}"#, "updated_at", "is read-only"),
        ]
    )
    func badInput(_ bad: BadInput) {
        checkBadInput(Buyer.self, good: Self.good, bad)
    }
}

@Suite("Demand")
struct DemandTests {
    static let good = #"""
        {"id": "dem_1", "buyer_id": "buy_1", "category": "grain_oil", "unit": "kg", "weekly_volume": 300, "max_unit_price_fen": 700,
         "starts_on": "2020-09-01", "ends_on": "2020-12-31", "cold_chain": true}
        """#

    @Test func goodInput() throws {
        let demand = try parse(Demand.self, json: Self.good).get()
        #expect(
            demand
                == Demand(
                    id: "dem_1",
                    buyerID: "buy_1",
                    category: .grainOil,
                    unit: .kg,
                    weeklyVolume: 300,
                    maxUnitPriceFen: 700,
                    startsOn: day("2020-09-01"),
                    endsOn: day("2020-12-31"),
                    coldChain: true,
                    createdAt: testNow,
                    updatedAt: testNow
                )
        )
        #expect(demand.owner == .buyer("buy_1"))
        #expect(demand.references == [Reference(field: "buyer_id", kind: .buyer, id: "buy_1")])
        #expect(
            demand.fields.map(\.value) == [
                .string("dem_1"), .string("buy_1"), .string("grain_oil"), .string("kg"), .int(300), .int(700), .string("2020-09-01"),
                .string("2020-12-31"), .bool(true), .string(testNowText), .string(testNowText),
            ]
        )
        #expect(demand.csvRow == ["dem_1", "buy_1", "grain_oil", "kg", "300", "700", "2020-09-01", "2020-12-31", "true"])
        checkRepresentations(demand)
    }

    @Test func openEnded() throws {
        let demand = try parse(Demand.self, json: removing(Self.good, "ends_on", "cold_chain")).get()
        #expect(demand.endsOn == nil)
        #expect(!demand.coldChain)
        #expect(demand.csvRow == ["dem_1", "buy_1", "grain_oil", "kg", "300", "700", "2020-09-01", "", "false"])
        checkRepresentations(demand)
    }

    @Test func oneDayDemand() throws {
        let demand = try parse(Demand.self, json: merged(Self.good, #"{"ends_on": "2020-09-01"}"#)).get()
        #expect(demand.endsOn == demand.startsOn)
    }

    @Test(
        "bad inputs",
        arguments: [
            BadInput(#"{"ends_on": "2020-08-31"}"#, "ends_on", "must not be before starts_on (2020-09-01)"),
            BadInput(#"{"starts_on": "2021-01-01"}"#, "ends_on", "must not be before starts_on (2021-01-01)"),
            BadInput(#"{"starts_on": null}"#, "starts_on", "is required"),
            BadInput(#"{"starts_on": "2020-09-31"}"#, "starts_on", "must be a date written YYYY-MM-DD, got '2020-09-31'"),
            BadInput(#"{"ends_on": "soon"}"#, "ends_on", "must be a date written YYYY-MM-DD, got 'soon'"),
            BadInput(#"{"weekly_volume": 0}"#, "weekly_volume", "must be from 1 to 100000000"),
            BadInput(#"{"weekly_volume": null}"#, "weekly_volume", "is required"),
            BadInput(#"{"max_unit_price_fen": "700"}"#, "max_unit_price_fen", "must be an integer, not a string"),
            BadInput(#"{"max_unit_price_fen": 10000001}"#, "max_unit_price_fen", "must be from 1 to 10000000"),
            BadInput(
                #"{"weekly_volume": 100000000, "max_unit_price_fen": 10001}"#,
                "weekly_volume",
                "max_unit_price_fen × weekly_volume (10001 × 100000000) must not exceed 1000000000000 fen"
            ),
            BadInput(#"{"category": "grain"}"#, "category", "unknown value 'grain'"),
            BadInput(#"{"unit": "KG"}"#, "unit", "unknown value 'KG'; expected one of: kg, jin, box, bag, bottle, piece"),
            BadInput(#"{"buyer_id": null}"#, "buyer_id", "is required"),
            BadInput(#"{"cold_chain": 1}"#, "cold_chain", "must be true or false, not a number"),
            BadInput(#"{"supplier_id": "sup_1"}"#, "supplier_id", "unknown field"),
            BadInput(#"{"created_at": null}"#, "created_at", "is read-only"),
        ]
    )
    func badInput(_ bad: BadInput) {
        checkBadInput(Demand.self, good: Self.good, bad)
    }

    @Test("ends_on before starts_on in a CSV row")
    func crossFieldCSV() {
        let cells = [
            "id": "dem_2", "buyer_id": "buy_1", "category": "tea", "unit": "box", "weekly_volume": "5",
            "max_unit_price_fen": "100", "starts_on": "2020-09-02", "ends_on": "2020-09-01", "cold_chain": "",
        ]
        #expect(
            parse(Demand.self, csv: cells, row: 9).failure?.errors
                == [FieldError(field: "ends_on", message: "must not be before starts_on (2020-09-02)", row: 9)]
        )
    }

    @Test(
        "isActive(in:): the demand runs on some day of the week",
        arguments: [
            ("2020-09-01", "2020-12-31", "2020-W36", true),  // starts on the Tuesday of W36
            ("2020-09-01", "2020-12-31", "2020-W35", false),
            ("2020-09-01", "2020-12-31", "2020-W53", true),  // ends on the Thursday of W53
            ("2020-09-01", "2020-12-31", "2021-W01", false),
            ("2020-09-06", "2020-09-06", "2020-W36", true),  // a single Sunday
            ("2020-09-06", "2020-09-06", "2020-W37", false),
            ("2020-09-07", nil, "2020-W36", false),
            ("2020-09-07", nil, "2020-W37", true),
            ("2020-09-07", nil, "2030-W10", true),  // open-ended
        ] as [(String, String?, String, Bool)]
    )
    func isActiveInWeek(starts: String, ends: String?, week: String, expected: Bool) throws {
        let demand = Demand(
            id: "d",
            buyerID: "b",
            category: .tea,
            unit: .kg,
            weeklyVolume: 1,
            maxUnitPriceFen: 1,
            startsOn: day(starts),
            endsOn: ends.map(day)
        )
        #expect(demand.isActive(in: try #require(IsoWeek(week))) == expected)
    }

    @Test(
        "isActive(on:): both ends count",
        arguments: [
            ("2020-09-01", "2020-12-31", "2020-09-01", true),
            ("2020-09-01", "2020-12-31", "2020-12-31", true),
            ("2020-09-01", "2020-12-31", "2020-08-31", false),
            ("2020-09-01", "2020-12-31", "2021-01-01", false),
            ("2020-09-01", nil, "2099-01-01", true),
            ("2020-09-01", nil, "2020-08-31", false),
        ] as [(String, String?, String, Bool)]
    )
    func isActiveOnDay(starts: String, ends: String?, date: String, expected: Bool) {
        let demand = Demand(
            id: "d",
            buyerID: "b",
            category: .tea,
            unit: .kg,
            weeklyVolume: 1,
            maxUnitPriceFen: 1,
            startsOn: day(starts),
            endsOn: ends.map(day)
        )
        #expect(demand.isActive(on: day(date)) == expected)
    }
}

@Suite("CatalogKind")
struct CatalogKindTests {
    @Test(
        "names, id fields and prefixes",
        arguments: [
            (CatalogKind.county, "counties", "code", "cty"),
            (.supplier, "suppliers", "id", "sup"),
            (.product, "products", "id", "prd"),
            (.buyer, "buyers", "id", "buy"),
            (.demand, "demands", "id", "dem"),
        ]
    )
    func names(kind: CatalogKind, plural: String, idField: String, prefix: String) {
        #expect(kind.plural == plural)
        #expect(CatalogKind(plural: plural) == kind)
        #expect(kind.idField == idField)
        #expect(kind.idPrefix == prefix)
    }

    @Test func unknownPlural() {
        #expect(CatalogKind(plural: "county") == nil)
        #expect(CatalogKind(plural: "Counties") == nil)
        #expect(CatalogKind(plural: "") == nil)
    }

    @Test func entityKinds() {
        #expect(County.kind == .county)
        #expect(Supplier.kind == .supplier)
        #expect(Product.kind == .product)
        #expect(Buyer.kind == .buyer)
        #expect(Demand.kind == .demand)
        #expect(County.writableFields.first == "code")
        for fields in [Supplier.writableFields, Product.writableFields, Buyer.writableFields, Demand.writableFields] {
            #expect(fields.first == "id")
            #expect(Set(fields).count == fields.count)
        }
    }

    @Test func uniqued() {
        #expect([3, 1, 3, 2, 1].uniqued() == [3, 1, 2])
        #expect([String]().uniqued() == [])
    }
}
