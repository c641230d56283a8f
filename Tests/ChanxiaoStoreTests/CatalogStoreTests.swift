import ChanxiaoCore
import ChanxiaoStore
import Foundation
import GRDB
import Testing

@Suite struct CatalogStoreTests {
    @Test func createdEntitiesReadBackEqual() async throws {
        let database = try await Fixtures.database()
        #expect(try await database.fetch(County.self, id: "451026") == Fixtures.naPo)
        #expect(try await database.fetch(Supplier.self, id: "sup-coop") == Fixtures.coop)
        #expect(try await database.fetch(Buyer.self, id: "buy-union") == Fixtures.union)
        #expect(try await database.fetch(Demand.self, id: "dem-rice") == Fixtures.riceDemand)
        #expect(try await database.fetch(Product.self, id: "missing") == nil)
    }

    @Test func productCountyFollowsItsSupplier() async throws {
        let database = try await Fixtures.database()
        #expect(try await database.fetch(Product.self, id: "prd-rice")?.countyCode == "451026")

        // Moving the supplier moves its products, in the same transaction.
        _ = try await database.update(Supplier.self, id: "sup-coop", context: Fixtures.context) { supplier in
            var moved = supplier
            moved.countyCode = "341125"
            return moved
        }
        #expect(try await database.fetch(Product.self, id: "prd-rice")?.countyCode == "341125")
        #expect(try await database.fetch(Product.self, id: "prd-shrimp")?.countyCode == "341125")
    }

    @Test func duplicateIDsAreConflicts() async throws {
        let database = try await Fixtures.database()
        await #expect(throws: StoreError.conflict("a county with code 451026 already exists")) {
            try await database.create(Fixtures.naPo, context: Fixtures.context)
        }
    }

    @Test func danglingReferencesNameTheField() async throws {
        let database = try await Fixtures.database()
        var orphan = Fixtures.rice
        orphan.id = "prd-orphan"
        orphan.supplierID = "sup-nobody"
        await #expect(throws: ValidationFailure(field: "supplier_id", message: "no supplier with id sup-nobody")) {
            try await database.create(orphan, context: Fixtures.context)
        }
        var demand = Fixtures.riceDemand
        demand.id = "dem-2"
        demand.buyerID = "buy-nobody"
        await #expect(throws: ValidationFailure(field: "buyer_id", message: "no buyer with id buy-nobody")) {
            try await database.create(demand, context: Fixtures.context)
        }
    }

    @Test func deletesAreRefusedWhileOthersDependOnTheEntity() async throws {
        let database = try await Fixtures.database()
        await #expect(throws: StoreError.conflict("county 451026 still has 1 supplier; delete or move it first")) {
            try await database.delete(County.self, id: "451026", context: Fixtures.context)
        }
        await #expect(throws: StoreError.conflict("buyer buy-canteen still has 1 demand; delete or move it first")) {
            try await database.delete(Buyer.self, id: "buy-canteen", context: Fixtures.context)
        }
        try await database.delete(Demand.self, id: "dem-rice", context: Fixtures.context)
        try await database.delete(Buyer.self, id: "buy-canteen", context: Fixtures.context)
        #expect(try await database.fetch(Buyer.self, id: "buy-canteen") == nil)
        await #expect(throws: StoreError.notFound(kind: "buyer", id: "buy-canteen")) {
            try await database.delete(Buyer.self, id: "buy-canteen", context: Fixtures.context)
        }
    }

    @Test func updateKeepsCreationTimeAndRefusesIDChanges() async throws {
        let database = try await Fixtures.database()
        let later = Fixtures.now.addingTimeInterval(3600)
        let context = WriteContext(actor: "tok_test", role: .admin, now: later)
        let updated = try await database.update(Product.self, id: "prd-rice", context: context) { product in
            var cheaper = product
            cheaper.unitPriceFen = 750
            cheaper.createdAt = later  // ignored: creation time is kept
            return cheaper
        }
        #expect(updated.unitPriceFen == 750)
        #expect(updated.createdAt == Fixtures.now)
        #expect(updated.updatedAt == later)
        #expect(try await database.fetch(Product.self, id: "prd-rice") == updated)

        await #expect(throws: ValidationFailure(field: "id", message: "cannot be changed")) {
            try await database.update(Product.self, id: "prd-rice", context: context) { product in
                var renamed = product
                renamed.id = "prd-other"
                return renamed
            }
        }
        await #expect(throws: StoreError.notFound(kind: "product", id: "prd-none")) {
            try await database.update(Product.self, id: "prd-none", context: context) { $0 }
        }
    }

    @Test func anUpdateThatThrowsChangesNothing() async throws {
        struct Refused: Error {}
        let database = try await Fixtures.database()
        await #expect(throws: Refused.self) {
            try await database.update(Product.self, id: "prd-rice", context: Fixtures.context) { _ in throw Refused() }
        }
        #expect(try await database.fetch(Product.self, id: "prd-rice")?.countyCode == "451026")
        #expect(try await database.fetch(Product.self, id: "prd-rice")?.unitPriceFen == 800)
    }

    @Test func writesAreAudited() async throws {
        let database = try await Fixtures.database()
        _ = try await database.update(Supplier.self, id: "sup-farm", context: Fixtures.context) { supplier in
            var bad = supplier
            bad.blacklisted = true
            bad.blacklistReason = "以次充好"
            bad.blacklistedOn = CalendarDate("2020-09-01")
            return bad
        }
        let page = try await database.auditEntries(kind: .supplier, id: "sup-farm", limit: 10)
        #expect(page.entries.map(\.action) == ["supplier.blacklist", "supplier.update", "supplier.create"])
        #expect(page.entries.allSatisfy { $0.actor == "tok_test" && $0.role == "admin" })
        let change = page.entries[1].detail?.objectValue?["blacklisted"]?.objectValue
        #expect(change?["from"] == .bool(false))
        #expect(change?["to"] == .bool(true))
        #expect(page.entries[0].detail == .object(["reason": .string("以次充好")]))

        let all = try await database.auditEntries(limit: 3)
        #expect(all.entries.count == 3)
        let rest = try await database.auditEntries(before: all.next, limit: 100)
        #expect(rest.entries.count == 12 + 2 - 3)  // 12 creates + update + blacklist, minus the first page
        #expect(rest.next == nil)
    }
}
