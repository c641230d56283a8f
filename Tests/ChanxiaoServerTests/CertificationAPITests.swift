import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Testing

/// Certification as a new user meets it, with the tokens of each role (docs/certification.md).
@Suite struct CertificationAPITests {
    static let approval = #"""
        {"certificate_no":"FP341125-0007","level":"county","authority_code":"341125","authority_name":"定远县扶贫产品认定工作组",
         "valid_until":"2023-08-31"}
        """#

    @Test func aSupplierCannotCertifyItsOwnProduct() async throws {
        let app = try await TestApp()
        let created = try await app.send(
            .post,
            "/v1/products",
            as: .supplierA,
            json: #"""
                {"supplier_id":"sup-a","name":"假冒产品","category":"tea","unit":"box","unit_price_fen":100,"weekly_capacity":10,
                 "certificate_no":"FAKE-001","certified_until":"2099-12-31"}
                """#
        )
        #expect(created.status == .unprocessableContent)
        #expect(created.text.contains("certificate_no"))
        #expect(created.text.contains("certification is the authorities' act"))
        let patched = try await app.send(
            .patch,
            "/v1/products/prd-a",
            as: .supplierA,
            json: #"{"certified_until":"2099-12-31"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.status == .unprocessableContent)
        // Nor can it move its own application past `applied`.
        let applied = try await app.send(
            .post,
            "/v1/certifications",
            as: .supplierB,
            json: #"{"id":"cert-own","product_id":"prd-b","production_base":"定远县","linked_households":30}"#
        )
        #expect(applied.status == .created, "\(applied.text)")
        #expect(try await app.send(.post, "/v1/certifications/cert-own/review", as: .supplierB, json: "{}").status == .forbidden)
        #expect(try await app.send(.post, "/v1/certifications/cert-own/approve", as: .supplierB, json: Self.approval).status == .forbidden)
    }

    @Test func anApplicationPassesNoticeAndIsListedAndAnObjectionHoldsIt() async throws {
        let app = try await TestApp()
        let applied = try await app.send(
            .post,
            "/v1/certifications",
            as: .supplierB,
            json: #"{"id":"cert-q","product_id":"prd-b","production_base":"定远县池河镇","linked_households":120,"food_safety_docs":["SC1"]}"#
        )
        #expect(applied.status == .created, "\(applied.text)")
        #expect(applied.object["status"] == .string("applied"))
        #expect(applied.object["evidence_reviewed"] == .bool(false))
        // A second open application for the same product is a conflict.
        let again = try await app.send(
            .post,
            "/v1/certifications",
            as: .supplierB,
            json: #"{"product_id":"prd-b","production_base":"x","linked_households":1}"#
        )
        #expect(again.status == .conflict)
        // Acts out of order name the state.
        let early = try await app.send(.post, "/v1/certifications/cert-q/approve", json: Self.approval)
        #expect(early.status == .conflict)
        #expect(early.text.contains("is applied"))

        #expect(try await app.send(.post, "/v1/certifications/cert-q/review", json: "{}").status == .ok)
        let approved = try await app.send(.post, "/v1/certifications/cert-q/approve", json: Self.approval)
        #expect(approved.status == .ok, "\(approved.text)")
        #expect(approved.object["status"] == .string("notice"))
        #expect(approved.object["notice_ends_on"] == .string("2020-09-07"))
        // On notice, it is public, and not yet certified.
        let notice = try await app.send(.get, "/v1/public/certifications?certificate_no=FP341125-0007", as: .none)
        #expect(notice.status == .ok)
        #expect(notice.text.contains("定远青虾"))
        #expect(!notice.text.contains("定远县池河镇"), "the public notice shows no evidence")
        #expect(try await app.send(.get, "/v1/products/prd-b").object["certificate_no"] == .null)

        // A buyer objects; the objection holds the listing.
        let objection = try await app.send(.post, "/v1/certifications/cert-q/objections", as: .buyerA, json: #"{"reason":"产地存疑"}"#)
        #expect(objection.status == .created, "\(objection.text)")
        let objectionID = try #require(objection.object["id"]?.string)
        let repeated = try await app.send(.post, "/v1/certifications/cert-q/objections", as: .buyerA, json: #"{"reason":"再次"}"#)
        #expect(repeated.status == .conflict)
        app.clock.advance(hours: 24 * 7)
        let held = try await app.send(.post, "/v1/certifications/cert-q/list", json: "{}")
        #expect(held.status == .conflict)
        #expect(held.text.contains(objectionID))
        let dismissed = try await app.send(
            .post,
            "/v1/certifications/cert-q/objections/\(objectionID)/resolve",
            json: #"{"outcome":"dismissed","note":"经核实产地属实"}"#
        )
        #expect(dismissed.status == .ok, "\(dismissed.text)")

        let listed = try await app.send(.post, "/v1/certifications/cert-q/list", json: "{}")
        #expect(listed.status == .ok, "\(listed.text)")
        #expect(listed.object["status"] == .string("listed"))
        #expect(listed.object["counts_from"] == .string("2020-09-08"))
        #expect(listed.object["evidence_reviewed"] == .bool(true))
        let product = try await app.send(.get, "/v1/products/prd-b").object
        #expect(product["certificate_no"] == .string("FP341125-0007"))
        #expect(product["certified_until"] == .string("2023-08-31"))
        // The supplier follows its application, without seeing who acted or objected.
        let own = try await app.send(.get, "/v1/certifications/cert-q", as: .supplierB)
        #expect(own.status == .ok)
        #expect(!own.text.contains("\"actor\""))
        #expect(!own.text.contains("\"filed_by\""))
        #expect(own.text.contains("经核实产地属实"))
    }

    @Test func anObjectionUpheldRejectsTheApplication() async throws {
        let app = try await TestApp(certifications: true)
        let objectionID = try #require(app.objectionID)
        let upheld = try await app.send(
            .post,
            "/v1/certifications/cert-b/objections/\(objectionID)/resolve",
            json: #"{"outcome":"upheld","note":"系外地收购贴牌"}"#
        )
        #expect(upheld.status == .ok, "\(upheld.text)")
        #expect(upheld.object["status"] == .string("rejected"))
        #expect(upheld.object["reason"]?.string?.contains("系外地收购贴牌") == true)
        #expect(try await app.send(.post, "/v1/certifications/cert-b/list", json: "{}").status == .conflict)
    }

    @Test func aRevocationReachesEveryLaterDayAndTheSalesOfThem() async throws {
        let app = try await TestApp()
        app.clock.advance(hours: 24 * 2)  // 2020-09-03
        for (id, day) in [("s-1", "2020-09-02"), ("s-2", "2020-09-03")] {
            let sale = try await app.send(
                .post,
                "/v1/sales",
                json:
                    #"{"id":"\#(id)","buyer_id":"buy-a","product_id":"prd-a","volume":10,"amount_fen":8000,"sold_on":"\#(day)","channel":"canteen"}"#
            )
            #expect(sale.status == .created, "\(sale.text)")
            #expect(sale.object["poverty_product"] == .bool(true))
        }
        // Before the revocation, matching offers the product for the coming week.
        let before = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W37","dry_run":true}"#)
        #expect(before.text.contains("\"product_id\":\"prd-a\""), "\(before.text)")
        let revoked = try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", as: .reviewer, json: #"{"reason":"以次充好"}"#)
        #expect(revoked.status == .ok, "\(revoked.text)")
        #expect(revoked.object["counts_through"] == .string("2020-09-02"))
        // The sale of the revocation's day is counted again at once; the day before stands.
        #expect(try await app.send(.get, "/v1/sales/s-1").object["poverty_product"] == .bool(true))
        #expect(try await app.send(.get, "/v1/sales/s-2").object["poverty_product"] == .bool(false))
        // Matching no longer offers the product for the coming week.
        let run = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W37","dry_run":true}"#)
        #expect(run.status == .created || run.status == .ok, "\(run.text)")
        #expect(!run.text.contains("\"product_id\":\"prd-a\""))
        // A revocation needs a reason, and a revoked one cannot be revoked again.
        #expect(try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", json: "{}").status == .unprocessableContent)
        let again = try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", json: #"{"reason":"再次"}"#)
        #expect(again.status == .conflict)
        #expect(again.text.contains("is revoked"))
        let public_ = try await app.send(.get, "/v1/public/certifications?status=revoked", as: .none)
        #expect(public_.text.contains("以次充好"))
    }

    @Test func aReviewerActsOnlyWithinItsRegions() async throws {
        let app = try await TestApp(certifications: true)
        // cert-b is in 341125 (Anhui); the reviewer is Guangxi's (450000).
        #expect(try await app.send(.get, "/v1/certifications/cert-b", as: .reviewer).status == .notFound)
        #expect(try await app.send(.post, "/v1/certifications/cert-b/reject", as: .reviewer, json: #"{"reason":"x"}"#).status == .notFound)
        let list = try await app.send(.get, "/v1/certifications", as: .reviewer)
        #expect(list.text.contains("cert-seed-prd-a"))
        #expect(!list.text.contains("cert-b"))
        // Nor may it list another region's products from an official list.
        let imported = try await app.send(
            .post,
            "/v1/certifications/import",
            as: .reviewer,
            body: "product_id,certificate_no,level,authority_code,authority_name,valid_until\nprd-b,FP9,county,341125,定远县,2030-12-31\n",
            contentType: "text/csv"
        )
        #expect(imported.status == .unprocessableContent)
        #expect(imported.text.contains("no product with id prd-b"))
        // Reviewers plan and count nothing.
        #expect(try await app.send(.get, "/v1/reports/slow-moving", as: .reviewer).status == .forbidden)
        #expect(try await app.send(.get, "/v1/me", as: .reviewer).text.contains("450000"))
    }

    @Test func anOfficialListIsCheckedWholeAndADryRunWritesNothing() async throws {
        let app = try await TestApp()
        let header = "product_id,certificate_no,level,authority_code,authority_name,valid_from,valid_until\n"
        let good = header + "prd-b,FP341125-1,county,341125,定远县扶贫产品认定工作组,2020-06-01,2022-12-31\n"
        let dry = try await app.send(.post, "/v1/certifications/import?dry_run=true", body: good, contentType: "text/csv")
        #expect(dry.status == .ok, "\(dry.text)")
        #expect(dry.object["listed"] == .int(1))
        #expect(try await app.send(.get, "/v1/products/prd-b").object["certificate_no"] == .null)

        // A row that cannot be read is refused with its row, before anything is looked up.
        let unreadable = try await app.send(
            .post,
            "/v1/certifications/import",
            body: header + "prd-b,FP-C,province,450000,广西,,2019-12-31\n",
            contentType: "text/csv"
        )
        #expect(unreadable.status == .unprocessableContent)
        #expect(unreadable.text.contains(#""field":"valid_until","message":"has already passed"#))
        let bad =
            header + "prd-b,FP-A,county,451026,那坡县,,2022-12-31\n" + "prd-a,FP-A,city,451000,百色市,,2022-12-31\n"
            + "prd-x,FP-C,province,450000,广西,,2022-12-31\n"
        let refused = try await app.send(.post, "/v1/certifications/import", body: bad, contentType: "text/csv")
        #expect(refused.status == .unprocessableContent)
        for fragment in [
            "authority 451026 does not cover the product's county 341125", "one number names one product", "no product with id prd-x",
        ] {
            #expect(refused.text.contains(fragment), "\(fragment): \(refused.text)")
        }

        let imported = try await app.send(.post, "/v1/certifications/import", body: good, contentType: "text/csv")
        #expect(imported.status == .ok, "\(imported.text)")
        let product = try await app.send(.get, "/v1/products/prd-b").object
        #expect(product["certificate_no"] == .string("FP341125-1"))
        // Listed from the list's own date: the product counts for the week of 2020-09-01.
        let certified = try await app.send(.get, "/v1/products?certified_on=2020-07-01")
        #expect(certified.text.contains("prd-b"))
        // The same list again changes nothing.
        let again = try await app.send(.post, "/v1/certifications/import", body: good, contentType: "text/csv")
        #expect(again.object["unchanged"] == .int(1))
    }

    @Test(
        "bad decisions name their field",
        arguments: [
            (#"{"level":"county","authority_code":"341125","authority_name":"x","valid_until":"2023-01-01"}"#, "certificate_no"),
            (#"{"certificate_no":"F","level":"city","authority_code":"341125","authority_name":"x","valid_until":"2023-01-01"}"#, "authority_code"),
            (#"{"certificate_no":"F","level":"county","authority_code":"451026","authority_name":"x","valid_until":"2023-01-01"}"#, "authority_code"),
            (
                #"{"certificate_no":"F","level":"national","authority_code":"341125","authority_name":"x","valid_until":"2023-01-01"}"#,
                "authority_code"
            ),
            (#"{"certificate_no":"F","level":"county","authority_code":"341125","authority_name":"x","valid_until":"2020-08-31"}"#, "valid_until"),
            (#"{"certificate_no":"F","level":"county","authority_code":"341125","authority_name":"x","valid_until":"2023-01-01","x":1}"#, "x"),
            (#"{"certificate_no":"F","level":"mayor","authority_code":"341125","authority_name":"x","valid_until":"2023-01-01"}"#, "level"),
        ]
    )
    func badDecision(json: String, field: String) async throws {
        let app = try await TestApp(certifications: true)
        // cert-b is on notice; a new application for it would conflict, so reject it and apply again.
        #expect(try await app.send(.post, "/v1/certifications/cert-b/reject", json: #"{"reason":"重新申请"}"#).status == .ok)
        _ = try await app.send(
            .post,
            "/v1/certifications",
            json: #"{"id":"cert-c","product_id":"prd-b","production_base":"x","linked_households":1}"#
        )
        #expect(try await app.send(.post, "/v1/certifications/cert-c/review", json: "{}").status == .ok)
        let response = try await app.send(.post, "/v1/certifications/cert-c/approve", json: json)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.text.contains("\"field\":\"\(field)\""), "\(response.text)")
    }
}
