import ChanxiaoCore
import Testing

/// The rules of complaints that need no database: the lifecycle, who may choose which remedy,
/// who reads which complaints, and the reading of what clients send.
@Suite struct ComplaintTests {
    @Test func theLifecycle() {
        #expect(ComplaintAction.investigate.allowedFrom == [.open])
        #expect(ComplaintAction.dismiss.allowedFrom == [.open, .investigating])
        #expect(ComplaintAction.uphold.allowedFrom == [.open, .investigating])
        #expect(ComplaintAction.allCases.map(\.resultingStatus) == [.investigating, .dismissed, .upheld])
        // Decided is final: no act is taken from upheld or dismissed.
        for action in ComplaintAction.allCases {
            #expect(action.allowedFrom.isDisjoint(with: [.upheld, .dismissed]))
        }
    }

    @Test func onlyAdminsBlacklist() {
        #expect(ComplaintRemedy.blacklistSupplier.isAllowed(for: .admin))
        #expect(!ComplaintRemedy.blacklistSupplier.isAllowed(for: .reviewer))
        #expect(ComplaintRemedy.revokeCertification.isAllowed(for: .reviewer))
        #expect(ComplaintRemedy.none.isAllowed(for: .reviewer))
        for role in [Role.organizer, .buyer, .supplier, .calendar] {
            #expect(ComplaintRemedy.allCases.allSatisfy { !$0.isAllowed(for: role) }, "\(role)")
        }
    }

    @Test func whoReadsWhich() {
        #expect(ComplaintScope(Principal(tokenID: "tok_a", role: .admin)) == .all)
        #expect(ComplaintScope(Principal(tokenID: "tok_r", role: .reviewer, regions: ["450000"])) == .regions(["450000"]))
        #expect(ComplaintScope(Principal(tokenID: "tok_n", role: .reviewer)) == .all)
        #expect(ComplaintScope(Principal(tokenID: "tok_o", role: .organizer)) == .filedBy("tok_o"))
        #expect(ComplaintScope(Principal(tokenID: "tok_b", role: .buyer, buyerID: "buy_1")) == .filedBy("tok_b"))
        // A supplier reads what it filed, never what was filed about it.
        #expect(ComplaintScope(Principal(tokenID: "tok_s", role: .supplier, supplierID: "sup_1")) == .filedBy("tok_s"))
        #expect(!ComplaintScope.filedBy("tok_s").isStaff)
        #expect(ComplaintScope.regions(["450000"]).isStaff)
    }

    @Test func aFilingIsReadWhole() {
        var reader = FieldReader(json: [
            "subject_kind": .string("supplier"), "subject_id": .string("sup-a"), "category": .string("paid_livestream"),
            "description": .string(" 直播收取坑位费 "),
        ])
        let filing = ComplaintFiling.parse(&reader)
        #expect(filing == ComplaintFiling(subjectKind: .supplier, subjectID: "sup-a", category: .paidLivestream, description: "直播收取坑位费"))
        var empty = FieldReader(json: [:])
        #expect(ComplaintFiling.parse(&empty) == nil)
        #expect(empty.errors.map(\.field).sorted() == ["category", "description", "subject_id", "subject_kind"])
    }

    @Test func eachActReadsItsOwnMembers() {
        var investigate = FieldReader(json: [:])
        #expect(ComplaintDecision.parse(&investigate, action: .investigate) == ComplaintDecision())
        var dismiss = FieldReader(json: ["resolution": .string("不属实"), "action": .string("none")])
        #expect(ComplaintDecision.parse(&dismiss, action: .dismiss) == nil)
        #expect(dismiss.errors.map(\.field) == ["action"], "a dismissal takes no remedy")
        var uphold = FieldReader(json: ["resolution": .string("属实"), "action": .string("blacklist_supplier")])
        #expect(ComplaintDecision.parse(&uphold, action: .uphold) == ComplaintDecision(resolution: "属实", remedy: .blacklistSupplier))
        var unknown = FieldReader(json: ["resolution": .string("属实"), "action": .string("fine")])
        #expect(ComplaintDecision.parse(&unknown, action: .uphold) == nil)
        #expect(unknown.errors.map(\.field) == ["action"])
    }
}
