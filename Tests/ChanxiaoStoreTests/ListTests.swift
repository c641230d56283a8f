import ChanxiaoCore
import ChanxiaoStore
import Testing

@Suite struct ListTests {
    /// Every filter of every kind, with the ids it should return from the fixture catalog.
    static let cases: [(kind: CatalogKind, filters: [String: FilterValue], expected: [String])] = [
        (.county, [:], ["341125", "451026"]),
        (.county, ["poverty_status": .text("deep")], ["451026"]),
        (.county, ["province": .text("安徽省")], ["341125"]),
        (.county, ["q": .text("那坡")], ["451026"]),
        (.county, ["paired_with": .text("440304")], ["451026"]),  // paired with the district itself
        (.county, ["paired_with": .text("440305")], ["451026"]),  // another district of the paired city 440300
        (.county, ["paired_with": .text("440000")], ["451026"]),  // the province containing the pairs
        (.county, ["paired_with": .text("450000")], []),
        (.supplier, ["county_code": .text("341125")], ["sup-farm"]),
        (.supplier, ["kind": .text("cooperative")], ["sup-coop"]),
        (.supplier, ["blacklisted": .bool(false)], ["sup-coop", "sup-farm"]),
        (.supplier, ["blacklisted": .bool(true)], []),
        (.product, ["category": .text("aquatic")], ["prd-shrimp"]),
        (.product, ["unit": .text("kg"), "cold_chain": .bool(true)], ["prd-shrimp"]),
        (.product, ["county_code": .text("451026")], ["prd-rice"]),
        (.product, ["supplier_id": .text("sup-farm")], ["prd-shrimp"]),
        (.product, ["certified_on": .date(CalendarDate("2021-12-31")!)], ["prd-rice"]),
        (.product, ["certified_on": .date(CalendarDate("2022-01-01")!)], []),
        (.buyer, ["kind": .text("union")], ["buy-union"]),
        (.buyer, ["region_code": .text("440300")], ["buy-canteen"]),
        (.buyer, ["region_code": .text("440000")], ["buy-canteen"]),
        (.buyer, ["network": .text("shenzhen-1+10")], ["buy-canteen"]),
        (.demand, ["buyer_id": .text("buy-canteen")], ["dem-rice"]),
        (.demand, ["active_on": .date(CalendarDate("2020-12-31")!)], ["dem-rice"]),
        (.demand, ["active_on": .date(CalendarDate("2021-01-01")!)], []),
        (.demand, ["active_on": .date(CalendarDate("2020-08-31")!)], []),
    ]

    @Test(arguments: cases.indices)
    func filters(_ index: Int) async throws {
        let (kind, filters, expected) = Self.cases[index]
        let database = try await Fixtures.database()
        let query = ListQuery(filters: filters, limit: 100)
        #expect(try await ids(database, kind, query) == expected, "\(kind) \(filters)")
    }

    @Test func ownersSeeOnlyTheirOwn() async throws {
        let database = try await Fixtures.database()
        #expect(try await ids(database, .demand, ListQuery(owner: .buyer("buy-union"))) == [])
        #expect(try await ids(database, .demand, ListQuery(owner: .buyer("buy-canteen"))) == ["dem-rice"])
        #expect(try await ids(database, .buyer, ListQuery(owner: .buyer("buy-union"))) == ["buy-union"])
        #expect(try await ids(database, .product, ListQuery(owner: .supplier("sup-coop"))) == ["prd-rice"])
        #expect(try await ids(database, .supplier, ListQuery(owner: .supplier("sup-coop"))) == ["sup-coop"])
        // A scope that does not apply to the kind shows nothing rather than everything.
        #expect(try await ids(database, .product, ListQuery(owner: .buyer("buy-canteen"))) == [])
    }

    @Test func pagesCoverEveryItemOnceInIDOrder() async throws {
        let database = try AppDatabase.inMemory()
        try await database.create(Fixtures.naPo, context: Fixtures.context)
        let expected = (0..<23).map { String(format: "sup-%02d", $0) }
        for id in expected.shuffled() {
            var supplier = Fixtures.coop
            supplier.id = id
            try await database.create(supplier, context: Fixtures.context)
        }
        var seen: [String] = []
        var query = ListQuery(limit: 5)
        var pages = 0
        while true {
            let page = try await database.list(Supplier.self, query: query)
            seen += page.items.map(\.id)
            pages += 1
            guard let cursor = page.nextCursor else { break }
            query.afterID = Cursor.decode(cursor)
        }
        #expect(seen == expected)
        #expect(pages == 5)
    }

    private func ids(_ database: AppDatabase, _ kind: CatalogKind, _ query: ListQuery) async throws -> [String] {
        switch kind {
        case .county: try await database.list(County.self, query: query).items.map(\.id)
        case .supplier: try await database.list(Supplier.self, query: query).items.map(\.id)
        case .product: try await database.list(Product.self, query: query).items.map(\.id)
        case .buyer: try await database.list(Buyer.self, query: query).items.map(\.id)
        case .demand: try await database.list(Demand.self, query: query).items.map(\.id)
        case .venue: try await database.list(Venue.self, query: query).items.map(\.id)
        case .host: try await database.list(LivestreamHost.self, query: query).items.map(\.id)
        case .fair: try await database.list(Fair.self, query: query).items.map(\.id)
        case .sale: try await database.list(Sale.self, query: query).items.map(\.id)
        case .outlet: try await database.list(Outlet.self, query: query).items.map(\.id)
        case .event: try await database.list(SalesEvent.self, query: query).items.map(\.id)
        }
    }
}
