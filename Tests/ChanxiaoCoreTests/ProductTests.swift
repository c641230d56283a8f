import ChanxiaoCore
import Foundation
import Testing

@Suite("Product")
struct ProductTests {
    static let good = #"""
        {"id": "prd_1", "supplier_id": "sup_1", "name": "定远大米", "category": "grain_oil", "unit": "kg", "unit_price_fen": 650,
         "weekly_capacity": 5000, "min_order": 100, "season_months": [11, 9, 10, 9], "cold_chain": false}
        """#

    @Test func goodInput() throws {
        let product = try parse(Product.self, json: Self.good).get()
        #expect(
            product
                == Product(
                    id: "prd_1",
                    supplierID: "sup_1",
                    name: "定远大米",
                    category: .grainOil,
                    unit: .kg,
                    unitPriceFen: 650,
                    weeklyCapacity: 5000,
                    minOrder: 100,
                    seasonMonths: [9, 10, 11],
                    coldChain: false,
                    createdAt: testNow,
                    updatedAt: testNow
                )
        )
        #expect(product.countyCode == "")  // maintained by the store, never read from input
        #expect(product.owner == .supplier("sup_1"))
        #expect(product.references == [Reference(field: "supplier_id", kind: .supplier, id: "sup_1")])
        #expect(
            product.fields.map(\.value) == [
                .string("prd_1"), .string("sup_1"), .string("定远大米"), .string("grain_oil"), .string("kg"), .int(650), .int(5000),
                .int(100), .array([.int(9), .int(10), .int(11)]), .bool(false), .null, .null,
                .string(""), .string(testNowText), .string(testNowText),
            ]
        )
        #expect(
            product.csvRow == [
                "prd_1", "sup_1", "定远大米", "grain_oil", "kg", "650", "5000", "100", "9;10;11", "false",
            ]
        )
        checkRepresentations(product)
    }

    @Test func minimalInputTakesDefaults() throws {
        let product = try parse(
            Product.self,
            json: #"""
                {"id": "prd_2", "supplier_id": "sup_1", "name": "茶", "category": "tea", "unit": "box", "unit_price_fen": 1,
                 "weekly_capacity": 1}
                """#
        ).get()
        #expect(product.minOrder == 1)
        #expect(product.seasonMonths == [])
        #expect(product.certificateNo == nil)
        #expect(product.certifiedUntil == nil)
        #expect(!product.coldChain)
        #expect(product.csvRow == ["prd_2", "sup_1", "茶", "tea", "box", "1", "1", "1", "", "false"])
        checkRepresentations(product)
    }

    @Test func csvInput() throws {
        let cells = [
            "id": "prd_3", "supplier_id": "sup_1", "name": "沃柑", "category": "fruit", "unit": "jin", "unit_price_fen": "450",
            "weekly_capacity": "20000", "min_order": "", "season_months": "12;1,2;3", "cold_chain": "yes",
        ]
        let product = try parse(Product.self, csv: cells).get()
        #expect(product.seasonMonths == [1, 2, 3, 12])
        #expect(product.coldChain)
        #expect(product.minOrder == 1)
        #expect(product.unit == .jin)
    }

    @Test(
        "bad inputs",
        arguments: [
            BadInput(#"{"min_order": 6000}"#, "min_order", "must not exceed weekly_capacity (5000)"),
            BadInput(#"{"weekly_capacity": 99}"#, "min_order", "must not exceed weekly_capacity (99)"),
            BadInput(#"{"unit_price_fen": 0}"#, "unit_price_fen", "must be from 1 to 10000000"),
            BadInput(#"{"unit_price_fen": 10000001}"#, "unit_price_fen", "must be from 1 to 10000000"),
            BadInput(#"{"unit_price_fen": 6.5}"#, "unit_price_fen", "must be an integer, not a number"),
            BadInput(#"{"unit_price_fen": null}"#, "unit_price_fen", "is required"),
            BadInput(#"{"weekly_capacity": 100000001}"#, "weekly_capacity", "must be from 1 to 100000000"),
            // A week's value at the price is at most 10 billion yuan: 650 fen × 2e9 would be 13 billion.
            BadInput(
                #"{"weekly_capacity": 100000000, "unit_price_fen": 10001, "min_order": 1}"#,
                "weekly_capacity",
                "unit_price_fen × weekly_capacity (10001 × 100000000) must not exceed 1000000000000 fen"
            ),
            BadInput(#"{"weekly_capacity": "5000"}"#, "weekly_capacity", "must be an integer, not a string"),
            BadInput(#"{"min_order": 0}"#, "min_order", "must be from 1 to 100000000"),
            BadInput(
                #"{"category": "rice"}"#,
                "category",
                "unknown value 'rice'; expected one of: grain_oil, meat_poultry_egg, vegetables, fruit, aquatic, tea, mountain_goods, condiments, drinks, processed"
            ),
            BadInput(#"{"unit": "ton"}"#, "unit", "unknown value 'ton'; expected one of: kg, jin, box, bag, bottle, piece"),
            BadInput(#"{"season_months": [9, 13]}"#, "season_months[1]", "must be from 1 to 12, got 13"),
            BadInput(#"{"season_months": [9, "10"]}"#, "season_months[1]", "must be an integer from 1 to 12, not a string"),
            BadInput(#"{"season_months": [0]}"#, "season_months[0]", "must be from 1 to 12, got 0"),
            BadInput(#"{"season_months": 9}"#, "season_months", "must be an array, not a number"),
            // Nobody certifies a product by writing its certificate: it is the authorities' act.
            BadInput(#"{"certified_until": "2099-12-31"}"#, "certified_until", "is read-only: certification is the authorities' act"),
            BadInput(#"{"certificate_no": "FAKE-001"}"#, "certificate_no", "is read-only: certification is the authorities' act"),
            BadInput(#"{"cold_chain": "no"}"#, "cold_chain", "must be true or false, not a string"),
            BadInput(#"{"supplier_id": ""}"#, "supplier_id", "is required"),
            BadInput(#"{"supplier_id": "sup/1"}"#, "supplier_id", "may contain only letters"),
            BadInput(#"{"name": null}"#, "name", "is required"),
            BadInput(#"{"county_code": "341125"}"#, "county_code", "is read-only"),
            BadInput(#"{"price": 650}"#, "price", "unknown field"),
        ]
    )
    func badInput(_ bad: BadInput) {
        checkBadInput(Product.self, good: Self.good, bad)
    }

    @Test func minOrderMayEqualCapacity() throws {
        let product = try parse(Product.self, json: merged(Self.good, #"{"min_order": 5000}"#)).get()
        #expect(product.minOrder == 5000)
    }

    @Test(
        "a week is certified when listings cover every day of it, one renewing another",
        arguments: [
            ([("2020-01-01", "2020-09-30")], true),
            ([("2020-09-02", "2020-12-31")], false),  // listed on the Wednesday
            ([("2020-01-01", "2020-09-03"), ("2020-09-04", "2021-12-31")], true),  // renewed mid-week
            ([("2020-01-01", "2020-09-03"), ("2020-09-05", "2021-12-31")], false),  // a day uncovered
            ([("2020-09-03", "2021-12-31"), ("2020-01-01", "2020-09-04")], true),  // overlapping, in any order
        ] as [([(String, String)], Bool)]
    )
    func weekCoverage(spans: [(String, String)], expected: Bool) {
        var product = Product(id: "p", supplierID: "s", name: "n", category: .tea, unit: .kg, unitPriceFen: 1, weeklyCapacity: 1)
        product.certifiedSpans = spans.map { CertifiedSpan(certificateNo: "FP", from: day($0.0), through: day($0.1)) }
        // 2020-W36: Monday 31 August to Sunday 6 September.
        #expect(product.isCertified(from: day("2020-08-31"), through: day("2020-09-06")) == expected)
    }

    @Test(
        "isCertified(on:) needs a certificate number and a date not after certified_until",
        arguments: [
            ("FP-1", "2021-06-30", "2021-06-29", true),
            ("FP-1", "2021-06-30", "2021-06-30", true),  // the last day counts
            ("FP-1", "2021-06-30", "2021-07-01", false),
            ("FP-1", "2021-06-30", "2019-01-01", true),
            (nil, "2021-06-30", "2020-09-01", false),  // no certificate number
            ("FP-1", nil, "2020-09-01", false),  // no validity
            (nil, nil, "2020-09-01", false),
        ] as [(String?, String?, String, Bool)]
    )
    func isCertified(certificate: String?, until: String?, date: String, expected: Bool) {
        let product = Product(
            id: "p",
            supplierID: "s",
            name: "n",
            category: .tea,
            unit: .kg,
            unitPriceFen: 1,
            weeklyCapacity: 1,
            certificateNo: certificate,
            certifiedUntil: until.map(day)
        )
        #expect(product.isCertified(on: day(date)) == expected)
    }

    @Test(
        "isInSeason(month:)",
        arguments: [
            ([], 1, true), ([], 12, true),  // empty: all year
            ([9, 10, 11], 9, true), ([9, 10, 11], 11, true), ([9, 10, 11], 12, false), ([9, 10, 11], 8, false),
            ([12, 1], 1, true), ([12, 1], 6, false),
        ]
    )
    func isInSeason(months: [Int], month: Int, expected: Bool) {
        let product = Product(
            id: "p",
            supplierID: "s",
            name: "n",
            category: .fruit,
            unit: .kg,
            unitPriceFen: 1,
            weeklyCapacity: 1,
            seasonMonths: months
        )
        #expect(product.isInSeason(month: month) == expected)
    }
}
