import ChanxiaoCore
import Foundation
import Testing

@Suite("Event payloads")
struct EventPayloadTests {
    typealias F = EventPayloadFixtures

    @Test("the fixtures cover every event type")
    func coversEveryType() {
        #expect(Set(F.all.map(\.data.type)) == Set(EventType.allCases))
    }

    @Test("a payload reads back equal from its members, each named once", arguments: F.all.map(\.label))
    func membersRoundTrip(label: String) throws {
        let data = F.data(label)
        let names = data.members.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(try EventData(type: data.type, data: F.members(label)) == data)
    }

    @Test(
        "a payload reads back equal from the JSON bytes of its event, which it writes again the same",
        arguments: F.all.map(\.label)
    )
    func bytesRoundTrip(label: String) throws {
        let data = F.data(label)
        let event = Event(data, timestamp: F.now)
        let body = try JSONValue.parseObject(Data(event.payload))
        #expect(body["type"] == .string(data.type.rawValue))
        let read = try EventData(type: data.type, data: try #require(body["data"]?.objectValue))
        #expect(read == data)
        #expect(Event(read, timestamp: event.timestamp).payload == event.payload)
    }

    /// The members that may be null (names looked up at write time, nullable fields): absent,
    /// they read as nil; every other member is required.
    static let nullable: [EventType: Set<String>] = [
        .matchProposed: ["buyer_name", "product_name", "unit", "supplier_name", "county_name", "decided_at"],
        .matchAccepted: ["buyer_name", "product_name", "unit", "supplier_name", "county_name", "decided_at"],
        .matchDeclined: ["buyer_name", "product_name", "unit", "supplier_name", "county_name", "decided_at"],
        .matchExpired: ["buyer_name", "product_name", "unit", "supplier_name", "county_name", "decided_at"],
        .matchCancelled: ["buyer_name", "product_name", "unit", "supplier_name", "county_name", "decided_at"],
        .rotationPublished: ["venue_name"],
        .slotChanged: ["venue_name"],
        .slotWithdrawn: ["venue_name", "candidate"],
        .livestreamScheduled: ["host_name", "title", "rotation_id", "week"],
        .livestreamReminder: ["host_name", "title", "rotation_id", "week"],
        .livestreamCancelled: ["host_name", "title", "rotation_id", "week", "reason"],
        .fairBoothAssigned: ["fair_name", "supplier_id", "supplier_name", "county_name"],
        .boothReleased: ["fair_name", "supplier_id", "supplier_name", "county_name"],
        .supplierBlacklisted: ["county_name", "reason", "blacklisted_on"],
        .endpointDisabled: ["owner", "failing_since"],
        .quotaAtRisk: ["network", "share", "gap_fen"],
        .productSlowMoving: ["supplier_name", "county_name"],
        .reportWeekly: ["region"],
    ]

    /// The fixtures with every nullable member set.
    static let complete = F.all.map(\.label).filter { !$0.hasSuffix("bare") }

    @Test("a missing required member is named; a missing nullable one reads as nil", arguments: complete)
    func missingMembers(label: String) throws {
        let data = F.data(label)
        let nullable = try #require(Self.nullable[data.type])
        for name in data.members.map(\.name) {
            var members = F.members(label)
            members[name] = nil
            do throws(PayloadError) {
                let read = try EventData(type: data.type, data: members)
                #expect(nullable.contains(name), "\(label): reads without \(name)")
                #expect(!read.members.contains { $0.name == name && $0.value != .null }, "\(label): \(name)")
            } catch {
                #expect(error == PayloadError(member: name, problem: "is missing"), "\(label)")
                #expect(!nullable.contains(name), "\(label): \(name) is nullable")
            }
        }
    }

    @Test("a member of the wrong type is named, also a nullable one", arguments: complete)
    func mistypedMembers(label: String) {
        let data = F.data(label)
        for (name, value) in data.members {
            var members = F.members(label)
            members[name] = value == .bool(true) || value == .bool(false) ? .string("yes") : .bool(true)
            do throws(PayloadError) {
                let read = try EventData(type: data.type, data: members)
                Issue.record("\(label): reads with \(name) mistyped as \(read)")
            } catch {
                #expect(error.member == name, "\(label)")
                #expect(error.problem.hasPrefix("must be"), "\(label): \(error)")
            }
        }
    }

    enum Step: Sendable, CustomStringConvertible {
        case member(String)
        case index(Int)

        var description: String {
            switch self {
            case .member(let name): name
            case .index(let index): "[\(index)]"
            }
        }
    }

    /// Nested members, values that parse as text, and codes this version does not know.
    static let problems: [(label: String, path: [Step], value: JSONValue?, error: String)] = [
        ("rotation.published", [.member("slots"), .index(1), .member("week")], nil, "slots[1].week: is missing"),
        (
            "rotation.published", [.member("slots"), .index(0), .member("sequence")], .string("first"),
            "slots[0].sequence: must be an integer, not \"first\""
        ),
        ("rotation.published", [.member("slots"), .index(1)], .string("2026-W48"), "slots[1]: must be an object, not \"2026-W48\""),
        ("slot.changed swap", [.member("detail"), .member("weeks")], .array([.string("2026-W49")]), "detail.weeks: must name two weeks, not 1"),
        (
            "slot.changed swap", [.member("detail"), .member("weeks")], .array([.string("2026-W49"), .int(50)]),
            "detail.weeks[1]: must be an ISO week (YYYY-Www), not a number"
        ),
        ("slot.changed swap", [.member("change")], .string("move"), "change: must be swap or replace, not \"move\""),
        ("slot.changed replace bare", [.member("detail"), .member("to"), .member("product_id")], nil, "detail.to.product_id: is missing"),
        (
            "livestream.scheduled", [.member("products"), .index(0), .member("product_id")], .int(7),
            "products[0].product_id: must be a string, not a number"
        ),
        ("livestream.scheduled", [.member("platform")], .string("bilibili"), "platform: must be one of its known values, not \"bilibili\""),
        ("livestream.reminder", [.member("starts_in_minutes")], nil, "starts_in_minutes: is missing"),
        ("fair.booth_assigned", [.member("booths"), .index(1)], .string("13"), "booths[1]: must be an integer, not \"13\""),
        (
            "quota.at_risk", [.member("matches"), .index(1), .member("status")], .string("teleported"),
            "matches[1].status: must be one of its known values, not \"teleported\""
        ),
        (
            "report.weekly", [.member("totals"), .member("matched_volume"), .member("litre")], .int(5),
            "totals.matched_volume.litre: is not one of its known keys"
        ),
        (
            "report.weekly", [.member("totals"), .member("matched_volume"), .member("kg")], .string("many"),
            "totals.matched_volume.kg: must be an integer, not \"many\""
        ),
        ("report.weekly", [.member("links"), .member("csv")], nil, "links.csv: is missing"),
        ("endpoint.disabled", [.member("owner")], .string("admin"), "owner: must be buyer:<id> or supplier:<id>, not \"admin\""),
        ("match.proposed", [.member("proposed_at")], .string("yesterday"), "proposed_at: must be an RFC 3339 time, not \"yesterday\""),
        ("match.proposed", [.member("week")], .string("2026-47"), "week: must be an ISO week (YYYY-Www), not \"2026-47\""),
        ("match.proposed", [.member("weekly_volume")], .double(2.5), "weekly_volume: must be an integer, not a number"),
        ("match.proposed", [.member("buyer_id")], .null, "buyer_id: must be a string, not null"),
        (
            "supplier.blacklisted", [.member("blacklisted_on")], .string("20.11.2026"),
            "blacklisted_on: must be a date (YYYY-MM-DD), not \"20.11.2026\""
        ),
        ("match.cancelled", [.member("reason")], .null, "reason: must be a string, not null"),
        ("match.cancelled", [.member("status")], .string("withdrawn"), "status: must be one of its known values, not \"withdrawn\""),
        ("rotation.slot_withdrawn", [.member("slot"), .member("product_id")], .int(7), "slot.product_id: must be a string, not a number"),
        ("rotation.slot_withdrawn", [.member("slot")], nil, "slot: is missing"),
        ("rotation.slot_withdrawn", [.member("candidate"), .member("week")], nil, "candidate.week: is missing"),
        ("rotation.slot_withdrawn", [.member("candidate")], .string("none"), "candidate: must be an object, not \"none\""),
        (
            "livestream.cancelled", [.member("still_eligible_product_ids"), .index(1)], .int(3),
            "still_eligible_product_ids[1]: must be a string, not a number"
        ),
        ("livestream.cancelled", [.member("products"), .index(0), .member("product_id")], nil, "products[0].product_id: is missing"),
        ("booth.released", [.member("released_booths"), .index(0)], .string("13"), "released_booths[0]: must be an integer, not \"13\""),
        ("booth.released", [.member("status")], .string("released"), "status: must be one of its known values, not \"released\""),
    ]

    @Test("a problem inside the payload names the member by its path", arguments: problems)
    func namedProblems(label: String, path: [Step], value: JSONValue?, error expected: String) {
        let data = F.data(label)
        let members = Self.edit(.object(F.members(label)), at: path[...], to: value).objectValue ?? [:]
        do throws(PayloadError) {
            let read = try EventData(type: data.type, data: members)
            Issue.record("\(label): \(path) reads as \(read)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("the cancellations write the members of the shape they extend, in its order, then their own")
    func cancellationsExtendTheirShapes() {
        let match = F.match(.cancelled, decidedAt: F.now, names: true)
        #expect(MatchCancelledPayload(match: match, reason: "r").members.map(\.name) == match.members.map(\.name) + ["reason"])
        let session = F.session(named: true)
        let cancelled = LivestreamCancelledPayload(livestream: session, reason: nil, stillEligibleProductIDs: [])
        #expect(cancelled.members.map(\.name) == session.members.map(\.name) + ["reason", "still_eligible_product_ids"])
    }

    @Test("a withdrawn week without a candidate writes it as null, and reads a null or absent one as none")
    func noCandidate() throws {
        let data = F.data("rotation.slot_withdrawn bare")
        #expect(data.members.last?.name == "candidate" && data.members.last?.value == .null)
        for candidate in [JSONValue.null, nil] as [JSONValue?] {
            var members = F.members("rotation.slot_withdrawn")
            members["candidate"] = candidate
            guard case .slotWithdrawn(let read) = try EventData(type: .slotWithdrawn, data: members) else {
                Issue.record("not rotation.slot_withdrawn")
                return
            }
            #expect(read.candidate == nil && read.slot == F.slots[1])
        }
    }

    @Test("a number written without its fraction reads as a number, and an integer written as one reads as an integer")
    func wholeNumbers() throws {
        var members = F.members("quota.at_risk")
        members["share"] = .int(0)
        members["margin"] = .int(1)
        members["total_amount_fen"] = .double(15_360_000)
        guard case .quotaAtRisk(let read) = try EventData(type: .quotaAtRisk, data: members) else {
            Issue.record("not quota.at_risk")
            return
        }
        #expect(read.share == 0 && read.margin == 1 && read.totalAmountFen == 15_360_000)
    }

    @Test("an owner that is no owner is written as null and reads back as nil")
    func noOwner() throws {
        let payload = EndpointDisabledPayload(
            endpointID: "e",
            url: "",
            description: "",
            owner: Owner.none,
            reason: "r",
            failingSince: nil,
            disabledAt: F.now
        )
        #expect(payload.owner == nil)
        #expect(try EndpointDisabledPayload(data: Dictionary(uniqueKeysWithValues: payload.members.map { ($0.name, $0.value) })) == payload)
    }

    @Test("the rotation editor's change reads as the typed change, and writes back its detail")
    func editorChange() throws {
        let detail = JSONValue.object(["weeks": .array([.string("2026-W49"), .string("2026-W50")])])
        let change = try SlotChangedPayload.Change(kind: "swap", detail: detail)
        #expect(change == .swap(F.week("2026-W49"), F.week("2026-W50")))
        #expect(change.kind == "swap" && change.detail == detail)
        #expect(throws: PayloadError(member: "detail", problem: "must be an object, not null")) {
            _ = try SlotChangedPayload.Change(kind: "swap", detail: .null)
        }
    }

    static func edit(_ value: JSONValue, at path: ArraySlice<Step>, to replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        switch (step, value) {
        case (.member(let name), .object(var members)):
            if path.count == 1, replacement == nil {
                members[name] = nil
            } else {
                members[name] = edit(members[name] ?? .null, at: path.dropFirst(), to: replacement)
            }
            return .object(members)
        case (.index(let index), .array(var items)) where items.indices.contains(index):
            items[index] = edit(items[index], at: path.dropFirst(), to: replacement)
            return .array(items)
        default:
            return value
        }
    }
}
