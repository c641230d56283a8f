import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoStore
import Foundation
import Testing

@Suite struct DemoCatalogTests {
    let demo = DemoCatalog.make()

    @Test func itIsTheSizeOfTheDemoTier() {
        // DESIGN.md: demo ≈ 60 counties, 300 products, 80 buyers, 400 demands.
        #expect((55...70).contains(demo.counties.count))
        #expect((270...350).contains(demo.products.count))
        #expect((60...100).contains(demo.buyers.count))
        #expect((300...500).contains(demo.demands.count))
        #expect(demo.suppliers.count == 2 * demo.counties.count)
    }

    @Test func itIsTheSameOnEveryRun() {
        let again = DemoCatalog.make()
        #expect(again.counties == demo.counties)
        #expect(again.products == demo.products)
        #expect(again.demands == demo.demands)
    }

    @Test func everyRecordPassesTheAPIsValidation() {
        let context = ParseContext(now: Date(), today: DemoCatalog.referenceDate)
        func check<E: CatalogEntity>(_ items: [E]) {
            for item in items {
                var fields = item.writableJSON
                fields = fields.filter { $0.value != .null }
                let parsed = E.parse(reader: FieldReader(json: fields), context: context)
                switch parsed {
                case .success(let entity): #expect(entity.writableJSON == item.writableJSON, "\(item.id)")
                case .failure(let failure): Issue.record("\(E.kind) \(item.id): \(failure)")
                }
            }
        }
        check(demo.counties)
        check(demo.suppliers)
        check(demo.products)
        check(demo.buyers)
        check(demo.demands)
    }

    @Test func itLoadsIntoAnEmptyDatabase() async throws {
        let database = try AppDatabase.inMemory()
        let context = WriteContext(actor: "cli:test", role: .admin, now: Date())
        let loaded = try await database.seedCatalog(
            counties: demo.counties,
            suppliers: demo.suppliers,
            products: demo.products,
            buyers: demo.buyers,
            demands: demo.demands,
            marker: "demo",
            context: context
        )
        #expect(loaded)
        let counts = try await database.counts()
        #expect(counts[.product] == demo.products.count)
        #expect(counts[.demand] == demo.demands.count)
        // Stored products carry their supplier's county.
        let products = try await database.all(Product.self)
        let supplierCounty = Dictionary(uniqueKeysWithValues: demo.suppliers.map { ($0.id, $0.countyCode) })
        #expect(products.allSatisfy { $0.countyCode == supplierCounty[$0.supplierID] })
    }

    @Test func itShowsTheSeedsRules() {
        // Blacklisted suppliers, expired and missing certificates, ineligible counties, deep-poverty
        // counties, paired counties and every buyer kind are all present, so each rule can be seen.
        #expect(demo.suppliers.contains { $0.blacklisted && $0.blacklistReason != nil })
        let today = CalendarDate(year: 2026, month: 11, day: 22)!
        #expect(demo.products.contains { $0.certifiedUntil != nil && !$0.isCertified(on: today) })
        #expect(demo.products.contains { $0.certificateNo == nil })
        #expect(demo.products.filter { $0.isCertified(on: today) }.count > demo.products.count * 3 / 4)
        #expect(demo.counties.contains { $0.povertyStatus == .none })
        #expect(demo.counties.filter { $0.povertyStatus == .deep }.count == 8)  // seed 001: 8 counties not yet lifted
        #expect(demo.counties.contains { $0.isPaired(withBuyerRegion: "440304") })
        #expect(Set(demo.buyers.map(\.kind)) == Set(BuyerKind.allCases))
        #expect(demo.buyers.filter { $0.network == "shenzhen-1+10" }.count == 11)  // seed 000: the 1+10 centers
        #expect(Set(demo.products.map(\.category)) == Set(ProductCategory.allCases))
        // Every demand has at least one product of its category and unit.
        let offered = Set(demo.products.map { "\($0.category.rawValue)/\($0.unit.rawValue)" })
        #expect(demo.demands.allSatisfy { offered.contains("\($0.category.rawValue)/\($0.unit.rawValue)") })
    }
}
