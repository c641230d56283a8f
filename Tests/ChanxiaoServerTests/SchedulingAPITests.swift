import ChanxiaoCore
import ChanxiaoServer
import Foundation
import HTTPTypes
import Testing

/// Schedules end to end over HTTP, on TestApp's catalog with `ScheduleFixture.catalog`: county
/// rotations (一县一品一周), livestream sessions and plans, fair booths, and calendar feeds.
@Suite struct SchedulingAPITests {
    /// Four weeks at the Shenzhen center, through the four counties that can be featured there.
    static let fourWeeks = #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":4,"county_codes":["451026","431226","433130","522633"]}"#
    static let weeks = ["2020-W37", "2020-W38", "2020-W39", "2020-W40"]
    /// The product each county shows: its one certified product (从江's tea is not certified).
    static let productOf = ["451026": "prd-a", "431226": "prd-mayang", "433130": "prd-longshan", "522633": "prd-congjiang"]

    /// Plans a rotation as the organizer and, when asked, publishes it; returns its JSON.
    static func rotation(_ app: TestApp, _ body: String = fourWeeks, publish: Bool = false) async throws -> [String: JSONValue] {
        let created = try await app.send(.post, "/v1/rotations", as: .organizer, json: body)
        try #require(created.status == .created, "\(created.text)")
        guard publish else { return created.object }
        let id = try #require(created.object["id"]?.string)
        let published = try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer)
        try #require(published.status == .ok, "\(published.text)")
        return published.object
    }

    static func slots(_ rotation: [String: JSONValue]) -> [String: [String: JSONValue]] {
        Dictionary(uniqueKeysWithValues: (rotation["slots"]?.objects ?? []).compactMap { slot in slot["week"]?.string.map { ($0, slot) } })
    }

    // MARK: Rotations

    @Test func aPlanIsADraftWithItsScoreAndBound() async throws {
        let app = try await TestApp(schedules: .catalog)
        let created = try await app.send(.post, "/v1/rotations", as: .organizer, json: Self.fourWeeks)
        #expect(created.status == .created)
        let id = try #require(created.object["id"]?.string)
        #expect(id.hasPrefix("rot_"))
        #expect(created.headers[.location] == "/v1/rotations/\(id)")
        #expect(created.object["status"] == .string("draft"))
        #expect(created.object["published_at"] == .null)
        #expect(created.object["venue_id"] == .string("ven-center"))
        #expect(created.object["cycle_length"] == .int(4))
        #expect(created.object["blackout_weeks"] == .array([]))
        #expect(created.object["unplaced"] == .array([]))
        #expect(created.object["changes"] == .array([]))

        let slots = created.object["slots"]?.objects ?? []
        #expect(slots.compactMap { $0["week"]?.string } == Self.weeks)
        // Each county once, with its certified product, starting on the week's Monday.
        #expect(Set(slots.compactMap { $0["county_code"]?.string }) == Set(Self.productOf.keys))
        for slot in slots {
            let county = try #require(slot["county_code"]?.string)
            #expect(slot["product_id"]?.string == Self.productOf[county])
            #expect(slot["sequence"] == .int(0))
            #expect(slot["pinned"] == .bool(false))
            #expect(slot["reasons"]?.array?.isEmpty == false)
        }
        #expect(slots.first?["starts_on"] == .string("2020-09-07"))
        #expect(slots.first?["ends_on"] == .string("2020-09-13"))
        // Priority counties come first: 那坡 (deep poverty, paired with the venue's 深圳), then 龙山 (deep poverty).
        #expect(slots.prefix(2).compactMap { $0["county_code"]?.string } == ["451026", "433130"])

        let score = try #require(created.object["score"]?.objectValue)
        #expect(Set(score.keys) == ["priority", "category_repeat", "slow_moving", "keep_published"])
        #expect((score["priority"]?.double ?? 0) < 0)
        let total = try #require(created.object["total"]?.double)
        let bound = try #require(created.object["bound"]?.double)
        #expect(bound <= total)
        #expect(created.object["optimal"] == .bool(total <= bound))
        #expect(created.object["request"]?.objectValue?["weeks"] == .int(4))
    }

    @Test func buyersAndSuppliersSeeARotationOnlyOncePublished() async throws {
        let app = try await TestApp(schedules: .catalog)
        let draft = try await Self.rotation(app)
        let id = try #require(draft["id"]?.string)
        for caller in [Caller.buyerA, .supplierB] {
            let fetched = try await app.send(.get, "/v1/rotations/\(id)", as: caller)
            #expect(fetched.status == .notFound, "\(caller)")
            #expect(fetched.isProblem)
            #expect(try await app.send(.get, "/v1/rotations", as: caller).items.isEmpty, "\(caller)")
            #expect(try await app.send(.get, "/v1/rotations?status=draft", as: caller).items.isEmpty, "\(caller)")
        }
        #expect(try await app.send(.get, "/v1/rotations?status=draft", as: .organizer).items.compactMap { $0["id"]?.string } == [id])

        let published = try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer)
        #expect(published.status == .ok)
        #expect(published.object["status"] == .string("published"))
        #expect(published.object["published_at"] == .string("2020-09-01T02:00:00.000Z"))
        for caller in [Caller.buyerA, .supplierB] {
            let fetched = try await app.send(.get, "/v1/rotations/\(id)", as: caller)
            #expect(fetched.status == .ok, "\(caller)")
            #expect(fetched.object["slots"] == published.object["slots"])
            #expect(try await app.send(.get, "/v1/rotations", as: caller).items.compactMap { $0["id"]?.string } == [id])
            #expect(try await app.send(.get, "/v1/rotations?status=draft", as: caller).items.isEmpty)
        }
        let again = try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer)
        #expect(again.status == .conflict)
        #expect(again.isProblem)
    }

    @Test func blackoutWeeksStayEmpty() async throws {
        let app = try await TestApp(schedules: .catalog)
        let rotation = try await Self.rotation(
            app,
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":4,"county_codes":["451026","431226","433130"],"blackout_weeks":["2020-W39"],"pinned":[{"week":"2020-W40","county_code":"431226","product_id":"prd-mayang"}]}"#
        )
        #expect(rotation["blackout_weeks"] == .array([.string("2020-W39")]))
        let slots = Self.slots(rotation)
        #expect(slots.keys.sorted() == ["2020-W37", "2020-W38", "2020-W40"])
        #expect(slots["2020-W40"]?["county_code"] == .string("431226"))
        #expect(slots["2020-W40"]?["pinned"] == .bool(true))
        #expect(slots["2020-W40"]?["reasons"]?.array?.first == .string("pinned by the organizer"))
    }

    /// Requests no rotation can satisfy, and the field each is refused on.
    static let infeasible: [(body: String, field: String)] = [
        // A pinned week that is also a blackout week.
        (
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":4,"county_codes":["451026","431226","433130","522633"],"blackout_weeks":["2020-W38"],"pinned":[{"week":"2020-W38","county_code":"451026","product_id":"prd-a"}]}"#,
            "pinned[0].week"
        ),
        // Five weeks in one cycle of five counties, but 靖州's bayberries are in season in June only.
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":5,"county_codes":["451026","431226","433130","522633","431229"]}"#, "weeks"),
        // Every county of an eligible status (seven), of which only four can be featured.
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":5}"#, "weeks"),
        (
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"pinned":[{"week":"2020-W37","county_code":"431229","product_id":"prd-jingzhou"}]}"#,
            "pinned[0].product_id"
        ),
        (
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"pinned":[{"week":"2020-W37","county_code":"431226","product_id":"prd-a"}]}"#,
            "pinned[0].product_id"
        ),
        (
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"pinned":[{"week":"2020-W39","county_code":"451026","product_id":"prd-a"}]}"#,
            "pinned[0].week"
        ),
        (
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":4,"county_codes":["451026","431226","433130","522633"],"pinned":[{"week":"2020-W37","county_code":"451026","product_id":"prd-a"},{"week":"2020-W39","county_code":"451026","product_id":"prd-a"}]}"#,
            "pinned[1].county_code"
        ),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"blackout_weeks":["2020-W50"]}"#, "blackout_weeks[0]"),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"county_codes":["431227","451026"]}"#, "county_codes[0]"),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"county_codes":[]}"#, "county_codes"),
        (#"{"venue_id":"ven-nowhere","from_week":"2020-W37","weeks":2}"#, "venue_id"),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":0}"#, "weeks"),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":105}"#, "weeks"),
        (#"{"venue_id":"ven-center","from_week":"2020-W54","weeks":2}"#, "from_week"),
        (#"{"venue_id":"ven-center","from_week":"2020-W37","weeks":2,"colour":"red"}"#, "colour"),
    ]

    @Test(arguments: infeasible)
    func anInfeasibleRequestNamesItsField(body: String, field: String) async throws {
        let app = try await TestApp(schedules: .catalog)
        let response = try await app.send(.post, "/v1/rotations", as: .organizer, json: body)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.errorFields == [field], "\(response.text)")
        // Nothing is stored.
        #expect(try await app.send(.get, "/v1/rotations", as: .organizer).items.isEmpty)
    }

    @Test func swappingTwoWeeksRaisesTheirSequenceAndIsRecorded() async throws {
        let app = try await TestApp(schedules: .catalog)
        let before = try await Self.rotation(app, publish: true)
        let id = try #require(before["id"]?.string)
        let old = Self.slots(before)

        let swapped = try await app.send(.post, "/v1/rotations/\(id)/swap", as: .organizer, json: #"{"weeks":["2020-W37","2020-W39"]}"#)
        #expect(swapped.status == .ok, "\(swapped.text)")
        let new = Self.slots(swapped.object)
        #expect(new["2020-W37"]?["county_code"] == old["2020-W39"]?["county_code"])
        #expect(new["2020-W37"]?["product_id"] == old["2020-W39"]?["product_id"])
        #expect(new["2020-W39"]?["county_code"] == old["2020-W37"]?["county_code"])
        #expect(new.mapValues { $0["sequence"] } == ["2020-W37": .int(1), "2020-W38": .int(0), "2020-W39": .int(1), "2020-W40": .int(0)])
        let changes = swapped.object["changes"]?.objects ?? []
        #expect(changes.count == 1)
        #expect(changes.first?["kind"] == .string("swap"))
        #expect(changes.first?["detail"] == .object(["weeks": .array([.string("2020-W37"), .string("2020-W39")])]))
        #expect(changes.first?["at"] == .string("2020-09-01T02:00:00.000Z"))
        #expect(changes.first?["actor"]?.string?.isEmpty == false)
        // The published rotation shows the swap to everyone, and the audit log has it.
        #expect(try await app.send(.get, "/v1/rotations/\(id)", as: .buyerB).object["slots"] == swapped.object["slots"])
        #expect(try await app.send(.get, "/v1/audit?id=\(id)").items.compactMap { $0["action"]?.string }.contains("rotation.swap"))
    }

    @Test func publishingAgainRaisesTheSequenceOfChangedWeeksOnly() async throws {
        let app = try await TestApp(schedules: .catalog)
        let first = try await Self.rotation(app, publish: true)
        let old = Self.slots(first)
        // The same weeks again, with the county of 2020-W38 pinned to the first week instead.
        let moved = try #require(old["2020-W38"])
        let county = try #require(moved["county_code"]?.string)
        let product = try #require(moved["product_id"]?.string)
        app.clock.advance(hours: 24)  // a day later: the later publication wins the weeks
        let second = try await Self.rotation(
            app,
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":4,"county_codes":["451026","431226","433130","522633"],"pinned":[{"week":"2020-W37","county_code":"\#(county)","product_id":"\#(product)"}]}"#
        )
        // The draft keeps published counties where it can (keep_published), and still numbers from 0.
        #expect(Self.slots(second).values.allSatisfy { $0["sequence"] == .int(0) })
        let secondID = try #require(second["id"]?.string)
        let published = try await app.send(.post, "/v1/rotations/\(secondID)/publish", as: .organizer)
        #expect(published.status == .ok)
        let new = Self.slots(published.object)
        var changed = 0
        for week in Self.weeks {
            let same = new[week]?["county_code"] == old[week]?["county_code"] && new[week]?["product_id"] == old[week]?["product_id"]
            if !same { changed += 1 }
            #expect(new[week]?["sequence"] == .int(same ? 0 : 1), "\(week)")
        }
        #expect(changed >= 2)
        // The calendar shows the later rotation's weeks, with those sequences.
        // (Unfolded: long lines continue on lines that start with a space.)
        let calendar = try await app.send(.get, "/v1/venues/ven-center/calendar.ics", as: .buyerA).text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(calendar.components(separatedBy: "BEGIN:VEVENT").count - 1 == 4)
        for week in Self.weeks {
            let sequence = new[week]?["sequence"]?.int ?? -1
            #expect(calendar.contains("UID:featured-ven-center-\(week)@chanxiao\r\nSEQUENCE:\(sequence)\r\n"), "\(week)")
        }
        #expect(calendar.contains("Rotation \(secondID)"))
    }

    @Test func scheduledThingsAreKeptAsTheRecord() async throws {
        let app = try await TestApp(schedules: .catalog)
        let rotation = try await Self.rotation(app, publish: true)
        let id = try #require(rotation["id"]?.string)
        #expect(
            try await app.send(
                .post,
                "/v1/livestream-plans",
                as: .organizer,
                json: #"{"rotation_id":"\#(id)","sessions_per_slot":1,"duration_minutes":60}"#
            ).status == .created
        )
        _ = try await Self.applyForFairA(app)
        for uri in ["/v1/venues/ven-center", "/v1/venues/ven-fairground", "/v1/products/prd-longshan", "/v1/counties/433130", "/v1/fairs/fair-a"] {
            let response = try await app.send(.delete, uri, as: .admin)
            #expect(response.status == .conflict, "\(uri): \(response.text)")
            #expect(response.isProblem)
        }
        let hosts = try await app.send(.get, "/v1/livestreams?rotation_id=\(id)").items.compactMap { $0["host_id"]?.string }
        let host = try #require(hosts.first)
        #expect(try await app.send(.delete, "/v1/hosts/\(host)", as: .organizer).status == .conflict)
        #expect(try await app.send(.delete, "/v1/hosts/hst-idle", as: .organizer).status == .noContent)
    }

    @Test(arguments: [
        (#"{"weeks":["2020-W37","2020-W37"]}"#, "weeks"),
        (#"{"weeks":["2020-W37"]}"#, "weeks"),
        (#"{"weeks":["2020-W37","2020-W38","2020-W39"]}"#, "weeks"),
        (#"{"weeks":["2020-W37","2020-W45"]}"#, "weeks[1]"),
        (#"{"weeks":["2020-W37","next"]}"#, "weeks[1]"),
    ])
    func aBadSwapIsRefused(body: String, field: String) async throws {
        let app = try await TestApp(schedules: .catalog)
        let id = try #require(try await Self.rotation(app)["id"]?.string)
        let response = try await app.send(.post, "/v1/rotations/\(id)/swap", as: .organizer, json: body)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.errorFields == [field], "\(response.text)")
        #expect(try await app.send(.get, "/v1/rotations/\(id)", as: .organizer).object["changes"] == .array([]))
    }

    @Test func aSlotTakesAnotherCountyOnlyWhenItsProductsQualify() async throws {
        let app = try await TestApp(schedules: .catalog)
        let rotation = try await Self.rotation(
            app,
            #"{"venue_id":"ven-center","from_week":"2020-W37","weeks":3,"county_codes":["451026","431226","433130"]}"#,
            publish: true
        )
        let id = try #require(rotation["id"]?.string)
        let old = Self.slots(rotation)

        // 靖州's only product, bayberries, is in season in June: not in September.
        let outOfSeason = try await app.send(.patch, "/v1/rotations/\(id)/slots/2020-W38", as: .organizer, json: #"{"county_code":"431229"}"#)
        #expect(outOfSeason.status == .unprocessableContent)
        #expect(outOfSeason.isProblem)
        #expect(outOfSeason.errorFields == ["county_code"])
        #expect(outOfSeason.text.contains("in season"))
        let namedProduct = try await app.send(
            .patch,
            "/v1/rotations/\(id)/slots/2020-W38",
            as: .organizer,
            json: #"{"county_code":"431229","product_id":"prd-jingzhou"}"#
        )
        #expect(namedProduct.status == .unprocessableContent)
        #expect(namedProduct.errorFields == ["product_id"])
        // A county already featured in the cycle cannot come twice.
        let twice = try await app.send(
            .patch,
            "/v1/rotations/\(id)/slots/2020-W38",
            as: .organizer,
            json: "{\"county_code\":\"\(old["2020-W37"]?["county_code"]?.string ?? "")\"}"
        )
        #expect(twice.status == .unprocessableContent)
        #expect(twice.errorFields == ["county_code"])
        // An uncertified product is refused by name; a blackout or foreign week is not a slot.
        let uncertified = try await app.send(
            .patch,
            "/v1/rotations/\(id)/slots/2020-W38",
            as: .organizer,
            json: #"{"county_code":"522633","product_id":"prd-congjiang-tea"}"#
        )
        #expect(uncertified.errorFields == ["product_id"])
        #expect(
            try await app.send(.patch, "/v1/rotations/\(id)/slots/2020-W45", as: .organizer, json: #"{"county_code":"522633"}"#).errorFields == [
                "week"
            ]
        )
        #expect(try await app.send(.patch, "/v1/rotations/\(id)/slots/W38", as: .organizer, json: #"{"county_code":"522633"}"#).status == .badRequest)
        #expect(try await app.send(.get, "/v1/rotations/\(id)").object["changes"] == .array([]))

        // 从江 is not in the rotation yet: its certified pork takes the week.
        let replaced = try await app.send(.patch, "/v1/rotations/\(id)/slots/2020-W38", as: .organizer, json: #"{"county_code":"522633"}"#)
        #expect(replaced.status == .ok, "\(replaced.text)")
        let slot = try #require(Self.slots(replaced.object)["2020-W38"])
        #expect(slot["county_code"] == .string("522633"))
        #expect(slot["product_id"] == .string("prd-congjiang"))
        #expect(slot["pinned"] == .bool(true))
        #expect(slot["reasons"] == .array([.string("set by the organizer")]))
        #expect(slot["sequence"] == .int(1))
        let change = try #require(replaced.object["changes"]?.objects.last)
        #expect(change["kind"] == .string("replace"))
        #expect(change["detail"]?.objectValue?["to"] == .object(["county_code": .string("522633"), "product_id": .string("prd-congjiang")]))
        #expect(change["detail"]?.objectValue?["from"]?.objectValue?["county_code"] == old["2020-W38"]?["county_code"])
    }

    // MARK: Livestreams

    static func session(
        host: String = "hst-b",
        platform: String = "wechat_channels",
        day: String = "2020-09-12",
        from: String = "10:00",
        to: String = "11:00",
        products: String = #"["prd-a"]"#,
        extra: String = ""
    ) -> String {
        #"{"host_id":"\#(host)","platform":"\#(platform)","starts_at":"\#(day)T\#(from):00+08:00","ends_at":"\#(day)T\#(to):00+08:00","product_ids":\#(products)\#(extra)}"#
    }

    @Test func aPaidSessionIsRefusedUnlessAllowed() async throws {
        let app = try await TestApp(schedules: .catalog)
        let paid = try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session(extra: #","fee_fen":100"#))
        #expect(paid.status == .unprocessableContent)
        #expect(paid.isProblem)
        #expect(paid.errorFields == ["fee_fen"])
        #expect(paid.text.contains("allow_paid"))

        let allowed = try await TestApp(schedules: .catalog) { $0.scheduling.livestreams.allowPaid = true }
        let created = try await allowed.send(.post, "/v1/livestreams", as: .organizer, json: Self.session(extra: #","fee_fen":100"#))
        #expect(created.status == .created, "\(created.text)")
        #expect(created.object["fee_fen"] == .int(100))
    }

    @Test func aSessionIsBookedAndCancelled() async throws {
        let app = try await TestApp(schedules: .catalog)
        let created = try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session(extra: #","title":"那坡大米专场""#))
        #expect(created.status == .created, "\(created.text)")
        let id = try #require(created.object["id"]?.string)
        #expect(created.headers[.location] == "/v1/livestreams/\(id)")
        #expect(created.object["starts_at"] == .string("2020-09-12T02:00:00.000Z"))
        #expect(created.object["status"] == .string("scheduled"))
        #expect(created.object["sequence"] == .int(0))
        #expect(created.object["fee_fen"] == .int(0))
        #expect(created.object["rotation_id"] == .null)

        // The same host, overlapping: a double booking.
        let overlapping = Self.session(from: "10:30", to: "11:30")
        let double = try await app.send(.post, "/v1/livestreams", as: .organizer, json: overlapping)
        #expect(double.status == .unprocessableContent)
        #expect(double.errorFields == ["host_id"])
        #expect(double.text.contains("already booked"))

        let fetched = try await app.send(.get, "/v1/livestreams/\(id)", as: .buyerA)
        #expect(fetched.status == .ok)
        #expect(fetched.object["title"] == .string("那坡大米专场"))

        let cancelled = try await app.send(.post, "/v1/livestreams/\(id)/cancel", as: .organizer)
        #expect(cancelled.status == .ok)
        #expect(cancelled.object["status"] == .string("cancelled"))
        #expect(cancelled.object["sequence"] == .int(1))
        // Cancelling twice changes nothing; the freed time can be booked.
        #expect(try await app.send(.post, "/v1/livestreams/\(id)/cancel", as: .organizer).object["sequence"] == .int(1))
        #expect(try await app.send(.post, "/v1/livestreams", as: .organizer, json: overlapping).status == .created)
        #expect(try await app.send(.get, "/v1/livestreams?host_id=hst-b", as: .supplierA).items.count == 2)
        #expect(try await app.send(.get, "/v1/livestreams?status=cancelled").items.compactMap { $0["id"]?.string } == [id])
        #expect(try await app.send(.post, "/v1/livestreams/liv-nowhere/cancel", as: .organizer).status == .notFound)
    }

    /// Sessions that break a rule, with one session of hst-b booked 10:00–11:00 that Saturday.
    static let badSessions: [(body: String, fields: [String])] = [
        (session(from: "10:30", to: "11:30"), ["host_id"]),
        (session(from: "09:30", to: "10:30"), ["starts_at", "host_id"]),
        (session(from: "13:00", to: "14:00"), ["starts_at"]),
        (session(platform: "douyin", from: "11:00", to: "12:00"), ["platform"]),
        (session(from: "11:00", to: "12:00", products: #"["prd-b"]"#), ["product_ids[0]"]),
        (session(from: "11:00", to: "12:00", products: #"["prd-nowhere"]"#), ["product_ids[0]"]),
        (session(from: "11:00", to: "12:00", products: "[]"), ["product_ids"]),
        (session(from: "11:00", to: "10:00"), ["ends_at"]),
        (session(host: "hst-nowhere"), ["host_id"]),
        (session(from: "11:00", to: "12:00", extra: #","fee_fen":-1"#), ["fee_fen"]),
    ]

    @Test(arguments: badSessions)
    func aSessionBreakingARuleNamesTheField(body: String, fields: [String]) async throws {
        let app = try await TestApp(schedules: .catalog)
        #expect(try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session()).status == .created)
        let response = try await app.send(.post, "/v1/livestreams", as: .organizer, json: body)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.errorFields == fields, "\(response.text)")
    }

    @Test func aHostKeepsItsDailyMaximum() async throws {
        let app = try await TestApp(schedules: .catalog)
        #expect(try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session()).status == .created)
        #expect(try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session(from: "11:00", to: "12:00")).status == .created)
        let third = try await app.send(.post, "/v1/livestreams", as: .organizer, json: Self.session(from: "19:00", to: "20:00"))
        #expect(third.status == .unprocessableContent)
        #expect(third.errorFields == ["host_id"])
        #expect(third.text.contains("max_sessions_per_day"))
    }

    @Test func aLivestreamPlanNeedsAPublishedRotation() async throws {
        let app = try await TestApp(schedules: .catalog)
        let draft = try await Self.rotation(app)
        let id = try #require(draft["id"]?.string)
        let body = #"{"rotation_id":"\#(id)","sessions_per_slot":2,"duration_minutes":60}"#
        let refused = try await app.send(.post, "/v1/livestream-plans", as: .organizer, json: body)
        #expect(refused.status == .unprocessableContent)
        #expect(refused.isProblem)
        #expect(refused.errorFields == ["rotation_id"])
        #expect(refused.text.contains("draft"))
        let unknown = try await app.send(
            .post,
            "/v1/livestream-plans",
            as: .organizer,
            json: #"{"rotation_id":"rot-nowhere","sessions_per_slot":1,"duration_minutes":60}"#
        )
        #expect(unknown.errorFields == ["rotation_id"])

        let rotation = try #require(try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer).object["slots"]).objects
        let productOfWeek = Dictionary(
            uniqueKeysWithValues: rotation.compactMap { slot in
                slot["week"]?.string.flatMap { week in slot["product_id"]?.string.map { (week, $0) } }
            }
        )
        let plan = try await app.send(.post, "/v1/livestream-plans", as: .organizer, json: body)
        #expect(plan.status == .created, "\(plan.text)")
        let planID = try #require(plan.object["id"]?.string)
        #expect(plan.object["rotation_id"] == .string(id))
        #expect(Set(plan.object["score"]?.objectValue?.keys.map { $0 } ?? []) == ["prime_time", "same_day", "host_load"])
        let total = try #require(plan.object["total"]?.double)
        let bound = try #require(plan.object["bound"]?.double)
        #expect(bound <= total)
        #expect(plan.object["optimal"] == .bool(total <= bound))

        let sessions = plan.object["sessions"]?.objects ?? []
        #expect(sessions.count == 8)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var busy: [String: [(Date, Date)]] = [:]
        var perDay: [String: Int] = [:]
        for week in Self.weeks {
            #expect(sessions.filter { $0["week"]?.string == week }.count == 2, "\(week)")
        }
        for session in sessions {
            let week = try #require(session["week"]?.string.flatMap { IsoWeek($0) })
            let host = try #require(session["host_id"]?.string)
            let start = try #require(session["starts_at"]?.string.flatMap(Timestamp.date(from:)))
            let end = try #require(session["ends_at"]?.string.flatMap(Timestamp.date(from:)))
            #expect(session["rotation_id"] == .string(id))
            #expect(session["plan_id"] == .string(planID))
            #expect(session["status"] == .string("scheduled"))
            #expect(session["fee_fen"] == .int(0))
            #expect(session["product_ids"] == .array([.string(productOfWeek[week.description] ?? "")]))
            #expect(session["reasons"]?.array?.isEmpty == false)
            #expect(end.timeIntervalSince(start) == 3600)
            // Inside the week and the host's availability (local time), on the host's first platform.
            let (day, minute) = LocalTime.moment(start, in: zone)
            #expect(week.contains(day))
            switch host {
            case "hst-a":
                #expect((1...5).contains(day.weekday) && minute >= 19 * 60 && minute + 60 <= 22 * 60, "\(session)")
                #expect(session["platform"] == .string("douyin"))
            case "hst-b":
                #expect(day.weekday >= 6 && ((10 * 60...11 * 60).contains(minute) || (19 * 60...20 * 60).contains(minute)), "\(session)")
                #expect(session["platform"] == .string("wechat_channels"))
            default:
                Issue.record("session \(session) went to \(host), who is not available in 2020")
            }
            for (a, b) in busy[host, default: []] { #expect(!(a < end && start < b), "\(host) double-booked: \(session)") }
            busy[host, default: []].append((start, end))
            perDay["\(host) \(day)", default: 0] += 1
        }
        #expect(perDay.filter { $0.key.hasPrefix("hst-a") }.values.allSatisfy { $0 <= 1 })
        #expect(perDay.filter { $0.key.hasPrefix("hst-b") }.values.allSatisfy { $0 <= 2 })
        #expect(try await app.send(.get, "/v1/livestreams?rotation_id=\(id)", as: .buyerB).items.count == 8)

        // Planning again replaces the plan: its sessions are cancelled.
        let again = try await app.send(
            .post,
            "/v1/livestream-plans",
            as: .organizer,
            json: #"{"rotation_id":"\#(id)","sessions_per_slot":1,"duration_minutes":60}"#
        )
        #expect(again.status == .created)
        #expect(again.object["sessions"]?.array?.count == 4)
        #expect(try await app.send(.get, "/v1/livestreams?rotation_id=\(id)&status=cancelled").items.count == 8)
        #expect(try await app.send(.get, "/v1/livestreams?rotation_id=\(id)&status=scheduled").items.count == 4)
    }

    @Test func aPlanWithoutRoomNamesSessionsPerSlot() async throws {
        let app = try await TestApp(schedules: .catalog)
        let id = try #require(try await Self.rotation(app, publish: true)["id"]?.string)
        // No host has four free hours in a row.
        let response = try await app.send(
            .post,
            "/v1/livestream-plans",
            as: .organizer,
            json: #"{"rotation_id":"\#(id)","sessions_per_slot":1,"duration_minutes":240}"#
        )
        #expect(response.status == .unprocessableContent)
        #expect(response.errorFields == ["sessions_per_slot"])
        #expect(try await app.send(.get, "/v1/livestreams?rotation_id=\(id)").items.isEmpty)
    }

    // MARK: Fairs

    static func application(county: String? = nil, supplier: String? = nil, products: [String], booths: Int) -> String {
        let applicant =
            supplier.map { #""applicant_kind":"supplier","supplier_id":"\#($0)""# } ?? #""applicant_kind":"county","county_code":"\#(county ?? "")""#
        return #"{\#(applicant),"product_ids":[\#(products.map { "\"\($0)\"" }.joined(separator: ","))],"booths_requested":\#(booths)}"#
    }

    /// fair-a: 6 booths, at least half for certified poverty products, at most 2 per applicant.
    /// Eleven booths are asked for; 那坡 and 龙山 (deep poverty; 那坡 paired with 深圳) come first.
    static func applyForFairA(_ app: TestApp) async throws -> [String: String] {
        var ids: [String: String] = [:]
        let applications: [(String, Caller, String)] = [
            ("naopo", .organizer, application(county: "451026", products: ["prd-a"], booths: 2)),
            ("sup-a", .supplierA, application(supplier: "sup-a", products: ["prd-a"], booths: 1)),
            ("longshan", .organizer, application(county: "433130", products: ["prd-longshan"], booths: 2)),
            ("mayang", .organizer, application(county: "431226", products: ["prd-mayang"], booths: 2)),
            ("tea", .organizer, application(supplier: "sup-congjiang", products: ["prd-congjiang-tea"], booths: 2)),
            ("congjiang", .admin, application(county: "522633", products: ["prd-congjiang"], booths: 2)),
        ]
        for (name, caller, body) in applications {
            let response = try await app.send(.post, "/v1/fairs/fair-a/applications", as: caller, json: body)
            try #require(response.status == .created, "\(name): \(response.text)")
            #expect(response.object["status"] == .string("pending"))
            ids[name] = response.object["id"]?.string
        }
        return ids
    }

    @Test func applicationsAreCheckedAndScopedToTheApplicant() async throws {
        let app = try await TestApp(schedules: .catalog)
        let ids = try await Self.applyForFairA(app)
        let own = try await app.send(.get, "/v1/fairs/fair-a/applications", as: .supplierA)
        #expect(own.items.compactMap { $0["id"]?.string } == [ids["sup-a"]])
        // A supplier's application takes the supplier's county.
        #expect(own.items.first?["county_code"] == .string("451026"))
        #expect(own.items.first?["supplier_id"] == .string("sup-a"))
        #expect(try await app.send(.get, "/v1/fairs/fair-a/applications", as: .supplierB).items.isEmpty)
        #expect(try await app.send(.get, "/v1/fairs/fair-a/applications", as: .organizer).items.count == 6)
        #expect(try await app.send(.get, "/v1/fairs/fair-a/applications", as: .buyerA).status == .forbidden)
        #expect(try await app.send(.get, "/v1/fairs/fair-nowhere/applications", as: .organizer).status == .notFound)

        // A supplier applies only for itself.
        let forAnother = try await app.send(
            .post,
            "/v1/fairs/fair-a/applications",
            as: .supplierB,
            json: Self.application(supplier: "sup-a", products: ["prd-a"], booths: 1)
        )
        #expect(forAnother.status == .forbidden)
        #expect(forAnother.isProblem)
        let asCounty = try await app.send(
            .post,
            "/v1/fairs/fair-a/applications",
            as: .supplierA,
            json: Self.application(county: "451026", products: ["prd-a"], booths: 1)
        )
        #expect(asCounty.status == .forbidden)
        #expect(
            try await app.send(
                .post,
                "/v1/fairs/fair-a/applications",
                as: .buyerA,
                json: Self.application(county: "451026", products: ["prd-a"], booths: 1)
            ).status == .forbidden
        )
        #expect(
            try await app.send(
                .post,
                "/v1/fairs/fair-nowhere/applications",
                as: .organizer,
                json: Self.application(county: "451026", products: ["prd-a"], booths: 1)
            ).status == .notFound
        )

        // A blacklisted supplier is excluded from every schedule.
        #expect(try await app.send(.patch, "/v1/suppliers/sup-b", json: #"{"blacklisted":true,"blacklist_reason":"以次充好"}"#).status == .ok)
        let blacklisted = try await app.send(
            .post,
            "/v1/fairs/fair-a/applications",
            as: .admin,
            json: Self.application(supplier: "sup-b", products: ["prd-b"], booths: 1)
        )
        #expect(blacklisted.status == .unprocessableContent)
        #expect(blacklisted.isProblem)
        // The supplier, and its product as one of a blacklisted supplier.
        #expect(blacklisted.errorFields == ["supplier_id", "product_ids[0]"])
        #expect(blacklisted.text.contains("supplier sup-b is blacklisted"))
        let ownToken = try await app.send(
            .post,
            "/v1/fairs/fair-a/applications",
            as: .supplierB,
            json: Self.application(supplier: "sup-b", products: ["prd-b"], booths: 1)
        )
        #expect(ownToken.status == .unprocessableContent)
        #expect(ownToken.errorFields.first == "supplier_id")
        #expect(try await app.send(.get, "/v1/fairs/fair-a/applications").items.count == 6)
    }

    @Test(arguments: [
        (application(county: "451026", products: ["prd-a"], booths: 3), ["booths_requested"]),
        (application(county: "431226", products: ["prd-a"], booths: 1), ["product_ids[0]"]),
        (application(supplier: "sup-mayang", products: ["prd-a"], booths: 1), ["product_ids[0]"]),
        (application(county: "451026", products: ["prd-nowhere"], booths: 1), ["product_ids[0]"]),
        (application(county: "451026", products: [], booths: 1), ["product_ids"]),
        (application(county: "431227", products: ["prd-a"], booths: 1), ["county_code"]),
        (application(supplier: "sup-nowhere", products: ["prd-a"], booths: 1), ["supplier_id"]),
        (#"{"applicant_kind":"town","product_ids":["prd-a"],"booths_requested":1}"#, ["applicant_kind"]),
        (#"{"applicant_kind":"county","county_code":"451026","supplier_id":"sup-a","product_ids":["prd-a"],"booths_requested":1}"#, ["supplier_id"]),
    ])
    func aBadApplicationNamesItsField(body: String, fields: [String]) async throws {
        let app = try await TestApp(schedules: .catalog)
        let response = try await app.send(.post, "/v1/fairs/fair-a/applications", as: .organizer, json: body)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.errorFields == fields, "\(response.text)")
    }

    /// Checks the hard rules of a booth board: numbers in range and unique, the poverty share
    /// kept, nobody above the per-applicant maximum.
    static func checkBoard(_ board: [String: JSONValue]) {
        let booths = board["booths"]?.objects ?? []
        let numbers = booths.compactMap { $0["number"]?.int }
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { (1...6).contains($0) })
        #expect(board["assigned"] == .int(Int64(booths.count)))
        #expect(booths.count + (board["free_booths"]?.array?.count ?? 0) == 6)
        let share = Double(booths.filter { $0["poverty_products"] == .bool(true) }.count) / Double(max(booths.count, 1))
        #expect(board["min_poverty_share"]?.double == 0.5)
        #expect((board["poverty_share"]?.double ?? 0) >= 0.5)
        #expect(abs((board["poverty_share"]?.double ?? 0) - share) < 0.001)
        var perApplicant: [String: Int] = [:]
        for booth in booths {
            let applicant = booth["supplier_id"]?.string.map { "supplier:\($0)" } ?? "county:\(booth["county_code"]?.string ?? "")"
            perApplicant[applicant, default: 0] += 1
        }
        #expect(perApplicant.values.allSatisfy { $0 <= 2 }, "\(perApplicant)")
        #expect(board["max_booths_per_applicant"] == .int(2))
        let waitlist = board["waitlist"]?.objects ?? []
        #expect(waitlist.enumerated().allSatisfy { $0.element["position"]?.int == Int64($0.offset + 1) })
    }

    static func boothsHeld(_ board: [String: JSONValue]) -> [String: [Int64]] {
        var held: [String: [Int64]] = [:]
        for booth in board["booths"]?.objects ?? [] {
            if let id = booth["application_id"]?.string, let number = booth["number"]?.int { held[id, default: []].append(number) }
        }
        return held
    }

    @Test func allocationKeepsThePovertyShareAndAReleasedBoothGoesToTheWaitingList() async throws {
        let app = try await TestApp(schedules: .catalog)
        let ids = try await Self.applyForFairA(app)
        // Before allocation, the board is empty and previews the waiting list.
        let preview = try await app.send(.get, "/v1/fairs/fair-a/booths", as: .buyerA)
        #expect(preview.status == .ok)
        #expect(preview.object["assigned"] == .int(0))

        let allocated = try await app.send(.post, "/v1/fairs/fair-a/allocate", as: .organizer)
        #expect(allocated.status == .ok, "\(allocated.text)")
        let board = allocated.object
        Self.checkBoard(board)
        #expect(board["assigned"] == .int(6))
        let held = Self.boothsHeld(board)
        // Deep-poverty and paired applicants first: 那坡 (county and cooperative) and 龙山 get all they asked for.
        #expect(held[ids["naopo"]!]?.count == 2)
        #expect(held[ids["sup-a"]!]?.count == 1)
        #expect(held[ids["longshan"]!]?.count == 2)
        // The tea is not a certified poverty product: its booths do not count for the share.
        for booth in board["booths"]?.objects ?? [] {
            #expect(booth["poverty_products"] == .bool(booth["application_id"]?.string != ids["tea"]))
        }
        let waitlist = board["waitlist"]?.objects ?? []
        #expect(!waitlist.isEmpty)
        let waiting = Set(waitlist.compactMap { $0["application_id"]?.string })
        #expect(waiting.isSubset(of: [ids["mayang"]!, ids["tea"]!, ids["congjiang"]!]))
        // The booths the waiting list wants are the ones it was not given.
        let wanted = waitlist.reduce(0) { $0 + Int($1["booths_wanted"]?.int ?? 0) }
        let given = [ids["mayang"]!, ids["tea"]!, ids["congjiang"]!].reduce(0) { $0 + (held[$1]?.count ?? 0) }
        #expect(wanted + given == 6)
        // Statuses and notes follow.
        let applications = try await app.send(.get, "/v1/fairs/fair-a/applications", as: .organizer).items
        for application in applications {
            let id = try #require(application["id"]?.string)
            #expect(application["status"] == .string(waiting.contains(id) ? "waitlisted" : "allocated"), "\(application)")
            #expect(application["booths"] == .array((held[id] ?? []).map(JSONValue.int)))
            #expect(application["note"]?.string?.isEmpty == false)
        }
        // Allocating again changes nothing; anyone with a token reads the board.
        #expect(try await app.send(.post, "/v1/fairs/fair-a/allocate", as: .organizer).object == board)
        #expect(try await app.send(.get, "/v1/fairs/fair-a/booths", as: .supplierB).object == board)

        // 龙山 gives back one booth: it goes to the waiting list at once. Which application gets
        // it is checked in `theFirstOnTheWaitingListTakesAReleasedBooth`, where the waiting
        // applications hold equally many booths: here position 1 holds one booth and the
        // allocator serves those holding none first, which the list's order does not show.
        let released = try #require(held[ids["longshan"]!]?.first)
        let after = try await app.send(.post, "/v1/fairs/fair-a/booths/\(released)/release", as: .organizer)
        #expect(after.status == .ok, "\(after.text)")
        Self.checkBoard(after.object)
        #expect(after.object["assigned"] == .int(6))
        let heldAfter = Self.boothsHeld(after.object)
        #expect(heldAfter[ids["longshan"]!]?.count == 1)
        let taker = try #require(heldAfter.first { $0.value.contains(released) }?.key)
        #expect(waiting.contains(taker), "booth \(released) went to \(taker), who was not waiting")
        #expect(heldAfter[taker]?.count == (held[taker]?.count ?? 0) + 1)
        let wantedAfter = (after.object["waitlist"]?.objects ?? []).reduce(0) { $0 + Int($1["booths_wanted"]?.int ?? 0) }
        #expect(wantedAfter == wanted - 1)
        // 龙山 now asks for one booth, so it does not take the released one straight back.
        let longshan = try await app.send(.get, "/v1/fairs/fair-a/applications").items.first { $0["id"]?.string == ids["longshan"] }
        #expect(longshan?["booths_requested"] == .int(1))
        #expect(longshan?["status"] == .string("allocated"))

        // A booth nobody holds, or not a number.
        #expect(try await app.send(.post, "/v1/fairs/fair-a/booths/99/release", as: .organizer).status == .notFound)
        #expect(try await app.send(.post, "/v1/fairs/fair-a/booths/one/release", as: .organizer).status == .badRequest)
        #expect(try await app.send(.post, "/v1/fairs/fair-nowhere/allocate", as: .organizer).status == .notFound)
        #expect(try await app.send(.get, "/v1/fairs/fair-nowhere/booths").status == .notFound)
    }

    @Test func theFirstOnTheWaitingListTakesAReleasedBooth() async throws {
        let app = try await TestApp(schedules: .catalog)
        var ids: [String: String] = [:]
        for (name, county, product) in [
            ("naopo", "451026", "prd-a"), ("longshan", "433130", "prd-longshan"),
            ("mayang", "431226", "prd-mayang"), ("congjiang", "522633", "prd-congjiang"),
        ] {
            let response = try await app.send(
                .post,
                "/v1/fairs/fair-a/applications",
                as: .organizer,
                json: Self.application(county: county, products: [product], booths: 2)
            )
            ids[name] = try #require(response.object["id"]?.string, "\(response.text)")
        }
        // Eight booths asked for, six to give: 那坡 and 龙山 first, then one each for the other two.
        let board = try await app.send(.post, "/v1/fairs/fair-a/allocate", as: .organizer).object
        Self.checkBoard(board)
        let held = Self.boothsHeld(board)
        #expect(held[ids["naopo"]!]?.count == 2)
        #expect(held[ids["longshan"]!]?.count == 2)
        #expect(held[ids["mayang"]!]?.count == 1)
        #expect(held[ids["congjiang"]!]?.count == 1)
        let waitlist = board["waitlist"]?.objects ?? []
        #expect(Set(waitlist.compactMap { $0["application_id"]?.string }) == [ids["mayang"]!, ids["congjiang"]!])
        #expect(waitlist.allSatisfy { $0["booths_wanted"] == .int(1) })
        let first = try #require(waitlist.first?["application_id"]?.string)
        let second = try #require(waitlist.last?["application_id"]?.string)
        let waiting = try await app.send(.get, "/v1/fairs/fair-a/applications").items.first { $0["id"]?.string == first }
        #expect(waiting?["status"] == .string("waitlisted"))
        #expect(waiting?["note"]?.string?.contains("number 1 on the waiting list") == true)

        let released = try #require(held[ids["naopo"]!]?.last)
        let after = try await app.send(.post, "/v1/fairs/fair-a/booths/\(released)/release", as: .organizer)
        #expect(after.status == .ok, "\(after.text)")
        Self.checkBoard(after.object)
        let heldAfter = Self.boothsHeld(after.object)
        #expect(heldAfter[first]?.contains(released) == true)
        #expect(heldAfter[first]?.count == 2)
        #expect(heldAfter[ids["naopo"]!]?.count == 1)
        #expect((after.object["waitlist"]?.objects ?? []).compactMap { $0["application_id"]?.string } == [second])
        #expect(after.object["waitlist"]?.objects.first?["position"] == .int(1))
        let moved = try await app.send(.get, "/v1/fairs/fair-a/applications").items.first { $0["id"]?.string == first }
        #expect(moved?["status"] == .string("allocated"))
    }

    @Test func aSupplierBlacklistedAfterAllocationGivesItsBoothsBack() async throws {
        let app = try await TestApp(schedules: .catalog)
        let ids = try await Self.applyForFairA(app)
        let before = try await app.send(.post, "/v1/fairs/fair-a/allocate", as: .organizer).object
        #expect(try await app.send(.patch, "/v1/suppliers/sup-mayang", json: #"{"blacklisted":true,"blacklist_reason":"以次充好"}"#).status == .ok)
        let after = try await app.send(.post, "/v1/fairs/fair-a/allocate", as: .organizer)
        #expect(after.status == .ok)
        Self.checkBoard(after.object)
        #expect(Self.boothsHeld(after.object)[ids["mayang"]!] == nil)
        #expect(!(after.object["waitlist"]?.objects ?? []).contains { $0["application_id"]?.string == ids["mayang"] })
        #expect(after.object["assigned"] == before["assigned"])
        let mayang = try await app.send(.get, "/v1/fairs/fair-a/applications").items.first { $0["id"]?.string == ids["mayang"] }
        #expect(mayang?["status"] == .string("ineligible"))
        #expect(mayang?["note"]?.string?.contains("blacklisted") == true)
    }

    // MARK: Calendars

    @Test func aVenueCalendarHasOneEventPerPublishedWeek() async throws {
        let app = try await TestApp(schedules: .catalog)
        let draft = try await Self.rotation(app)
        let uri = "/v1/venues/ven-center/calendar.ics"
        let empty = try await app.send(.get, uri, as: .buyerA)
        #expect(empty.status == .ok)
        #expect(empty.headers[.contentType] == "text/calendar; charset=utf-8")
        #expect(empty.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(!empty.text.contains("BEGIN:VEVENT"), "a draft is not on the calendar")

        let id = try #require(draft["id"]?.string)
        #expect(try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer).status == .ok)
        let calendar = try await app.send(.get, uri, as: .buyerA)
        #expect(calendar.status == .ok)
        #expect(calendar.headers[.contentType] == "text/calendar; charset=utf-8")
        #expect(calendar.text.components(separatedBy: "BEGIN:VEVENT").count - 1 == 4)
        #expect(calendar.text.hasSuffix("END:VCALENDAR\r\n"))
        for (n, week) in Self.weeks.enumerated() {
            #expect(calendar.text.contains("UID:featured-ven-center-\(week)@chanxiao\r\n"), "\(week)")
            let monday = IsoWeek(week)!.monday
            let compact = { (date: CalendarDate) in String(format: "%04d%02d%02d", date.year, date.month, date.day) }
            #expect(
                calendar.text.contains("DTSTART;VALUE=DATE:\(compact(monday))\r\nDTEND;VALUE=DATE:\(compact(monday.adding(days: 7)))\r\n"),
                "\(n)"
            )
        }

        // Calendar apps subscribe with Basic credentials: any user name, a calendar token as the
        // password; the 401 that asks for them offers Basic.
        let basic = try await app.send(.get, uri, as: .none, headers: app.basic(.calendar, user: "anyone"))
        #expect(basic.status == .ok, "\(basic.text)")
        #expect(basic.text == calendar.text)
        #expect(try await app.send(.get, "/v1/hosts/hst-a/calendar.ics", as: .none, headers: app.basic(.calendar)).status == .ok)
        #expect(try await app.send(.get, uri, as: .calendar).status == .ok)  // Bearer works too
        let wrong = try await app.send(
            .get,
            uri,
            as: .none,
            headers: [.authorization: "Basic " + Data("anyone:cx_wrongwrongwrong".utf8).base64EncodedString()]
        )
        #expect(wrong.status == .unauthorized)
        #expect(wrong.isProblem)
        let asked = try await app.send(.get, uri, as: .none)
        #expect(asked.status == .unauthorized)
        #expect(asked.headers[.wwwAuthenticate]?.contains("Basic realm=\"chanxiao calendars\"") == true)
        // A token that can do more is never a calendar app's password: a saved subscription would
        // carry it. It is refused over Basic, with what to use instead.
        let strong = try await app.send(.get, uri, as: .none, headers: app.basic(.supplierB))
        #expect(strong.status == .unauthorized)
        #expect(strong.object["detail"]?.string?.contains("token create --role calendar") == true)
        // Basic is for the feeds alone, and a calendar token reads nothing else.
        let elsewhere = try await app.send(.get, "/v1/venues", as: .none, headers: app.basic(.calendar))
        #expect(elsewhere.status == .unauthorized)
        #expect(elsewhere.headers[.wwwAuthenticate]?.contains("Basic") == false)
        #expect(try await app.send(.get, "/v1/venues", as: .calendar).status == .forbidden)

        #expect(try await app.send(.get, "/v1/venues/ven-nowhere/calendar.ics").status == .notFound)
        #expect(try await app.send(.get, "/v1/hosts/hst-nowhere/calendar.ics").status == .notFound)
    }

    @Test func aFairIsOnItsVenuesCalendar() async throws {
        let app = try await TestApp(schedules: .catalog)
        let calendar = try await app.send(.get, "/v1/venues/ven-fairground/calendar.ics", as: .supplierA)
        #expect(calendar.status == .ok)
        #expect(calendar.text.components(separatedBy: "BEGIN:VEVENT").count - 1 == 2)
        #expect(calendar.text.contains("UID:fair-fair-a@chanxiao\r\n"))
        #expect(calendar.text.contains("DTSTART;VALUE=DATE:20201017\r\nDTEND;VALUE=DATE:20201019\r\n"))
    }
}
