import ChanxiaoCore
import ChanxiaoServer
import Foundation
import Testing

/// What buyers and suppliers see of matching (docs/api.md, "What each party sees"): names on
/// matches, a supplier's contact after an accepted match, offerable products, unmet demand with
/// its reasons, and demand in aggregate.
@Suite struct PartyViewsAPITests {
    static let contact = #"{"contact_person":"黄海","contact_phone":"+86 776-6822 001","address":"那坡县城厢镇"}"#

    @Test func aCanteenReadsItsProposalsWithNamesAndTheSuppliersContactOnceItAccepts() async throws {
        let app = try await TestApp()
        let patched = try await app.send(.patch, "/v1/suppliers/sup-a", json: Self.contact, contentType: "application/merge-patch+json")
        #expect(patched.status == .ok, "\(patched.text)")

        let list = try await app.send(.get, "/v1/matches?week=2020-W36", as: .buyerA)
        let match = try #require(list.items.first)
        #expect(match["product_name"] == .string("那坡大米"))
        #expect(match["supplier_name"] == .string("那坡合作社"))
        #expect(match["county_name"] == .string("那坡县"))
        #expect(match["county_code"] == .string("451026"))
        #expect(match["category"] == .string("grain_oil"))
        #expect(match["category_name"] == .string(ProductCategory.grainOil.chineseName))
        #expect(match["unit_name"] == .string("公斤"))
        #expect(match["buyer_name"] == .string("福田区机关食堂"))
        // Not before an accepted match: a proposal is not yet a relationship.
        #expect(match["supplier_contact"] == .null)
        #expect(try await app.send(.get, "/v1/matches?week=2020-W36", as: .buyerB).items.isEmpty)

        let accepted = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA)
        #expect(accepted.status == .ok, "\(accepted.text)")
        let contact = accepted.object["supplier_contact"]?.objectValue
        #expect(contact?["contact_phone"] == .string("+86 776-6822 001"))
        #expect(contact?["contact_person"] == .string("黄海"))
        // The supplier reads its own contact on its matches; staff read every one.
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)", as: .supplierA).object["supplier_contact"] != .null)
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)", as: .organizer).object["supplier_contact"] != .null)
    }

    @Test func matchesExportAsCSVWithNamesAndFormulasDisarmed() async throws {
        let app = try await TestApp()
        let renamed = try await app.send(
            .patch,
            "/v1/suppliers/sup-a",
            json: #"{"name":"=HYPERLINK(\"http://x\")"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(renamed.status == .ok, "\(renamed.text)")
        let csv = try await app.send(.get, "/v1/matches.csv?week=2020-W36", as: .buyerA)
        #expect(csv.status == .ok)
        #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 2, "\(csv.text)")
        #expect(lines.first?.contains("product_name") == true)
        #expect(lines.first?.contains("supplier_contact.contact_phone") == true)
        #expect(lines.first?.contains("cost_breakdown_fen.price") == true)
        #expect(lines.last?.contains("那坡大米") == true)
        #expect(lines.last?.contains("'=HYPERLINK") == true, "\(csv.text)")
        // Buyer B's export holds the header only.
        let other = try await app.send(.get, "/v1/matches.csv?week=2020-W36", as: .buyerB)
        #expect(other.text.split(separator: "\r\n").count == 1)
    }

    @Test func aSuppliersContactIsChecked() async throws {
        let app = try await TestApp()
        let bad = try await app.send(
            .patch,
            "/v1/suppliers/sup-a",
            json: #"{"contact_phone":"call me maybe"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(bad.status == .unprocessableContent)
        #expect(bad.errorFields.contains("contact_phone"), "\(bad.text)")
        let long = try await app.send(
            .patch,
            "/v1/suppliers/sup-a",
            json: #"{"address":"\#(String(repeating: "路", count: 201))"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(long.status == .unprocessableContent)
        // Suppliers do not write their own record (its blacklisting lives there).
        #expect(try await app.send(.patch, "/v1/suppliers/sup-a", as: .supplierA, json: Self.contact).status == .forbidden)
    }

    @Test func aBuyerListsTheProductsItCouldBeOfferedAndNoOneElses() async throws {
        let app = try await TestApp()
        let mine = try await app.send(.get, "/v1/buyers/buy-a/offerable-products?week=2020-W37", as: .buyerA)
        #expect(mine.status == .ok, "\(mine.text)")
        #expect(mine.object["week"] == .string("2020-W37"))
        let offer = try #require(mine.items.first)
        #expect(offer["product_id"] == .string("prd-a"))
        #expect(offer["supplier_name"] == .string("那坡合作社"))
        #expect(offer["demand_ids"] == .array([.string("dem-a")]))
        #expect(offer["certificate_no"] == .string("FP1"))
        #expect(mine.items.count == 1)
        // Buyer B wants cold-chain shrimp; the only shrimp is not certified, so nothing is offerable.
        let theirs = try await app.send(.get, "/v1/buyers/buy-b/offerable-products?week=2020-W37", as: .buyerB)
        #expect(theirs.status == .ok)
        #expect(theirs.items.isEmpty)
        // Another buyer's list is not there, for a buyer; staff read any.
        #expect(try await app.send(.get, "/v1/buyers/buy-b/offerable-products", as: .buyerA).status == .notFound)
        #expect(try await app.send(.get, "/v1/buyers/buy-b/offerable-products", as: .organizer).status == .ok)
        #expect(try await app.send(.get, "/v1/buyers/nobody/offerable-products").status == .notFound)
        let bad = try await app.send(.get, "/v1/buyers/buy-a/offerable-products?week=W37", as: .buyerA)
        #expect(bad.status == .badRequest)
        #expect(bad.text.contains("week"))
        // A price ceiling below the product's price takes it off the list, as matching would.
        let lowered = try await app.send(.patch, "/v1/demands/dem-a", as: .buyerA, json: #"{"max_unit_price_fen":700}"#)
        #expect(lowered.status == .ok, "\(lowered.text)")
        #expect(try await app.send(.get, "/v1/buyers/buy-a/offerable-products?week=2020-W37", as: .buyerA).items.isEmpty)
    }

    @Test func aBuyerReadsWhyItsDemandWentUnmet() async throws {
        let app = try await TestApp()
        let unmet = try await app.send(.get, "/v1/buyers/buy-b/unmet?week=2020-W36", as: .buyerB)
        #expect(unmet.status == .ok, "\(unmet.text)")
        #expect(unmet.object["run_id"] == .string(app.runID))
        let entry = try #require(unmet.object["items"]?.array?.first?.objectValue)
        #expect(entry["demand_id"] == .string("dem-b"))
        #expect(entry["reason"] == .string("no_candidates"))
        #expect(entry["explanation"]?.string?.contains("not certified") == true, "\(entry)")
        // Buyer A's demand was met: nothing to explain; and it cannot read buyer B's.
        #expect(try await app.send(.get, "/v1/buyers/buy-a/unmet?week=2020-W36", as: .buyerA).object["items"] == .array([]))
        #expect(try await app.send(.get, "/v1/buyers/buy-b/unmet", as: .buyerA).status == .notFound)
        // A week without a run says so.
        let none = try await app.send(.get, "/v1/buyers/buy-b/unmet?week=2020-W40", as: .buyerB)
        #expect(none.object["run_id"] == .null)
    }

    @Test func aSupplierSeesDemandInItsCategoriesInAggregateOnly() async throws {
        let app = try await TestApp()
        let a = try await app.send(.get, "/v1/demand-summary?week=2020-W37", as: .supplierA)
        #expect(a.status == .ok, "\(a.text)")
        let rows = a.object["items"]?.array?.compactMap(\.objectValue) ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["category"] == .string("grain_oil"))
        #expect(rows.first?["region_code"] == .string("440000"))
        #expect(rows.first?["weekly_volume"] == .int(300))
        #expect(rows.first?["min_price_ceiling_fen"] == .int(1000))
        #expect(!a.text.contains("buy-a"))
        #expect(!a.text.contains("dem-a"))
        let b = try await app.send(.get, "/v1/demand-summary?week=2020-W37", as: .supplierB)
        #expect(b.object["items"]?.array?.first?.objectValue?["region_code"] == .string("410000"))
        #expect(b.object["items"]?.array?.first?.objectValue?["cold_chain_volume"] == .int(50))
        // Staff see every category; a filter narrows, and a supplier's filter cannot widen its view.
        #expect(try await app.send(.get, "/v1/demand-summary?week=2020-W37", as: .organizer).object["items"]?.array?.count == 2)
        #expect(try await app.send(.get, "/v1/demand-summary?week=2020-W37&category=aquatic", as: .supplierA).object["items"] == .array([]))
        #expect(try await app.send(.get, "/v1/demand-summary", as: .buyerA).status == .forbidden)
    }
}
