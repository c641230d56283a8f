import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoStore
import Foundation
import Testing

/// The transactional outbox: which changes write which events, for which endpoints, and how
/// deliveries move on after attempts.
@Suite struct OutboxTests {
    static let week = MatchStoreTests.week
    static let context = Fixtures.context

    static func endpoint(
        _ id: String,
        types: [String],
        owner: Owner? = nil,
        format: WebhookFormat = .standard,
        enabled: Bool = true
    ) -> WebhookEndpoint {
        WebhookEndpoint(
            id: id,
            url: "https://example.org/\(id)",
            format: format,
            eventTypes: types,
            owner: owner,
            enabled: enabled,
            createdBy: "tok_test",
            createdAt: Fixtures.now,
            updatedAt: Fixtures.now
        )
    }

    static func register(_ database: AppDatabase, _ endpoints: WebhookEndpoint...) async throws {
        for endpoint in endpoints {
            _ = try await database.createWebhookEndpoint(endpoint, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", context: context)
        }
    }

    /// Messages of `type`, each with the endpoints it is owed to.
    static func messages(_ database: AppDatabase, _ type: EventType? = nil) async throws -> [WebhookMessage] {
        var query = WebhookMessageQuery()
        query.type = type
        query.limit = 1000
        return try await database.webhookMessages(query).items
    }

    static func payload(_ message: WebhookMessage) throws -> [String: JSONValue] {
        try #require(try JSONValue.parseObject(Data(message.payload.utf8)))
    }

    static func data(_ message: WebhookMessage) throws -> [String: JSONValue] {
        try #require(try payload(message)["data"]?.objectValue)
    }

    static func recordTwoProposals(_ database: AppDatabase) async throws {
        try await database.recordRun(
            MatchStoreTests.run("run-1"),
            matches: [
                MatchStoreTests.match("m1", run: "run-1", volume: 300),
                MatchStoreTests.match("m2", run: "run-1", demand: "dem-rice-2", buyer: "buy-union", volume: 900),
            ],
            basedOn: "0:",
            context: context
        )
    }

    @Test func withoutEndpointsNothingIsRecorded() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.recordTwoProposals(database)
        #expect(try await Self.messages(database).isEmpty)
    }

    @Test func proposalsGoToStaffAndToTheirOwnBuyersOnly() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(
            database,
            Self.endpoint("staff-all", types: ["*"]),
            Self.endpoint("staff-rotation", types: ["rotation.*"]),
            Self.endpoint("canteen", types: ["match.*"], owner: .buyer("buy-canteen")),
            Self.endpoint("union", types: ["match.proposed"], owner: .buyer("buy-union")),
            Self.endpoint("coop-accepted", types: ["match.accepted"], owner: .supplier("sup-coop")),
            Self.endpoint("coop-off", types: ["*"], owner: .supplier("sup-coop"), enabled: false)
        )
        try await Self.recordTwoProposals(database)
        let messages = try await Self.messages(database, .matchProposed)
        #expect(messages.count == 2)
        let byMatch = Dictionary(uniqueKeysWithValues: try messages.map { (try Self.data($0)["match_id"]?.string ?? "", $0) })
        #expect(byMatch["m1"]?.deliveries.map(\.endpointID) == ["canteen", "staff-all"])
        #expect(byMatch["m2"]?.deliveries.map(\.endpointID) == ["staff-all", "union"])
        for message in messages {
            #expect(message.deliveries.allSatisfy { $0.status == .pending && $0.attempts == 0 })
            let payload = try Self.payload(message)
            #expect(payload["type"] == .string("match.proposed"))
            #expect(payload["timestamp"]?.string == Timestamp.string(from: Fixtures.now))
        }
        let m1 = try Self.data(try #require(byMatch["m1"]))
        #expect(m1["buyer_name"] == .string("机关食堂"))
        #expect(m1["product_name"] == .string("那坡大米"))
        #expect(m1["county_name"] == .string("那坡县"))
        #expect(m1["weekly_volume"] == .int(300))
        #expect(m1["decided_by"] == nil)  // token ids stay inside
        // A buyer token sees only its own deliveries of a message.
        var owned = WebhookMessageQuery()
        owned.owner = .buyer("buy-canteen")
        let visible = try await database.webhookMessages(owned).items
        #expect(visible.count == 1)
        #expect(visible.first?.deliveries.map(\.endpointID) == ["canteen"])
    }

