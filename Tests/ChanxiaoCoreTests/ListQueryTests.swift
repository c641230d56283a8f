import ChanxiaoCore
import Testing

@Suite("Cursor")
struct CursorTests {
    @Test(
        "encode/decode round trip",
        arguments: [
            "sup_01", "a", "", "prd_01ej3px000abcdefghjkmnpqrs", "ACME-2020.v1:rice", "341125", String(repeating: "z", count: 64),
            "a?b&c=d/e+f", "定远县", "ab", "abc", "abcd",
        ]
    )
    func roundTrip(id: String) {
        let cursor = Cursor.encode(afterID: id)
        #expect(!cursor.contains("+") && !cursor.contains("/") && !cursor.contains("="), "URL-safe: \(cursor)")
        #expect(Cursor.decode(cursor) == id)
    }

    @Test(
        "garbage is not a cursor",
        arguments: [
            "!!!", "sup_01", "djE", "####", "dj", "%%%%", "YWJj",  // "abc" without the v1: prefix
            "djI6c3VwXzAx",  // "v2:sup_01"
            "_w",  // not UTF-8 (0xFF)
        ]
    )
    func garbage(cursor: String) {
        #expect(Cursor.decode(cursor) == nil)
    }

    @Test func knownEncoding() {
        #expect(Cursor.encode(afterID: "sup_01") == "djE6c3VwXzAx")
        #expect(Cursor.decode("djE6c3VwXzAx") == "sup_01")
    }
}

@Suite("ListQuery")
struct ListQueryTests {
    static let productFilters = CatalogKind.product.filters
    static let countyFilters = CatalogKind.county.filters

    func parse(
        _ parameters: [(String, String)],
        kind: CatalogKind = .product,
        defaultLimit: Int = 50,
        maxLimit: Int = 500
    )
        -> Result<ListQuery, ValidationFailure>
    {
        ListQuery.parse(parameters, filters: kind.filters, defaultLimit: defaultLimit, maxLimit: maxLimit)
    }

    @Test func noParameters() throws {
        let query = try parse([]).get()
        #expect(query == ListQuery(filters: [:], limit: 50, afterID: nil, owner: nil))
        #expect(try parse([], defaultLimit: 20).get().limit == 20)
    }

    @Test(
        "limit bounds",
        arguments: [
            ("1", 1), ("50", 50), ("500", 500), ("+7", 7),
            ("0", nil), ("501", nil), ("-1", nil), ("abc", nil), ("", nil), ("10.0", nil), (" 5", nil), ("99999999999999999999", nil),
        ] as [(String, Int?)]
    )
    func limit(text: String, expected: Int?) {
        let result = parse([("limit", text)])
        if let expected {
            #expect(result.success?.limit == expected)
        } else {
            #expect(result.failure == ValidationFailure(field: "limit", message: "must be an integer from 1 to 500"))
        }
    }

