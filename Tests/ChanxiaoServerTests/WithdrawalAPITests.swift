import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Testing

/// A revocation or a blacklisting reaches everything planned on the product (docs/certification.md,
/// "What a revocation withdraws"): proposals, featured weeks, livestreams and booths, each party told.
@Suite struct WithdrawalAPITests {
    /// Every event type goes to one staff endpoint, so the outbox shows what each change announced.
    static func listenToEverything(_ app: TestApp) async throws {
        let endpoint = WebhookEndpoint(
            id: "whe-all",
            url: "https://hooks.example.org/all",
            eventTypes: ["*"],
            owner: nil,
            createdBy: "cli:test",
            createdAt: TestApp.now,
            updatedAt: TestApp.now
        )
        _ = try await app.database.createWebhookEndpoint(
            endpoint,
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            context: WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        )
    }

    static func messages(_ app: TestApp, _ type: EventType) async throws -> [[String: JSONValue]] {
        var query = WebhookMessageQuery()
        query.type = type
        query.limit = 100
        return try await app.database.webhookMessages(query).items.map { message in
            try JSONValue.parseObject(Data(message.payload.utf8))["data"]?.objectValue ?? [:]
        }
    }

    @Test func aRevocationCancelsTheProductsProposalsSlotsAndLivestreamsAndTellsTheirParties() async throws {
        let app = try await TestApp(schedules: .planned)
        try await Self.listenToEverything(app)
        let rotation = try await app.send(.get, "/v1/rotations/\(ScheduleFixture.publishedRotation)")
        let naopoWeek = rotation.object["slots"]?.array?.first { $0.objectValue?["product_id"] == .string("prd-a") }?.objectValue?["week"]?.string
        #expect(naopoWeek != nil, "\(rotation.text)")

        let revoked = try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", as: .reviewer, json: #"{"reason":"以次充好"}"#)
        #expect(revoked.status == .ok, "\(revoked.text)")

        // The proposal of this week is cancelled with the reason; it can no longer be accepted.
        let match = try await app.send(.get, "/v1/matches/\(app.matchID)", as: .buyerA)
        #expect(match.object["status"] == .string("cancelled"), "\(match.text)")
        #expect(match.object["cancel_reason"]?.string?.contains("以次充好") == true)
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA).status == .conflict)
        let cancelled = try await Self.messages(app, .matchCancelled)
        #expect(cancelled.count == 1)
        #expect(cancelled.first?["reason"]?.string?.contains("cert-seed-prd-a") == true)

        // The featured week of the product is withdrawn (and cancelled in the venue's calendar).
        let after = try await app.send(.get, "/v1/rotations/\(ScheduleFixture.publishedRotation)")
        let slot = after.object["slots"]?.array?.first { $0.objectValue?["week"]?.string == naopoWeek }?.objectValue
        #expect(slot?["withdrawn_reason"]?.string?.contains("以次充好") == true, "\(after.text)")
        let withdrawn = try await Self.messages(app, .slotWithdrawn)
        #expect(withdrawn.count == 1)
        // 那坡县 has no other product that can be featured: the planner has no candidate to offer.
        #expect(withdrawn.first?["candidate"] == .null)
        let feed = try await app.send(.get, "/v1/venues/\(ScheduleFixture.venue)/calendar.ics", as: .calendar)
        #expect(feed.text.contains("STATUS:CANCELLED"), "\(feed.text)")

        // Every livestream showing it is cancelled: the single one and the plan's session of that week.
        let single = try await app.send(.get, "/v1/livestreams/\(ScheduleFixture.livestream)")
        #expect(single.object["status"] == .string("cancelled"), "\(single.text)")
        #expect(single.object["cancel_reason"]?.string?.contains("以次充好") == true)
        let sessions = try await Self.messages(app, .livestreamCancelled)
        #expect(sessions.count == 2, "\(sessions)")
        #expect(sessions.allSatisfy { $0["still_eligible_product_ids"] == .array([]) })

        // The audit entry counts what went.
        let audit = try await app.send(.get, "/v1/audit?id=cert-seed-prd-a")
        #expect(audit.text.contains("\"matches_cancelled\":1"), "\(audit.text)")
    }

    @Test func aBlacklistingReleasesTheSuppliersBoothsAtFairsNotYetOpened() async throws {
        let app = try await TestApp(schedules: .planned)
        try await Self.listenToEverything(app)
        let board = try await app.send(.get, "/v1/fairs/\(ScheduleFixture.fair)/booths")
        #expect(board.text.contains("app-naopo"), "\(board.text)")
        // The fair is full: a fourth applicant waits.
        let waiting = try await app.send(
            .post,
            "/v1/fairs/\(ScheduleFixture.fair)/applications",
            as: .organizer,
            json: #"{"id":"app-longshan","applicant_kind":"county","county_code":"433130","product_ids":["prd-longshan"],"booths_requested":2}"#
        )
        #expect(waiting.status == .created, "\(waiting.text)")
        let allocated = try await app.send(.post, "/v1/fairs/\(ScheduleFixture.fair)/allocate", as: .organizer)
        #expect(
            allocated.object["waitlist"]?.array?.contains { $0.objectValue?["application_id"] == .string("app-longshan") } == true,
            "\(allocated.text)"
        )

        let patched = try await app.send(
            .patch,
            "/v1/suppliers/sup-a",
            json: #"{"blacklisted":true,"blacklist_reason":"虚假宣传"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.status == .ok, "\(patched.text)")

        let released = try await Self.messages(app, .boothReleased)
        #expect(released.count == 1, "\(released)")
        #expect(released.first?["application_id"] == .string("app-naopo"))
        #expect(released.first?["status"] == .string("ineligible"))
        #expect(released.first?["reason"]?.string?.contains("虚假宣传") == true)
        let after = try await app.send(.get, "/v1/fairs/\(ScheduleFixture.fair)/booths")
        #expect(!after.text.contains("\"application_id\":\"app-naopo\""), "\(after.text)")
        // The waiting list took the booths in the same transaction, and was told.
        let assigned = try await Self.messages(app, .fairBoothAssigned)
        #expect(assigned.contains { $0["application_id"] == .string("app-longshan") && $0["booths"]?.array?.count == 2 }, "\(assigned)")
        // Its proposal is cancelled too, and the buyer was told of the blacklisting.
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("cancelled"))
        #expect(try await Self.messages(app, .supplierBlacklisted).count == 1)
    }

    @Test func anOrganizersCancellationAndReleaseAreAnnouncedWithTheirReasons() async throws {
        let app = try await TestApp(schedules: .planned)
        try await Self.listenToEverything(app)
        let cancelled = try await app.send(
            .post,
            "/v1/livestreams/\(ScheduleFixture.livestream)/cancel",
            as: .organizer,
            json: #"{"reason":"主播临时生病"}"#
        )
        #expect(cancelled.status == .ok, "\(cancelled.text)")
        #expect(cancelled.object["cancel_reason"] == .string("主播临时生病"))
        // Without a body, as before: no reason.
        let plain = try await app.send(.post, "/v1/livestreams/liv-pub-001/cancel", as: .organizer)
        #expect(plain.status == .ok, "\(plain.text)")
        #expect(plain.object["cancel_reason"] == .null)
        let sessions = try await Self.messages(app, .livestreamCancelled)
        #expect(Set(sessions.compactMap { $0["reason"]?.string }) == ["主播临时生病"])
        #expect(sessions.count == 2)
        // A reason that is not text is refused, naming the field.
        let bad = try await app.send(.post, "/v1/livestreams/liv-pub-002/cancel", as: .organizer, json: #"{"reason":7}"#)
        #expect(bad.status == .unprocessableContent)
        #expect(bad.text.contains("reason"))

        let board = try await app.send(.get, "/v1/fairs/\(ScheduleFixture.fair)/booths")
        guard case .int(let number)? = board.object["booths"]?.array?.first?.objectValue?["number"] else {
            Issue.record("no booth in \(board.text)")
            return
        }
        let release = try await app.send(
            .post,
            "/v1/fairs/\(ScheduleFixture.fair)/booths/\(number)/release",
            as: .organizer,
            json: #"{"reason":"展位调整"}"#
        )
        #expect(release.status == .ok, "\(release.text)")
        let released = try await Self.messages(app, .boothReleased)
        #expect(released.count == 1)
        #expect(released.first?["reason"] == .string("展位调整"))
        #expect(released.first?["released_booths"] == .array([.int(number)]))
    }

    /// A match run reads the certification mark and the catalog, computes, and stores. A
    /// revocation committed in between cannot leave a proposal of the revoked product stored.
    @Test func aRevocationDuringAMatchRunLeavesNoProposalOfTheProductStored() async throws {
        let app = try await TestApp()
        let week = IsoWeek(year: 2020, week: 37)!
        // What the runner reads before it computes…
        let mark = try await app.database.certificationMark()
        let version = try await app.database.weekDecisions(week, recentWeeks: 4).version
        let computed = try await MatchRunner(database: app.database, config: app.config, clock: app.clock)
            .run(week: week, dryRun: true, trigger: "api", actor: "cli:test", role: .admin)
        #expect(computed.matches.contains { $0.productID == "prd-a" })
        // …then the revocation commits while it computes…
        let revoked = try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", as: .reviewer, json: #"{"reason":"以次充好"}"#)
        #expect(revoked.status == .ok)
        // …and the run is stored: without the revoked product's proposals, and saying so.
        let stored = try await app.database.recordRun(
            computed.run,
            matches: computed.matches,
            basedOn: version,
            certificationMark: mark,
            context: WriteContext(actor: "cli:test", role: .admin, now: app.clock.now())
        )
        #expect(!stored.matches.contains { $0.productID == "prd-a" })
        #expect(stored.run.proposals == stored.matches.count)
        let dropped = computed.matches.filter { $0.productID == "prd-a" }.count
        #expect(stored.run.stats.objectValue?["withdrawn_during_run"] == .int(Int64(dropped)))
        var query = MatchQuery()
        query.week = week
        query.productID = "prd-a"
        #expect(try await app.database.matches(query).items.isEmpty)
    }

    /// Two reviewers acting on one application at once: one wins, the other is told its state.
    @Test func twoReviewersActingAtOnceCannotBothWin() async throws {
        let app = try await TestApp(certifications: true)
        // cert-b is on notice with an open objection: resolve it, then both try to list and reject at once.
        let dismissed = try await app.send(
            .post,
            "/v1/certifications/cert-b/objections/\(app.objectionID ?? "")/resolve",
            json: #"{"outcome":"dismissed","note":"产地核实无误"}"#
        )
        #expect(dismissed.status == .ok, "\(dismissed.text)")
        app.clock.advance(hours: 24 * 8)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { Int(try await app.send(.post, "/v1/certifications/cert-b/list", json: "{}").status.code) }
            group.addTask { Int(try await app.send(.post, "/v1/certifications/cert-b/reject", json: #"{"reason":"材料不全"}"#).status.code) }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted() == [200, 409], "\(statuses)")
        let record = try await app.send(.get, "/v1/certifications/cert-b")
        let steps = record.object["history"]?.array?.compactMap { $0.objectValue?["action"]?.string } ?? []
        #expect(steps.filter { $0 == "list" || $0 == "reject" }.count == 1, "\(steps)")
    }
}
