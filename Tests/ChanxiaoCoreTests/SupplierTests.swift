import ChanxiaoCore
import Foundation
import Testing

@Suite("Supplier")
struct SupplierTests {
    static let good = #"{"id": "sup_1", "name": "定远县农业合作社", "county_code": "341125", "kind": "cooperative"}"#

    @Test func goodInput() throws {
        let supplier = try parse(Supplier.self, json: Self.good).get()
        #expect(
            supplier
                == Supplier(
                    id: "sup_1",
                    name: "定远县农业合作社",
                    countyCode: "341125",
                    kind: .cooperative,
                    createdAt: testNow,
                    updatedAt: testNow
                )
        )
        #expect(!supplier.blacklisted)
        #expect(supplier.owner == .supplier("sup_1"))
        #expect(supplier.references == [Reference(field: "county_code", kind: .county, id: "341125")])
        #expect(
            supplier.fields.map(\.value) == [
                .string("sup_1"), .string("定远县农业合作社"), .string("341125"), .string("cooperative"), .bool(false), .null, .null,
                .null, .null, .null, .string(testNowText), .string(testNowText),
            ]
        )
        #expect(supplier.csvRow == ["sup_1", "定远县农业合作社", "341125", "cooperative", "false", "", "", "", "", ""])
        checkRepresentations(supplier)
    }

    @Test func blacklistedWithDate() throws {
        let supplier = try parse(
            Supplier.self,
            json: merged(
                Self.good,
                #"{"blacklisted": true, "blacklist_reason": "以次充好", "blacklisted_on": "2020-08-01"}"#
            )
        ).get()
        #expect(supplier.blacklisted)
        #expect(supplier.blacklistReason == "以次充好")
        #expect(supplier.blacklistedOn == day("2020-08-01"))
        #expect(supplier.csvRow == ["sup_1", "定远县农业合作社", "341125", "cooperative", "true", "以次充好", "2020-08-01", "", "", ""])
        checkRepresentations(supplier)
    }

    @Test("blacklisted_on defaults to the context's today")
    func blacklistedDefaultsToToday() throws {
        let supplier = try parse(Supplier.self, json: merged(Self.good, #"{"blacklisted": true, "blacklist_reason": "失信"}"#)).get()
        #expect(supplier.blacklistedOn == day("2020-09-13"))
        let later = ParseContext(now: testNow, today: day("2021-01-04"))
        let other = try parse(Supplier.self, json: merged(Self.good, #"{"blacklisted": true, "blacklist_reason": "失信"}"#), context: later).get()
        #expect(other.blacklistedOn == day("2021-01-04"))
    }

    @Test func csvInput() throws {
        let cells = [
            "id": "sup_2", "name": "x", "county_code": "341125", "kind": "family_farm", "blacklisted": "是",
            "blacklist_reason": "质量问题", "blacklisted_on": "",
        ]
        let supplier = try parse(Supplier.self, csv: cells).get()
        #expect(supplier.kind == .familyFarm)
        #expect(supplier.blacklisted)
        #expect(supplier.blacklistedOn == day("2020-09-13"))
        let clean = try parse(
            Supplier.self,
            csv: [
                "id": "sup_3", "name": "y", "county_code": "341125", "kind": "enterprise",
                "blacklisted": "否", "blacklist_reason": "", "blacklisted_on": "",
            ]
        ).get()
        #expect(!clean.blacklisted)
        #expect(clean.blacklistReason == nil)
    }

    @Test(
        "bad inputs",
        arguments: [
            BadInput(#"{"id": null}"#, "id", "is required"),
            BadInput(#"{"id": "_sup"}"#, "id", "must start with a letter or digit"),
            BadInput(#"{"id": "sup 1"}"#, "id", "may contain only letters, digits and _ . : -"),
            BadInput(#"{"name": "  "}"#, "name", "is required"),
            BadInput(#"{"name": "\#(String(repeating: "社", count: 129))"}"#, "name", "must be at most 128 characters"),
            BadInput(#"{"county_code": "341100"}"#, "county_code", "is a province or city code"),
            BadInput(#"{"county_code": null}"#, "county_code", "is required"),
            BadInput(#"{"kind": "farm"}"#, "kind", "unknown value 'farm'; expected one of: enterprise, cooperative, family_farm"),
            BadInput(#"{"blacklisted": "yes"}"#, "blacklisted", "must be true or false, not a string"),
            BadInput(#"{"blacklisted": true}"#, "blacklist_reason", "is required when blacklisted is true"),
            BadInput(#"{"blacklisted": true, "blacklist_reason": ""}"#, "blacklist_reason", "is required when blacklisted is true"),
            BadInput(
                #"{"blacklisted": true, "blacklist_reason": "x", "blacklisted_on": "2020-13-01"}"#,
                "blacklisted_on",
                "must be a date written YYYY-MM-DD"
            ),
            BadInput(#"{"blacklist_reason": "x"}"#, "blacklist_reason", "is only allowed when blacklisted is true"),
            BadInput(#"{"blacklisted": false, "blacklist_reason": "x"}"#, "blacklist_reason", "is only allowed when blacklisted is true"),
            BadInput(#"{"blacklisted_on": "2020-08-01"}"#, "blacklisted_on", "is only allowed when blacklisted is true"),
            BadInput(#"{"county": "341125"}"#, "county", "unknown field"),
            BadInput(#"{"created_at": "x"}"#, "created_at", "is read-only"),
        ]
    )
    func badInput(_ bad: BadInput) {
        checkBadInput(Supplier.self, good: Self.good, bad)
    }

    @Test("a bad reason is reported once, not also as missing")
    func badReasonReportedOnce() {
        let long = String(repeating: "x", count: 501)
        let result = parse(Supplier.self, json: merged(Self.good, #"{"blacklisted": true, "blacklist_reason": "\#(long)"}"#))
        #expect(result.failure?.errors == [FieldError(field: "blacklist_reason", message: "must be at most 500 characters")])
    }

    @Test("an unreadable blacklisted flag is reported alone, not also as a contradiction")
    func unreadableFlagReportedAlone() {
        let result = parse(
            Supplier.self,
            json: merged(Self.good, #"{"blacklisted": "maybe", "blacklist_reason": "x", "blacklisted_on": "2020-08-01"}"#)
        )
        #expect(result.failure?.errors.map(\.field) == ["blacklisted"])
    }

    @Test("a missing reason is reported along with other problems")
    func missingReasonWithOtherErrors() {
        let result = parse(Supplier.self, json: #"{"id": "sup_1", "county_code": "341125", "kind": "enterprise", "blacklisted": true}"#)
        #expect(result.failure?.errors.map(\.field) == ["name", "blacklist_reason"])
    }

    @Test("mergeBase: lifting a blacklisting clears its reason and date")
    func mergeBase() throws {
        let stored = try parse(
            Supplier.self,
            json: merged(
                Self.good,
                #"{"blacklisted": true, "blacklist_reason": "失信", "blacklisted_on": "2020-08-01"}"#
            )
        ).get().writableJSON

        // `false`, or null (back to the default, false), lifts it.
        for lift: [String: JSONValue] in [["blacklisted": .bool(false)], ["blacklisted": .null]] {
            let base = Supplier.mergeBase(stored, patch: lift)
            #expect(base["blacklist_reason"] == nil)
            #expect(base["blacklisted_on"] == nil)
            #expect(base["name"] == stored["name"])
            #expect(base["blacklisted"] == .bool(true))
            let lifted = try Supplier.parse(reader: FieldReader(json: mergePatch(base, lift)), context: testContext).get()
            #expect(!lifted.blacklisted)
            #expect(lifted.blacklistReason == nil)
            #expect(lifted.blacklistedOn == nil)
        }

        // Other patches leave the base alone.
        for patch: [String: JSONValue] in [
            ["name": .string("新名")], ["blacklisted": .bool(true)],
            ["blacklisted": .string("false")], [:],
        ] {
            #expect(Supplier.mergeBase(stored, patch: patch) == stored)
        }

        // Lifting and setting a reason in one PATCH is contradictory.
        let contradictory: [String: JSONValue] = ["blacklisted": .bool(false), "blacklist_reason": .string("still")]
        let result = Supplier.parse(
            reader: FieldReader(json: mergePatch(Supplier.mergeBase(stored, patch: contradictory), contradictory)),
            context: testContext
        )
        #expect(result.failure?.errors == [FieldError(field: "blacklist_reason", message: "is only allowed when blacklisted is true")])
    }

    @Test("other kinds do not change the merge base")
    func defaultMergeBase() {
        let base: [String: JSONValue] = ["name": .string("x"), "city": .string("y")]
        #expect(County.mergeBase(base, patch: ["city": .null]) == base)
        #expect(Product.mergeBase(base, patch: ["blacklisted": .bool(false)]) == base)
        #expect(Buyer.mergeBase(base, patch: [:]) == base)
        #expect(Demand.mergeBase(base, patch: ["name": .string("z")]) == base)
    }
}
