import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Testing

/// Complaints (投诉举报) as the public and staff meet them (docs/certification.md, "Complaints").
@Suite struct ComplaintAPITests {
    static func filing(_ kind: String = "product", _ subject: String = "prd-a", category: String = "short_weight") -> String {
        #"{"subject_kind":"\#(kind)","subject_id":"\#(subject)","category":"\#(category)","description":"每袋少约半斤","evidence":"订单 2020-0901-17"}"#
    }

    /// Files a complaint and returns its id.
    static func file(_ app: TestApp, as caller: Caller = .buyerA, _ json: String = filing()) async throws -> String {
        let filed = try await app.send(.post, "/v1/complaints", as: caller, json: json)
        #expect(filed.status == .created, "\(filed.text)")
        return try #require(filed.object["id"]?.string)
    }

    @Test func everyRoleButCalendarFilesAComplaint() async throws {
        let app = try await TestApp()
        for caller in [Caller.admin, .organizer, .buyerA, .buyerB, .supplierA, .supplierB, .reviewer] {
            let filed = try await app.send(.post, "/v1/complaints", as: caller, json: Self.filing())
            #expect(filed.status == .created, "\(caller): \(filed.text)")
            #expect(filed.object["id"]?.string?.hasPrefix("cmp_") == true)
            #expect(filed.object["status"] == .string("open"))
            // The subject's supplier and county are copied for scoping.
            #expect(filed.object["supplier_id"] == .string("sup-a"))
            #expect(filed.object["county_code"] == .string("451026"))
            #expect(filed.object["subject_name"] == .string("那坡大米"))
        }
        #expect(try await app.send(.post, "/v1/complaints", as: .calendar, json: Self.filing()).status == .forbidden)
        #expect(try await app.send(.post, "/v1/complaints", as: .none, json: Self.filing()).status == .unauthorized)
        // About a supplier as a whole.
        let supplier = try await app.send(.post, "/v1/complaints", as: .buyerB, json: Self.filing("supplier", "sup-b", category: "paid_livestream"))
        #expect(supplier.status == .created, "\(supplier.text)")
        #expect(supplier.object["county_code"] == .string("341125"))
        #expect(supplier.object["subject_name"] == .string("定远农场"))
        let audit = try await app.database.auditEntries(limit: 100).entries
        #expect(audit.filter { $0.action == "complaint.file" }.count == 8)
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var field: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing description", json: #"{"subject_kind":"product","subject_id":"prd-a","category":"quality"}"#, field: "description"),
        BadInput(
            name: "blank description",
            json: #"{"subject_kind":"product","subject_id":"prd-a","category":"quality","description":"  "}"#,
            field: "description"
        ),
        BadInput(
            name: "unknown category",
            json: #"{"subject_kind":"product","subject_id":"prd-a","category":"rude","description":"x"}"#,
            field: "category"
        ),
        BadInput(
            name: "unknown subject kind",
            json: #"{"subject_kind":"buyer","subject_id":"buy-a","category":"quality","description":"x"}"#,
            field: "subject_kind"
        ),
        BadInput(
            name: "unknown product",
            json: #"{"subject_kind":"product","subject_id":"prd-nope","category":"quality","description":"x"}"#,
            field: "subject_id"
        ),
        BadInput(
            name: "unknown supplier",
            json: #"{"subject_kind":"supplier","subject_id":"prd-a","category":"quality","description":"x"}"#,
            field: "subject_id"
        ),
        BadInput(
            name: "description too long",
            json: #"{"subject_kind":"product","subject_id":"prd-a","category":"quality","description":"\#(String(repeating: "短", count: 2001))"}"#,
            field: "description"
        ),
        BadInput(
            name: "evidence too long",
            json:
                #"{"subject_kind":"product","subject_id":"prd-a","category":"quality","description":"x","evidence":"\#(String(repeating: "a", count: 1001))"}"#,
            field: "evidence"
        ),
        BadInput(
            name: "an id chosen by the client",
            json: #"{"id":"cmp-mine","subject_kind":"product","subject_id":"prd-a","category":"quality","description":"x"}"#,
            field: "id"
        ),
    ]