    @Test func cursor() throws {
        let query = try parse([("cursor", Cursor.encode(afterID: "prd_0042")), ("limit", "10")]).get()
        #expect(query.afterID == "prd_0042")
        #expect(query.limit == 10)
        #expect(
            parse([("cursor", "garbage!")]).failure
                == ValidationFailure(field: "cursor", message: "is not a cursor returned by this API (use next_cursor as given)")
        )
        #expect(parse([("cursor", "YWJj")]).failure?.errors.map(\.field) == ["cursor"])
    }

    @Test func unknownParameter() {
        #expect(
            parse([("colour", "red")]).failure
                == ValidationFailure(
                    field: "colour",
                    message:
                        "unknown query parameter; this list accepts: limit, cursor, supplier_id, county_code, category, unit, certified_on, cold_chain"
                )
        )
        #expect(
            parse([("province", "安徽省")], kind: .supplier).failure?.errors.first?.message
                == "unknown query parameter; this list accepts: limit, cursor, county_code, kind, blacklisted"
        )
    }

    @Test func repeatedParameters() {
        let result = parse([("limit", "5"), ("category", "tea"), ("limit", "6"), ("category", "tea")])
        #expect(
            result.failure?.errors == [
                FieldError(field: "limit", message: "is given more than once"),
                FieldError(field: "category", message: "is given more than once"),
            ]
        )
    }

    @Test("every problem is reported, one per parameter")
    func severalErrors() {
        let result = parse([("limit", "0"), ("cursor", "x"), ("category", "rice"), ("cold_chain", "yes"), ("nope", "1")])
        #expect(result.failure?.errors.map(\.field) == ["limit", "cursor", "category", "cold_chain", "nope"])
    }

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var kind: CatalogKind
        var name: String
        var value: String
        var expected: FilterValue?
        var error: String?
        var testDescription: String { "\(kind.plural)?\(name)=\(value)" }
    }

    static let filterCases: [FilterCase] = [
        // text
        FilterCase(kind: .county, name: "province", value: "广西壮族自治区", expected: .text("广西壮族自治区")),
        FilterCase(kind: .county, name: "q", value: "县", expected: .text("县")),
        FilterCase(kind: .county, name: "q", value: "", error: "must be 1 to 200 characters"),
        FilterCase(kind: .buyer, name: "network", value: String(repeating: "网", count: 200), expected: .text(String(repeating: "网", count: 200))),
        FilterCase(kind: .buyer, name: "network", value: String(repeating: "网", count: 201), error: "must be 1 to 200 characters"),
        // identifier
        FilterCase(kind: .product, name: "supplier_id", value: "sup_1", expected: .text("sup_1")),
        FilterCase(kind: .demand, name: "buyer_id", value: "buy:1.a-b", expected: .text("buy:1.a-b")),
        FilterCase(kind: .product, name: "supplier_id", value: "_x", error: "must start with a letter or digit"),
        FilterCase(kind: .product, name: "supplier_id", value: "a b", error: "may contain only letters, digits and _ . : -"),
        FilterCase(kind: .product, name: "supplier_id", value: "", error: "must be 1 to 64 characters"),
        // division code, any level
        FilterCase(kind: .supplier, name: "county_code", value: "341125", expected: .text("341125")),
        FilterCase(kind: .buyer, name: "region_code", value: "440000", expected: .text("440000")),
        FilterCase(kind: .county, name: "paired_with", value: "440300", expected: .text("440300")),
        FilterCase(
            kind: .product,
            name: "county_code",
            value: "34112",
            error: "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125"
        ),
        FilterCase(kind: .buyer, name: "region_code", value: "990000", error: "990000 does not start with a province code (11–82)"),
        // bool
        FilterCase(kind: .supplier, name: "blacklisted", value: "true", expected: .bool(true)),
        FilterCase(kind: .product, name: "cold_chain", value: "false", expected: .bool(false)),
        FilterCase(kind: .supplier, name: "blacklisted", value: "yes", error: "must be true or false"),
        FilterCase(kind: .supplier, name: "blacklisted", value: "TRUE", error: "must be true or false"),
        FilterCase(kind: .supplier, name: "blacklisted", value: "1", error: "must be true or false"),
        // date
        FilterCase(kind: .product, name: "certified_on", value: "2020-09-01", expected: .date(day("2020-09-01"))),
        FilterCase(kind: .demand, name: "active_on", value: "2020-02-29", expected: .date(day("2020-02-29"))),
        FilterCase(kind: .demand, name: "active_on", value: "2021-02-29", error: "must be a date written YYYY-MM-DD"),
        FilterCase(kind: .demand, name: "active_on", value: "today", error: "must be a date written YYYY-MM-DD"),
        // one of
        FilterCase(kind: .product, name: "category", value: "tea", expected: .text("tea")),
        FilterCase(kind: .county, name: "poverty_status", value: "deep", expected: .text("deep")),
        FilterCase(kind: .supplier, name: "kind", value: "family_farm", expected: .text("family_farm")),
        FilterCase(kind: .buyer, name: "kind", value: "budget_unit", expected: .text("budget_unit")),
        FilterCase(kind: .demand, name: "unit", value: "jin", expected: .text("jin")),
        FilterCase(
            kind: .product,
            name: "unit",
            value: "KG",
            error: "unknown value 'KG'; expected one of: kg, jin, box, bag, bottle, piece"
        ),
        FilterCase(
            kind: .county,
            name: "poverty_status",
            value: "poor",
            error: "unknown value 'poor'; expected one of: national, provincial, deep, lifted, none"
        ),
        FilterCase(kind: .supplier, name: "kind", value: "", error: "unknown value ''; expected one of: enterprise, cooperative, family_farm"),
    ]

    @Test("filters of each type", arguments: filterCases)
    func filter(_ test: FilterCase) {
        let result = parse([(test.name, test.value)], kind: test.kind)
        if let expected = test.expected {
            #expect(result.success?.filters == [test.name: expected])
        } else {
            #expect(result.failure == ValidationFailure(field: test.name, message: test.error ?? ""))
        }
    }

    @Test func severalFilters() throws {
        let query = try parse([("category", "fruit"), ("cold_chain", "true"), ("certified_on", "2020-09-15"), ("limit", "25")]).get()
        #expect(query.filters == ["category": .text("fruit"), "cold_chain": .bool(true), "certified_on": .date(day("2020-09-15"))])
        #expect(query.limit == 25)
        #expect(query.afterID == nil)
    }

    @Test(
        "each kind's filters",
        arguments: [
            (CatalogKind.county, ["province", "poverty_status", "paired_with", "q"]),
            (.supplier, ["county_code", "kind", "blacklisted"]),
            (.product, ["supplier_id", "county_code", "category", "unit", "certified_on", "cold_chain"]),
            (.buyer, ["kind", "region_code", "network"]),
            (.demand, ["buyer_id", "category", "unit", "active_on"]),
        ]
    )
    func filterNames(kind: CatalogKind, names: [String]) {
        #expect(kind.filters.map(\.name) == names)
        #expect(kind.filters.allSatisfy { !$0.help.isEmpty })
    }
}