    @Test func anEventIsWrittenOnlyWithItsChange() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("staff", types: ["match.*"]))
        try await Self.recordTwoProposals(database)
        // A refused acceptance (it would exceed the demand's volume) leaves no event behind.
        _ = try await database.update(Demand.self, id: "dem-rice", context: Self.context) { demand in
            var smaller = demand
            smaller.weeklyVolume = 100
            return smaller
        }
        await #expect(throws: StoreError.self) {
            try await database.decide(matchID: "m1", accept: true, context: Self.context)
        }
        #expect(try await Self.messages(database, .matchAccepted).isEmpty)
        // A run refused for a stale version writes neither its matches nor their events.
        _ = try await database.decide(matchID: "m2", accept: false, context: Self.context)
        await #expect(throws: StoreError.self) {
            try await database.recordRun(
                MatchStoreTests.run("run-2"),
                matches: [MatchStoreTests.match("m9", run: "run-2", volume: 10)],
                basedOn: "0:",
                context: Self.context
            )
        }
        #expect(try await Self.messages(database, .matchProposed).count == 2)
        let declined = try await Self.messages(database, .matchDeclined)
        #expect(declined.count == 1)
        #expect(try Self.data(declined[0])["status"] == .string("declined"))
        #expect(try Self.data(declined[0])["decided_at"] == .string(Timestamp.string(from: Fixtures.now)))
    }

    @Test func expiredProposalsAreAnnouncedOneByOne() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("canteen", types: ["match.expired"], owner: .buyer("buy-canteen")))
        try await Self.recordTwoProposals(database)
        #expect(try await database.expireProposals(now: Fixtures.now.addingTimeInterval(7200)) == 2)
        let expired = try await Self.messages(database, .matchExpired)
        // Both expired; only the canteen's concerns the canteen's endpoint.
        #expect(expired.count == 1)
        #expect(try Self.data(expired[0])["match_id"] == .string("m1"))
        #expect(try Self.data(expired[0])["status"] == .string("expired"))
    }

    static func due(_ database: AppDatabase, _ endpoint: String, at now: Date = Fixtures.now) async throws -> [DueDelivery] {
        try await database.dueDeliveries(endpointID: endpoint, now: now, limit: 100)
    }

    static func record(_ delivery: DueDelivery, delivered: Bool, status: Int?, next: Date?, at: Date = Fixtures.now) -> AttemptRecord {
        AttemptRecord(
            messageID: delivery.messageID,
            endpointID: delivery.endpointID,
            attemptedAt: at,
            trigger: delivery.trigger,
            responseStatus: status,
            latencyMilliseconds: 12,
            error: delivered ? nil : "HTTP \(status ?? 0)",
            responseBody: "nope",
            delivered: delivered,
            nextAttemptAt: next,
            generation: delivery.generation
        )
    }

    @Test func attemptsOfSeveralSendsAreRecordedTogetherEachWithItsOwnOutcome() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(
            database,
            Self.endpoint("hook", types: ["match.proposed"]),
            Self.endpoint("gone", types: ["match.proposed"]),
            Self.endpoint("ops", types: ["endpoint.disabled"])
        )
        try await Self.recordTwoProposals(database)
        let hook = try await Self.due(database, "hook")
        let gone = try await Self.due(database, "gone")
        let results = try await database.recordAttempts([
            AttemptBatch(
                records: [Self.record(hook[0], delivered: true, status: 204, next: nil)],
                endpointID: "hook",
                disableAfter: 3600,
                now: Fixtures.now
            ),
            AttemptBatch(
                records: [Self.record(gone[0], delivered: false, status: 410, next: nil)],
                endpointID: "gone",
                disable: "the endpoint answered 410 Gone",
                disableAfter: 3600,
                now: Fixtures.now
            ),
            AttemptBatch(
                records: [Self.record(hook[1], delivered: true, status: 204, next: nil)],
                endpointID: "hook",
                disableAfter: 3600,
                now: Fixtures.now
            ),
            // Deleted while in flight: nothing to record, and no harm to the others.
            AttemptBatch(
                records: [Self.record(hook[0], delivered: true, status: 204, next: nil)],
                endpointID: "deleted",
                disableAfter: 3600,
                now: Fixtures.now
            ),
        ])
        #expect(try results.map { try $0.get() } == [nil, "the endpoint answered 410 Gone", nil, nil])
        #expect(try await Self.due(database, "hook").isEmpty)
        #expect(try await database.webhookMessage(id: hook[1].messageID)?.deliveries.first { $0.endpointID == "hook" }?.status == .delivered)
        #expect(try await database.webhookEndpoint(id: "gone")?.enabled == false)
        #expect(try await Self.messages(database, .endpointDisabled).count == 1)
    }

    @Test func attemptsMoveDeliveriesOnAndAreKept() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("hook", types: ["match.proposed"]))
        try await Self.recordTwoProposals(database)
        let due = try await Self.due(database, "hook")
        #expect(due.count == 2)
        #expect(try await database.dueEndpoints(now: Fixtures.now).map(\.endpoint.id) == ["hook"])
        #expect(try await database.dueEndpoints(now: Fixtures.now).first?.secrets == ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        let later = Fixtures.now.addingTimeInterval(5)
        try await database.recordAttempts(
            [
                Self.record(due[0], delivered: true, status: 200, next: nil),
                Self.record(due[1], delivered: false, status: 500, next: later),
            ],
            endpointID: "hook",
            disableAfter: 3600,
            now: Fixtures.now
        )
        #expect(try await Self.due(database, "hook").isEmpty)
        let retry = try await Self.due(database, "hook", at: later)
        #expect(retry.map(\.messageID) == [due[1].messageID])
        #expect(retry.first?.attempts == 1)
        // The schedule is spent: the delivery fails for good.
        try await database.recordAttempts(
            [Self.record(retry[0], delivered: false, status: 503, next: nil, at: later)],
            endpointID: "hook",
            disableAfter: 3600,
            now: later
        )
        let message = try #require(try await database.webhookMessage(id: due[1].messageID))
        #expect(message.deliveries.first?.status == .failed)
        #expect(message.deliveries.first?.attempts == 2)
        #expect(message.deliveries.first?.lastError == "HTTP 503")
        let attempts = try #require(try await database.webhookAttempts(messageID: due[1].messageID))
        #expect(attempts.map(\.responseStatus) == [500, 503])
        #expect(attempts.allSatisfy { $0.latencyMilliseconds == 12 && $0.responseBody == "nope" })
        #expect(try await database.webhookMessage(id: due[0].messageID)?.deliveries.first?.status == .delivered)
        // The endpoint had a success in between, so it is failing only since the last attempt.
        #expect(try await database.webhookEndpoint(id: "hook")?.failingSince == later)
    }

    @Test func goneDisablesAtOnceAndTellsStaff() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(
            database,
            Self.endpoint("canteen", types: ["match.*"], owner: .buyer("buy-canteen")),
            Self.endpoint("ops", types: ["endpoint.disabled"]),
            Self.endpoint("canteen-ops", types: ["*"], owner: .buyer("buy-canteen"))
        )
        try await database.recordRun(
            MatchStoreTests.run("run-1"),
            matches: [
                MatchStoreTests.match("m1", run: "run-1", volume: 300),
                MatchStoreTests.match("m3", run: "run-1", volume: 200),
            ],
            basedOn: "0:",
            context: Self.context
        )
        let due = try await Self.due(database, "canteen")
        #expect(due.count == 2)
        let reason = try await database.recordAttempts(
            [Self.record(due[0], delivered: false, status: 410, next: nil)],
            endpointID: "canteen",
            disable: "the endpoint answered 410 Gone",
            disableAfter: 3600,
            now: Fixtures.now
        )
        #expect(reason == "the endpoint answered 410 Gone")
        let endpoint = try #require(try await database.webhookEndpoint(id: "canteen"))
        #expect(!endpoint.enabled)
        #expect(endpoint.disabledReason == "the endpoint answered 410 Gone")
        // Its other pending delivery failed with it; the worker no longer sees the endpoint.
        #expect(try await database.webhookMessage(id: due[1].messageID)?.deliveries.first { $0.endpointID == "canteen" }?.status == .failed)
        #expect(!(try await database.dueEndpoints(now: Fixtures.now).map(\.endpoint.id).contains("canteen")))
        let disabled = try await Self.messages(database, .endpointDisabled)
        #expect(disabled.count == 1)
        #expect(disabled[0].deliveries.map(\.endpointID) == ["ops"])  // not the buyer's own catch-all endpoint
        #expect(try Self.data(disabled[0])["endpoint_id"] == .string("canteen"))
        #expect(try Self.data(disabled[0])["url"] == .string("https://example.org"))  // no path: robots keep their keys there
        // Recovery needs the endpoint enabled again, then re-queues what failed.
        await #expect(throws: StoreError.self) {
            try await database.recoverWebhookEndpoint(id: "canteen", since: Fixtures.now, context: Self.context)
        }
        _ = try await database.updateWebhookEndpoint(id: "canteen", context: Self.context) { $0.enabled = true }
        #expect(try await database.webhookEndpoint(id: "canteen")?.disabledReason == nil)
        #expect(try await database.recoverWebhookEndpoint(id: "canteen", since: Fixtures.now.addingTimeInterval(-60), context: Self.context) == 2)
        let requeued = try await Self.due(database, "canteen")
        #expect(requeued.count == 2)
        #expect(requeued.allSatisfy { $0.trigger == .recover && $0.attempts == 0 })
    }

    @Test func continuousFailureDisablesAfterThePeriod() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("flaky", types: ["match.proposed"]))
        try await Self.recordTwoProposals(database)
        let due = try await Self.due(database, "flaky")
        let start = Fixtures.now
        try await database.recordAttempts(
            [Self.record(due[0], delivered: false, status: 500, next: start.addingTimeInterval(60))],
            endpointID: "flaky",
            disableAfter: 3600,
            now: start
        )
        #expect(try await database.webhookEndpoint(id: "flaky")?.enabled == true)
        let hourLater = start.addingTimeInterval(3600)
        let reason = try await database.recordAttempts(
            [Self.record(due[1], delivered: false, status: 500, next: hourLater.addingTimeInterval(60), at: hourLater)],
            endpointID: "flaky",
            disableAfter: 3600,
            now: hourLater
        )
        #expect(reason?.hasPrefix("every attempt failed since") == true)
        #expect(try await database.webhookEndpoint(id: "flaky")?.enabled == false)
    }

    @Test func resendStartsAfreshForOneOrEveryEndpoint() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("a", types: ["match.proposed"]), Self.endpoint("b", types: ["match.*"]))
        try await database.recordRun(
            MatchStoreTests.run("run-1"),
            matches: [MatchStoreTests.match("m1", run: "run-1", volume: 300)],
            basedOn: "0:",
            context: Self.context
        )
        let id = try #require(try await Self.messages(database).first?.id)
        for endpoint in ["a", "b"] {
            let due = try await Self.due(database, endpoint)
            try await database.recordAttempts(
                [Self.record(due[0], delivered: true, status: 204, next: nil)],
                endpointID: endpoint,
                disableAfter: 3600,
                now: Fixtures.now
            )
        }
        // An endpoint registered later may be given the message too, if it takes the type.
        try await Self.register(database, Self.endpoint("c", types: ["match.proposed"]), Self.endpoint("d", types: ["rotation.*"]))
        let resent = try await database.resendWebhookMessage(id: id, endpointID: "c", owner: nil, context: Self.context)
        #expect(resent.deliveries.map(\.endpointID) == ["a", "b", "c"])
        #expect(try await Self.due(database, "c").first?.trigger == .resend)
        await #expect(throws: ValidationFailure.self) {
            try await database.resendWebhookMessage(id: id, endpointID: "d", owner: nil, context: Self.context)
        }
        let all = try await database.resendWebhookMessage(id: id, endpointID: nil, owner: nil, context: Self.context)
        #expect(all.deliveries.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        // A buyer cannot resend what was not sent to it.
        await #expect(throws: StoreError.self) {
            try await database.resendWebhookMessage(id: id, endpointID: nil, owner: .buyer("buy-union"), context: Self.context)
        }
    }

    /// Found by the crash suite: a resend (or recovery) made while an attempt was in flight was
    /// overwritten when that attempt was recorded, so the resend never went out.
    @Test(
        "an attempt in flight across a resend or recovery keeps its record but not the schedule",
        arguments: [
            (204, "resend"), (500, "resend"), (204, "recover"),
        ]
    )
    func anAttemptInFlightDoesNotUndoAResend(_ status: Int, _ requeue: String) async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("hook", types: ["match.proposed"]))
        try await database.recordRun(
            MatchStoreTests.run("run-1"),
            matches: [MatchStoreTests.match("m1", run: "run-1", volume: 300)],
            basedOn: "0:",
            context: Self.context
        )
        var inFlight = try #require(try await Self.due(database, "hook").first)
        if requeue == "recover" {
            // A failed delivery whose late attempt is still out when staff recover the endpoint.
            try await database.recordAttempts(
                [Self.record(inFlight, delivered: false, status: 500, next: nil)],
                endpointID: "hook",
                disableAfter: 3600,
                now: Fixtures.now
            )
            inFlight.attempts = 1
            #expect(try await database.recoverWebhookEndpoint(id: "hook", since: Fixtures.now.addingTimeInterval(-60), context: Self.context) == 1)
        } else {
            _ = try await database.resendWebhookMessage(id: inFlight.messageID, endpointID: nil, owner: nil, context: Self.context)
        }
        let later = Fixtures.now.addingTimeInterval(1)
        try await database.recordAttempts(
            [Self.record(inFlight, delivered: status < 300, status: status, next: status < 300 ? nil : later.addingTimeInterval(600), at: later)],
            endpointID: "hook",
            disableAfter: 3600,
            now: later
        )
        let due = try await Self.due(database, "hook", at: later)
        #expect(due.map(\.messageID) == [inFlight.messageID], "the re-queued delivery is still due now")
        #expect(due.first?.trigger == (requeue == "resend" ? .resend : .recover))
        #expect(due.first?.attempts == 0)
        #expect(try await database.webhookAttempts(messageID: inFlight.messageID)?.count == (requeue == "recover" ? 2 : 1))
    }

    @Test func rotatedSecretsSignSideBySideUntilTheOverlapEnds() async throws {
        let database = try await Fixtures.database()
        try await Self.register(database, Self.endpoint("hook", types: ["*"]))
        let later = Fixtures.now.addingTimeInterval(10)
        let rotated = try await database.rotateWebhookSecret(
            id: "hook",
            newSecret: "whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ=",
            overlap: 3600,
            context: WriteContext(actor: "tok_test", role: .admin, now: later)
        )
        #expect(rotated.expiring == later.addingTimeInterval(3600))
        #expect(
            try await database.signingSecrets(endpointID: "hook", now: later)
                == ["whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ=", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        )
        #expect(
            try await database.signingSecrets(endpointID: "hook", now: later.addingTimeInterval(3601))
                == ["whsec_bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQ="]
        )
    }

    @Test func purgeDropsOldMessagesWithTheirDeliveries() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(database, Self.endpoint("hook", types: ["*"]))
        try await Self.recordTwoProposals(database)
        #expect(try await database.purgeWebhookMessages(before: Fixtures.now) == 0)
        #expect(try await database.purgeWebhookMessages(before: Fixtures.now.addingTimeInterval(1)) == 2)
        #expect(try await Self.messages(database).isEmpty)
        #expect(try await Self.due(database, "hook").isEmpty)
    }

    @Test func blacklistingTellsTheSupplierAndItsBuyers() async throws {
        let database = try await MatchStoreTests.database()
        try await Self.register(
            database,
            Self.endpoint("coop", types: ["supplier.*"], owner: .supplier("sup-coop")),
            Self.endpoint("canteen", types: ["supplier.blacklisted"], owner: .buyer("buy-canteen")),
            Self.endpoint("farm", types: ["supplier.blacklisted"], owner: .supplier("sup-farm"))
        )
        try await Self.recordTwoProposals(database)
        _ = try await database.update(Supplier.self, id: "sup-coop", context: Self.context) { supplier in
            var blacklisted = supplier
            blacklisted.blacklisted = true
            blacklisted.blacklistReason = "以次充好"
            blacklisted.blacklistedOn = CalendarDate("2020-09-01")
            return blacklisted
        }
        let events = try await Self.messages(database, .supplierBlacklisted)
        #expect(events.count == 1)
        #expect(events[0].deliveries.map(\.endpointID) == ["canteen", "coop"])
        #expect(try Self.data(events[0])["reason"] == .string("以次充好"))
        // Saving it again (still blacklisted) is no new event.
        _ = try await database.update(Supplier.self, id: "sup-coop", context: Self.context) { supplier in
            var renamed = supplier
            renamed.name = "那坡合作社"
            return renamed
        }
        #expect(try await Self.messages(database, .supplierBlacklisted).count == 1)
    }

    // MARK: Livestreams

    /// Monday 2020-09-07 19:00 in Shanghai, inside the host's availability.
    static let start = Timestamp.date(from: "2020-09-07T19:00:00+08:00")!

    static func session(_ id: String, createdAt: Date) -> Livestream {
        Livestream(
            id: id,
            hostID: "hst-a",
            platform: .douyin,
            startsAt: start,
            endsAt: start.addingTimeInterval(3600),
            productIDs: ["prd-rice"],
            title: "那坡大米专场",
            createdAt: createdAt,
            updatedAt: createdAt
        )
    }

    @Test func livestreamsAreAnnouncedAndRemindedOncePerLeadTime() async throws {
        let database = try await Fixtures.database()
        try await Self.register(
            database,
            Self.endpoint("coop", types: ["livestream.*"], owner: .supplier("sup-coop")),
            Self.endpoint("farm", types: ["livestream.*"], owner: .supplier("sup-farm"))
        )
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        _ = try await database.createLivestream(
            Self.session("liv-1", createdAt: Fixtures.now),
            settings: SchedulingSettings.Livestreams(),
            zone: zone,
            context: Self.context
        )
        let scheduled = try await Self.messages(database, .livestreamScheduled)
        #expect(scheduled.count == 1)
        #expect(scheduled[0].deliveries.map(\.endpointID) == ["coop"])
        #expect(try Self.data(scheduled[0])["host_name"] == .string("助农主播"))

        let leads = [1440, 60]
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(-25 * 3600)) == 0)
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(-23 * 3600)) == 1)
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(-22 * 3600)) == 0)
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(-59 * 60)) == 1)
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(-30 * 60)) == 0)
        #expect(try await database.sendDueReminders(leadMinutes: leads, now: Self.start.addingTimeInterval(60)) == 0)
        let reminders = try await Self.messages(database, .livestreamReminder)
        #expect(try reminders.map { try Self.data($0)["lead_minutes"] } == [.int(1440), .int(60)])
    }

    @Test func aLateDaemonSendsOnlyTheNearestReminder() async throws {
        let database = try await Fixtures.database()
        try await Self.register(database, Self.endpoint("staff", types: ["livestream.reminder"]))
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        // Booked two hours ahead: the 24-hour reminder never applies.
        let late = Self.start.addingTimeInterval(-2 * 3600)
        _ = try await database.createLivestream(
            Self.session("liv-late", createdAt: late),
            settings: SchedulingSettings.Livestreams(),
            zone: zone,
            context: WriteContext(actor: "tok_test", role: .admin, now: late)
        )
        #expect(try await database.sendDueReminders(leadMinutes: [1440, 60], now: late.addingTimeInterval(60)) == 0)
        // The daemon was down at the one-hour mark and comes back 30 minutes before the start.
        #expect(try await database.sendDueReminders(leadMinutes: [1440, 60], now: Self.start.addingTimeInterval(-30 * 60)) == 1)
        #expect(try await database.sendDueReminders(leadMinutes: [1440, 60], now: Self.start.addingTimeInterval(-10 * 60)) == 0)
        let reminders = try await Self.messages(database, .livestreamReminder)
        #expect(try reminders.map { try Self.data($0)["lead_minutes"] } == [.int(60)])
    }

    @Test func cancelledSessionsAreNotReminded() async throws {
        let database = try await Fixtures.database()
        try await Self.register(database, Self.endpoint("staff", types: ["livestream.reminder"]))
        _ = try await database.createLivestream(
            Self.session("liv-1", createdAt: Fixtures.now),
            settings: SchedulingSettings.Livestreams(),
            zone: TimeZone(identifier: "Asia/Shanghai")!,
            context: Self.context
        )
        _ = try await database.cancelLivestream(id: "liv-1", context: Self.context)
        #expect(try await database.sendDueReminders(leadMinutes: [60], now: Self.start.addingTimeInterval(-30 * 60)) == 0)
    }
}