    @Test(arguments: badInputs)
    func badInputNamesTheField(_ input: BadInput) async throws {
        let app = try await TestApp()
        let response = try await app.send(.post, "/v1/complaints", as: .buyerA, json: input.json)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.errorFields == [input.field], "\(response.text)")
        #expect(try await app.send(.get, "/v1/complaints").items.isEmpty, "nothing is stored")
    }

    @Test func theLifecycleAndItsIllegalTransitions() async throws {
        let app = try await TestApp()
        let id = try await Self.file(app)
        let taken = try await app.send(.post, "/v1/complaints/\(id)/investigate", as: .reviewer, json: #"{"note":"已转县市场监管局核查"}"#)
        #expect(taken.status == .ok, "\(taken.text)")
        #expect(taken.object["status"] == .string("investigating"))
        let again = try await app.send(.post, "/v1/complaints/\(id)/investigate", as: .reviewer)
        #expect(again.status == .conflict)
        #expect(again.text.contains("complaint \(id) is investigating"), "\(again.text)")
        // A decision needs its resolution, named.
        let bare = try await app.send(.post, "/v1/complaints/\(id)/dismiss", as: .reviewer, json: "{}")
        #expect(bare.status == .unprocessableContent)
        #expect(bare.errorFields == ["resolution"])
        let upholdBare = try await app.send(.post, "/v1/complaints/\(id)/uphold", as: .reviewer, json: #"{"resolution":"属实"}"#)
        #expect(upholdBare.errorFields == ["action"])
        let dismissed = try await app.send(.post, "/v1/complaints/\(id)/dismiss", as: .reviewer, json: #"{"resolution":"抽检重量合格"}"#)
        #expect(dismissed.status == .ok, "\(dismissed.text)")
        #expect(dismissed.object["status"] == .string("dismissed"))
        #expect(dismissed.object["resolution"] == .string("抽检重量合格"))
        #expect(dismissed.object["action"] == .null)
        // Decided is final.
        let late = try await app.send(.post, "/v1/complaints/\(id)/uphold", json: #"{"resolution":"复查属实","action":"none"}"#)
        #expect(late.status == .conflict)
        #expect(late.text.contains("is dismissed"), "\(late.text)")
        #expect(try await app.send(.post, "/v1/complaints/\(id)/investigate").status == .conflict)

        // The history, with who acted for staff only.
        let staff = try await app.send(.get, "/v1/complaints/\(id)", as: .reviewer).object
        let steps = staff["history"]?.objects ?? []
        #expect(steps.map { $0["action"]?.string } == ["file", "investigate", "dismiss"])
        #expect(steps.map { $0["to"]?.string } == ["open", "investigating", "dismissed"])
        #expect(steps[1]["note"] == .string("已转县市场监管局核查"))
        #expect(steps.allSatisfy { $0["actor"] != nil })
        let filer = try await app.send(.get, "/v1/complaints/\(id)", as: .buyerA)
        #expect(filer.status == .ok)
        #expect(!filer.text.contains("\"actor\""))
        #expect(filer.text.contains("抽检重量合格"))

        // Upheld straight from open, with nothing more to do.
        let other = try await Self.file(app, as: .supplierB, Self.filing("supplier", "sup-a", category: "price"))
        let upheld = try await app.send(.post, "/v1/complaints/\(other)/uphold", json: #"{"resolution":"价格虚高属实，已约谈","action":"none"}"#)
        #expect(upheld.status == .ok, "\(upheld.text)")
        #expect(upheld.object["status"] == .string("upheld"))
        #expect(upheld.object["action"] == .string("none"))
        #expect(try await app.send(.get, "/v1/suppliers/sup-a").object["blacklisted"] == .bool(false))

        let actions = try await app.database.auditEntries(limit: 100).entries.map(\.action)
        for action in ["complaint.file", "complaint.investigate", "complaint.dismiss", "complaint.uphold"] {
            #expect(actions.contains(action), "\(action)")
        }
        // Organizers, buyers and suppliers do not decide.
        for caller in [Caller.organizer, .buyerA, .supplierA] {
            #expect(try await app.send(.post, "/v1/complaints/\(other)/investigate", as: caller).status == .forbidden)
        }
    }

    @Test func anUpheldComplaintRevokesTheCertificationInOneTransaction() async throws {
        let app = try await TestApp()
        let id = try await Self.file(app, Self.filing(category: "fake_certificate"))
        let upheld = try await app.send(
            .post,
            "/v1/complaints/\(id)/uphold",
            as: .reviewer,
            json: #"{"resolution":"证书系借用他县","action":"revoke_certification"}"#
        )
        #expect(upheld.status == .ok, "\(upheld.text)")
        #expect(upheld.object["revoked_certification_ids"] == .array([.string("cert-seed-prd-a")]))
        let certification = try await app.send(.get, "/v1/certifications/cert-seed-prd-a").object
        #expect(certification["status"] == .string("revoked"))
        #expect(certification["reason"] == .string("complaint \(id) upheld: 证书系借用他县"))
        #expect(certification["counts_through"] == .string("2020-08-31"))
        // What was planned on the listing goes with it: the week's proposal of prd-a.
        let match = try await app.send(.get, "/v1/matches/\(app.matchID)").object
        #expect(match["status"] == .string("cancelled"))
        #expect(match["cancel_reason"]?.string?.contains("complaint \(id) upheld") == true, "\(match)")
        let audit = try await app.database.auditEntries(limit: 100).entries
        let uphold = try #require(audit.first { $0.action == "complaint.uphold" })
        let revoke = try #require(audit.first { $0.action == "certification.revoke" })
        #expect(uphold.resourceID == id)
        #expect(revoke.resourceID == "cert-seed-prd-a")
        #expect(uphold.at == revoke.at)

        // Nothing listed is left to revoke: refused whole, the complaint stays open.
        let second = try await Self.file(app, as: .buyerB, Self.filing(category: "quality"))
        let nothing = try await app.send(
            .post,
            "/v1/complaints/\(second)/uphold",
            as: .reviewer,
            json: #"{"resolution":"同上","action":"revoke_certification"}"#
        )
        #expect(nothing.status == .conflict)
        #expect(nothing.text.contains("no listed certification"), "\(nothing.text)")
        #expect(try await app.send(.get, "/v1/complaints/\(second)").object["status"] == .string("open"))
        // A supplier has no certification of its own.
        let aboutSupplier = try await Self.file(app, Self.filing("supplier", "sup-a"))
        let wrongKind = try await app.send(
            .post,
            "/v1/complaints/\(aboutSupplier)/uphold",
            json: #"{"resolution":"属实","action":"revoke_certification"}"#
        )
        #expect(wrongKind.status == .unprocessableContent)
        #expect(wrongKind.errorFields == ["action"])
    }

    @Test func anUpheldComplaintBlacklistsTheSupplierOnlyForAnAdmin() async throws {
        let app = try await TestApp()
        let id = try await Self.file(app, Self.filing(category: "quality"))
        let refused = try await app.send(
            .post,
            "/v1/complaints/\(id)/uphold",
            as: .reviewer,
            json: #"{"resolution":"多次以次充好","action":"blacklist_supplier"}"#
        )
        #expect(refused.status == .forbidden)
        #expect(refused.isProblem)
        #expect(refused.errorFields == ["action"])
        #expect(try await app.send(.get, "/v1/complaints/\(id)").object["status"] == .string("open"))

        let upheld = try await app.send(.post, "/v1/complaints/\(id)/uphold", json: #"{"resolution":"多次以次充好","action":"blacklist_supplier"}"#)
        #expect(upheld.status == .ok, "\(upheld.text)")
        #expect(upheld.object["action"] == .string("blacklist_supplier"))
        let supplier = try await app.send(.get, "/v1/suppliers/sup-a").object
        #expect(supplier["blacklisted"] == .bool(true))
        #expect(supplier["blacklist_reason"] == .string("complaint \(id) upheld: 多次以次充好"))
        #expect(supplier["blacklisted_on"] == .string("2020-09-01"))
        // As for a PATCH: the proposal is cancelled, the blacklisting audited and announced.
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("cancelled"))
        let actions = try await app.database.auditEntries(limit: 100).entries.map(\.action)
        for action in ["complaint.uphold", "supplier.update", "supplier.blacklist", "supplier.withdraw"] {
            #expect(actions.contains(action), "\(action) in \(actions)")
        }
        let cancelled = try await app.send(.get, "/v1/webhook-messages?type=match.cancelled")
        #expect(cancelled.items.count >= 1, "\(cancelled.text)")

        // Blacklisted already: nothing to do, so the act is refused.
        let again = try await Self.file(app, as: .buyerB, Self.filing("supplier", "sup-a"))
        let twice = try await app.send(.post, "/v1/complaints/\(again)/uphold", json: #"{"resolution":"再次","action":"blacklist_supplier"}"#)
        #expect(twice.status == .conflict)
        #expect(twice.text.contains("blacklisted already"), "\(twice.text)")
    }

    @Test func aReviewerOutsideItsRegionsFindsNothing() async throws {
        let app = try await TestApp()
        // prd-b is in 341125 (Anhui); the reviewer is Guangxi's (450000).
        let outside = try await Self.file(app, Self.filing("product", "prd-b"))
        let inside = try await Self.file(app)
        #expect(try await app.send(.get, "/v1/complaints/\(outside)", as: .reviewer).status == .notFound)
        let act = try await app.send(.post, "/v1/complaints/\(outside)/investigate", as: .reviewer)
        #expect(act.status == .notFound)
        #expect(act.isProblem)
        let uphold = try await app.send(.post, "/v1/complaints/\(outside)/uphold", as: .reviewer, json: #"{"resolution":"x","action":"none"}"#)
        #expect(uphold.status == .notFound)
        let list = try await app.send(.get, "/v1/complaints", as: .reviewer)
        #expect(list.items.compactMap { $0["id"]?.string } == [inside])
        // The admin sees both and acts on both.
        #expect(try await app.send(.get, "/v1/complaints").items.count == 2)
        #expect(try await app.send(.post, "/v1/complaints/\(outside)/investigate").status == .ok)
    }

    @Test func aBuyerSeesOnlyItsOwnAndASupplierNotThoseAboutItself() async throws {
        let app = try await TestApp()
        let mine = try await Self.file(app, as: .buyerA)
        let buyerBs = try await Self.file(app, as: .buyerB, Self.filing("supplier", "sup-a", category: "paid_livestream"))
        let own = try await app.send(.get, "/v1/complaints", as: .buyerA)
        #expect(own.items.compactMap { $0["id"]?.string } == [mine])
        #expect(try await app.send(.get, "/v1/complaints/\(buyerBs)", as: .buyerA).status == .notFound)
        #expect(try await app.send(.get, "/v1/complaints/\(mine)", as: .buyerB).status == .notFound)
        // Supplier A is the accused in both and sees neither, nor who complained.
        let accused = try await app.send(.get, "/v1/complaints?subject_id=sup-a", as: .supplierA)
        #expect(accused.status == .ok)
        #expect(accused.items.isEmpty)
        #expect(try await app.send(.get, "/v1/complaints/\(mine)", as: .supplierA).status == .notFound)
        #expect(try await app.send(.get, "/v1/complaints/\(buyerBs)", as: .supplierA).status == .notFound)
        // What it files itself, it follows.
        let filed = try await Self.file(app, as: .supplierA, Self.filing("product", "prd-b", category: "price"))
        #expect(try await app.send(.get, "/v1/complaints", as: .supplierA).items.compactMap { $0["id"]?.string } == [filed])
        // Organizers triage nothing: they too read only their own.
        #expect(try await app.send(.get, "/v1/complaints", as: .organizer).items.isEmpty)
        // Filters narrow what the reader sees.
        let admin = try await app.send(.get, "/v1/complaints?subject_kind=supplier&category=paid_livestream&status=open")
        #expect(admin.items.compactMap { $0["id"]?.string } == [buyerBs])
        #expect(try await app.send(.get, "/v1/complaints?category=rude").status == .badRequest)
    }

    @Test func complaintsArePaginated() async throws {
        let app = try await TestApp()
        var ids: [String] = []
        for _ in 0..<3 { ids.append(try await Self.file(app)) }
        let first = try await app.send(.get, "/v1/complaints?limit=2", as: .buyerA)
        #expect(first.items.compactMap { $0["id"]?.string } == Array(ids.sorted().prefix(2)))
        let cursor = try #require(first.object["next_cursor"]?.string)
        let second = try await app.send(.get, "/v1/complaints?limit=2&cursor=\(cursor)", as: .buyerA)
        #expect(second.items.compactMap { $0["id"]?.string } == [ids.sorted()[2]])
        #expect(second.object["next_cursor"] == .null)
    }

    /// A blacklist reason holds 500 characters, and a PATCH re-reads the stored fields: a long
    /// resolution is cut, so that the supplier can still be edited afterwards.
    @Test func aLongResolutionLeavesTheSupplierEditable() async throws {
        let app = try await TestApp()
        let id = try await Self.file(app, Self.filing("supplier", "sup-b", category: "fake_certificate"))
        let resolution = String(repeating: "查", count: 1000)
        let upheld = try await app.send(.post, "/v1/complaints/\(id)/uphold", json: #"{"resolution":"\#(resolution)","action":"blacklist_supplier"}"#)
        #expect(upheld.status == .ok, "\(upheld.text)")
        #expect(upheld.object["resolution"] == .string(resolution))
        let reason = try #require(try await app.send(.get, "/v1/suppliers/sup-b").object["blacklist_reason"]?.string)
        #expect(reason.unicodeScalars.count == 500)
        #expect(reason.hasPrefix("complaint \(id) upheld: 查"))
        #expect(reason.hasSuffix("…"))
        let patched = try await app.send(
            .patch,
            "/v1/suppliers/sup-b",
            json: #"{"contact_person":"王主任"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.status == .ok, "\(patched.text)")
    }
}
