import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import HTTPTypes
import Testing

@Suite struct CatalogAPITests {
    @Test func createReadListUpdateDelete() async throws {
        let app = try await TestApp()
        let created = try await app.send(
            .post,
            "/v1/counties",
            json: #"{"code":"450124","name":"马山县","city":"南宁市","poverty_status":"national","paired_region_codes":["440300","440300"]}"#
        )
        #expect(created.status == .created)
        #expect(created.headers[.location] == "/v1/counties/450124")
        #expect(created.object["province"] == .string("广西壮族自治区"))  // derived from the code
        #expect(created.object["paired_region_codes"] == .array([.string("440300")]))
        #expect(created.object["created_at"] == .string("2020-09-01T02:00:00.000Z"))
        // Members come out in the documented order.
        #expect(created.text.hasPrefix(#"{"code":"450124","name":"马山县","province":"广西壮族自治区","city":"南宁市""#))

        let fetched = try await app.send(.get, "/v1/counties/450124")
        #expect(fetched.status == .ok)
        #expect(fetched.object == created.object)

        // Merge-patch: a member replaces, null resets, the rest stays.
        let patched = try await app.send(
            .patch,
            "/v1/counties/450124",
            json: #"{"city":null,"poor_population":52000}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.status == .ok)
        #expect(patched.object["city"] == .null)
        #expect(patched.object["poor_population"] == .int(52000))
        #expect(patched.object["name"] == .string("马山县"))

        let list = try await app.send(.get, "/v1/counties?poverty_status=national")
        #expect(list.items.compactMap { $0["code"]?.string } == ["450123", "450124"])
        #expect(list.object["next_cursor"] == .null)

        #expect(try await app.send(.delete, "/v1/counties/450124").status == .noContent)
        #expect(try await app.send(.get, "/v1/counties/450124").status == .notFound)
    }

    @Test func serverGeneratesIDsWhenTheClientGivesNone() async throws {
        let app = try await TestApp()
        let response = try await app.send(
            .post,
            "/v1/demands",
            json: #"{"buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":10,"max_unit_price_fen":20000,"starts_on":"2020-09-07"}"#
        )
        #expect(response.status == .created)
        let id = try #require(response.object["id"]?.string)
        #expect(id.hasPrefix("dem_") && id.count == 30)
        #expect(response.object["ends_on"] == .null)
        #expect(response.object["cold_chain"] == .bool(false))

        let chosen = try await app.send(
            .post,
            "/v1/demands",
            json:
                #"{"id":"ERP-2020-0917","buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":10,"max_unit_price_fen":20000,"starts_on":"2020-09-07"}"#
        )
        #expect(chosen.object["id"] == .string("ERP-2020-0917"))
        let duplicate = try await app.send(
            .post,
            "/v1/demands",
            json:
                #"{"id":"ERP-2020-0917","buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":10,"max_unit_price_fen":20000,"starts_on":"2020-09-07"}"#
        )
        #expect(duplicate.status == .conflict)
        #expect(duplicate.object["type"] == .string("urn:chanxiao:problem:conflict"))
    }

    @Test func anEmptyIDIsGenerated() async throws {
        let app = try await TestApp()
        let response = try await app.send(.post, "/v1/suppliers", json: #"{"id":" ","name":"新社","county_code":"451026","kind":"cooperative"}"#)
        #expect(response.status == .created)
        #expect(response.object["id"]?.string?.hasPrefix("sup_") == true)
    }

    @Test func aPatchThatChangesNothingWritesNothing() async throws {
        let app = try await TestApp()
        let before = try await app.send(.get, "/v1/audit?limit=500").items.count
        let response = try await app.send(.patch, "/v1/products/prd-a", json: #"{"unit_price_fen":800,"season_months":[]}"#)
        #expect(response.status == .ok)
        #expect(response.object["updated_at"] == .string("2020-09-01T02:00:00.000Z"))
        #expect(try await app.send(.get, "/v1/audit?limit=500").items.count == before)
    }

    @Test func countyFiltersTakeACityOrProvince() async throws {
        let app = try await TestApp()
        #expect(try await app.send(.get, "/v1/products?county_code=451000").items.compactMap { $0["id"]?.string } == ["prd-a"])
        #expect(try await app.send(.get, "/v1/suppliers?county_code=340000").items.compactMap { $0["id"]?.string } == ["sup-b", "sup-empty"])
        #expect(try await app.send(.get, "/v1/suppliers?county_code=341125").items.compactMap { $0["id"]?.string } == ["sup-b", "sup-empty"])
        #expect(try await app.send(.get, "/v1/products?county_code=450000").items.compactMap { $0["id"]?.string } == ["prd-a"])
        #expect(try await app.send(.get, "/v1/products?county_code=410000").items.isEmpty)
    }

    @Test func productsCarryTheirSuppliersCounty() async throws {
        let app = try await TestApp()
        let response = try await app.send(
            .post,
            "/v1/products",
            json:
                #"{"id":"prd-new","supplier_id":"sup-b","name":"定远黄桃","category":"fruit","unit":"kg","unit_price_fen":1200,"weekly_capacity":900,"season_months":[8,7]}"#
        )
        #expect(response.object["county_code"] == .string("341125"))
        #expect(response.object["season_months"] == .array([.int(7), .int(8)]))
        let filtered = try await app.send(.get, "/v1/products?county_code=341125&category=fruit")
        #expect(filtered.items.compactMap { $0["id"]?.string } == ["prd-new"])
    }

    @Test func buyersShowTheShareTargetInForce() async throws {
        let app = try await TestApp { $0.buyers.shareTargets[.canteen] = 0.25 }
        let canteen = try await app.send(.get, "/v1/buyers/buy-a")
        #expect(canteen.object["poverty_share_target"] == .null)
        #expect(canteen.object["effective_poverty_share_target"] == .double(0.25))
        let union = try await app.send(.get, "/v1/buyers/buy-b")
        #expect(union.object["effective_poverty_share_target"] == .double(0.55))

        let created = try await app.send(.post, "/v1/buyers", json: #"{"name":"罗湖区机关食堂","kind":"canteen","region_code":"440303"}"#)
        #expect(created.object["max_suppliers_per_category"] == .int(2))  // buyers.default_max_suppliers_per_category
    }

    @Test func blacklistingIsAPatchThatIsAudited() async throws {
        let app = try await TestApp()
        let missingReason = try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":true}"#)
        #expect(missingReason.status == .unprocessableContent)
        #expect(missingReason.errorFields == ["blacklist_reason"])

        let listed = try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":true,"blacklist_reason":"以次充好"}"#)
        #expect(listed.status == .ok)
        #expect(listed.object["blacklisted_on"] == .string("2020-09-01"))  // today in Asia/Shanghai
        #expect(try await app.send(.get, "/v1/suppliers?blacklisted=true").items.compactMap { $0["id"]?.string } == ["sup-b"])

        let lifted = try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":false}"#)
        #expect(lifted.object["blacklisted"] == .bool(false))
        #expect(lifted.object["blacklist_reason"] == .null)
        #expect(lifted.object["blacklisted_on"] == .null)

        let audit = try await app.send(.get, "/v1/audit?kind=supplier&id=sup-b")
        #expect(
            audit.items.compactMap { $0["action"]?.string } == ["supplier.unblacklist", "supplier.update", "supplier.blacklist", "supplier.update"]
        )

        // null resets blacklisted to its default, false, which also clears reason and date.
        _ = try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":true,"blacklist_reason":"以次充好","blacklisted_on":"2020-08-20"}"#)
        let reset = try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":null}"#)
        #expect(reset.status == .ok)
        #expect(reset.object["blacklisted"] == .bool(false))
        #expect(reset.object["blacklisted_on"] == .null)
    }

    @Test func ownersAreScopedOnEveryOperation() async throws {
        let app = try await TestApp()
        // A buyer lists only its own demands and buyer record.
        #expect(try await app.send(.get, "/v1/demands", as: .buyerA).items.compactMap { $0["id"]?.string } == ["dem-a"])
        #expect(try await app.send(.get, "/v1/buyers", as: .buyerB).items.compactMap { $0["id"]?.string } == ["buy-b"])
        // Reading another buyer's demand looks like it does not exist; writing it is forbidden.
        #expect(try await app.send(.get, "/v1/demands/dem-b", as: .buyerA).status == .notFound)
        #expect(try await app.send(.patch, "/v1/demands/dem-b", as: .buyerA, json: #"{"weekly_volume":1}"#).status == .forbidden)
        // A buyer cannot move its demand to another buyer.
        let moved = try await app.send(.patch, "/v1/demands/dem-a", as: .buyerA, json: #"{"buyer_id":"buy-b"}"#)
        #expect(moved.status == .forbidden)
        #expect(try await app.send(.get, "/v1/demands/dem-a").object["buyer_id"] == .string("buy-a"))
        // A supplier creates products only for itself.
        let foreign = try await app.send(
            .post,
            "/v1/products",
            as: .supplierA,
            json: #"{"supplier_id":"sup-b","name":"x","category":"tea","unit":"box","unit_price_fen":1,"weekly_capacity":1}"#
        )
        #expect(foreign.status == .forbidden)
        #expect(try await app.send(.get, "/v1/products", as: .supplierB).items.compactMap { $0["id"]?.string } == ["prd-b"])
    }

    @Test func pagesFollowCursors() async throws {
        let app = try await TestApp()
        var cursor: String?
        var codes: [String] = []
        repeat {
            let response = try await app.send(.get, "/v1/counties?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            codes += response.items.compactMap { $0["code"]?.string }
            cursor = response.object["next_cursor"]?.string
        } while cursor != nil
        #expect(codes == ["341125", "450123", "451026"])
    }

    @Test func referenceData() async throws {
        let app = try await TestApp()
        let categories = try await app.send(.get, "/v1/categories", as: .supplierB)
        #expect(categories.items.count == ProductCategory.allCases.count)
        #expect(categories.items.first == ["code": .string("grain_oil"), "name_zh": .string("米面粮油"), "name_en": .string("Grain and edible oil")])
        #expect(try await app.send(.get, "/v1/units").items.count == MeasureUnit.allCases.count)
        let me = try await app.send(.get, "/v1/me", as: .buyerA)
        #expect(me.object["role"] == .string("buyer"))
        #expect(me.object["buyer_id"] == .string("buy-a"))
        #expect(try await app.send(.get, "/healthz", as: .none).object["status"] == .string("ok"))
        #expect(try await app.send(.get, "/readyz", as: .none).object["status"] == .string("ready"))
    }
}
