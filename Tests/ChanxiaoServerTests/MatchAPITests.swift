import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import Logging
import Testing

/// The proposal lifecycle over HTTP: runs, accept holds capacity, decline excludes, expiry,
/// supersede, dry runs, and who sees what.
@Suite struct MatchAPITests {
    @Test func aRunReportsItsFiguresAndProposals() async throws {
        let app = try await TestApp()
        let run = try await app.send(.get, "/v1/match-runs/\(app.runID)", as: .organizer)
        #expect(run.status == .ok)
        #expect(run.object["week"] == .string("2020-W36"))
        #expect(run.object["proposals"] == .int(1))
        #expect(run.object["config_hash"]?.string?.count == 64)
        let stats = try #require(run.object["stats"]?.objectValue)
        #expect(stats["demand_volume"] == .int(350))
        #expect(stats["matched_volume"] == .int(300))
        // dem-b (cold aquatic) has no certified product: it is unmet, and the run says why.
        guard case .array(let unmet)? = run.object["unmet"] else {
            Issue.record("no unmet list")
            return
        }
        let outcome = try #require(unmet.first?.objectValue)
        #expect(outcome["demand_id"] == .string("dem-b"))
        #expect(outcome["reason"] == .string("no_candidates"))
        #expect(outcome["removed_by_filter"] == .object(["category_unit": .int(1), "certified": .int(1)]))

        let match = try await app.send(.get, "/v1/matches/\(app.matchID)", as: .buyerA)
        #expect(match.object["product_id"] == .string("prd-a"))
        #expect(match.object["weekly_volume"] == .int(300))
        #expect(match.object["status"] == .string("proposed"))
        // 那坡 is a deep-poverty county paired with 深圳 (440300), where buyer A's canteen is. It
        // supplies the whole group's 300 kg: 90 free, 60 at 5% and 150 at 20% of 8 yuan, 88 fen a unit.
        #expect(
            match.object["cost_breakdown_fen"]
                == .object([
                    "price": .int(800), "paired": .int(-80), "deep_poverty": .int(-40), "slow_moving": .int(0), "spread": .int(88),
                ])
        )
        #expect(match.object["effective_unit_cost_fen"] == .int(768))
    }

    @Test func buyersAndSuppliersSeeTheirOwnMatches() async throws {
        let app = try await TestApp()
        #expect(try await app.send(.get, "/v1/matches", as: .buyerA).items.count == 1)
        #expect(try await app.send(.get, "/v1/matches", as: .buyerB).items.isEmpty)
        #expect(try await app.send(.get, "/v1/matches", as: .supplierA).items.count == 1)
        #expect(try await app.send(.get, "/v1/matches", as: .supplierB).items.isEmpty)
        #expect(try await app.send(.get, "/v1/matches?buyer_id=buy-a", as: .buyerB).items.isEmpty)
        #expect(try await app.send(.get, "/v1/matches?week=2020-W36&status=proposed&run_id=\(app.runID)").items.count == 1)
        #expect(try await app.send(.get, "/v1/matches?week=2020-W37").items.isEmpty)
        #expect(try await app.send(.get, "/v1/matches?week=2020-W99").status == .badRequest)
    }

    @Test func acceptingHoldsTheVolumeForLaterRuns() async throws {
        let app = try await TestApp()
        let accepted = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA)
        #expect(accepted.status == .ok)
        #expect(accepted.object["status"] == .string("accepted"))
        #expect(accepted.object["decided_at"] == .string("2020-09-01T02:00:00.000Z"))
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/decline", as: .buyerA).status == .conflict)

        let again = try await app.send(.post, "/v1/match-runs", as: .organizer, json: #"{"week":"2020-W36"}"#)
        #expect(again.status == .created)
        let stats = try #require(again.object["stats"]?.objectValue)
        #expect(stats["held_volume"] == .int(300))
        #expect(stats["demand_volume"] == .int(50))  // only dem-b is left to match
        #expect(again.object["proposals"] == .int(0))
        // The accepted match stays accepted; nothing was superseded.
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("accepted"))
    }

    @Test func aDeclinedProductIsNotProposedAgainThatWeek() async throws {
        let app = try await TestApp()
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/decline", as: .buyerA).object["status"] == .string("declined"))
        let again = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W36"}"#)
        #expect(again.object["proposals"] == .int(0))
        guard case .array(let unmet)? = again.object["unmet"] else {
            Issue.record("no unmet list")
            return
        }
        let outcome = try #require(unmet.compactMap(\.objectValue).first { $0["demand_id"] == .string("dem-a") })
        #expect(outcome["reason"] == .string("no_candidates"))
        #expect(outcome["removed_by_filter"]?.objectValue?["declined"] == .int(1))
        // Another week, the product is proposed again.
        let nextWeek = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W37"}"#)
        #expect(nextWeek.object["proposals"] == .int(1))
    }

    @Test func aNewRunSupersedesOpenProposals() async throws {
        let app = try await TestApp()
        let again = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W36"}"#)
        #expect(again.object["proposals"] == .int(1))
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("superseded"))
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA).status == .conflict)
        #expect(try await app.send(.get, "/v1/matches?status=proposed").items.count == 1)
        #expect(try await app.send(.get, "/v1/match-runs?week=2020-W36").items.count == 2)
    }

    @Test func proposalsExpire() async throws {
        let app = try await TestApp { $0.matchingLifecycle.proposalTTLHours = 24 }
        app.clock.advance(hours: 25)
        let late = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA)
        #expect(late.status == .conflict)
        #expect(late.object["detail"]?.string?.contains("expired at") == true)
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("expired"))
    }

    @Test func aDryRunStoresNothing() async throws {
        let app = try await TestApp()
        let dry = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W36","dry_run":true}"#)
        #expect(dry.status == .ok)
        #expect(dry.object["dry_run"] == .bool(true))
        guard case .array(let matches)? = dry.object["matches"] else {
            Issue.record("no matches")
            return
        }
        #expect(matches.count == 1)
        #expect(try await app.send(.get, "/v1/match-runs").items.count == 1)
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)").object["status"] == .string("proposed"))
    }

    @Test func theDefaultWeekIsTheComingOne() async throws {
        let app = try await TestApp()
        let run = try await app.send(.post, "/v1/match-runs", json: "{}")
        #expect(run.object["week"] == .string("2020-W37"))  // TestApp.now is in 2020-W36
        let empty = try await app.send(.post, "/v1/match-runs")  // no body, Content-Type: application/json
        #expect(empty.status == .created)
        #expect(empty.object["week"] == .string("2020-W37"))
        // Without a JSON content type a POST is refused: a cross-site form cannot send one.
        #expect(try await app.send(.post, "/v1/match-runs", bare: true).status == .unsupportedMediaType)
    }

    @Test func aDryRunsMatchesKeepTheirMemberOrder() async throws {
        let app = try await TestApp()
        let dry = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W36","dry_run":true}"#)
        #expect(dry.text.contains(#""matches":[{"id":"mat_"#))
        #expect(dry.text.range(of: #""run_id":"#)!.lowerBound < dry.text.range(of: #""week":"2020-W36","demand_id""#)!.lowerBound)
    }

    @Test func aBlacklistedSuppliersProposalIsCancelledAndCannotBeAccepted() async throws {
        let app = try await TestApp()
        _ = try await app.send(.patch, "/v1/suppliers/sup-a", json: #"{"blacklisted":true,"blacklist_reason":"以次充好"}"#)
        let match = try await app.send(.get, "/v1/matches/\(app.matchID)")
        #expect(match.object["status"] == .string("cancelled"))
        #expect(match.object["cancel_reason"] == .string("supplier sup-a was blacklisted: 以次充好"))
        let refused = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA)
        #expect(refused.status == .conflict)
        #expect(refused.object["detail"]?.string?.contains("is cancelled") == true, "\(refused.text)")
    }

    @Test(arguments: [
        (#"{"week":"2020-W54"}"#, "week"), (#"{"week":"next"}"#, "week"), (#"{"dry_run":"yes"}"#, "dry_run"), (#"{"weeks":"2020-W36"}"#, "weeks"),
    ])
    func badRunRequests(body: String, field: String) async throws {
        let app = try await TestApp()
        let response = try await app.send(.post, "/v1/match-runs", json: body)
        #expect(response.status == .unprocessableContent)
        #expect(response.errorFields == [field])
    }

    @Test func productsAndDemandsWithMatchesCannotBeDeleted() async throws {
        let app = try await TestApp()
        let response = try await app.send(.delete, "/v1/demands/dem-a")
        #expect(response.status == .conflict)
        #expect(response.object["detail"]?.string?.contains("set ends_on to stop the demand instead") == true)
    }
}

@Suite struct MatchingSchedulerTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    @Test(arguments: [
        ("2020-09-03T09:59:59.000Z", nil as String?),  // Thursday 17:59:59 in Shanghai
        ("2020-09-03T10:00:00.000Z", "2020-W37"),  // Thursday 18:00
        ("2020-09-06T15:59:59.000Z", "2020-W37"),  // Sunday 23:59:59
        ("2020-09-06T16:00:00.000Z", nil),  // Monday 00:00 of W37: not yet due for W38
        ("2020-08-31T10:00:00.000Z", nil),  // Monday of W36
    ])
    func theDueWeek(now: String, expected: String?) {
        let week = MatchingScheduler.dueWeek(now: Timestamp.date(from: now)!, zone: Self.zone, weekday: 4, minute: 18 * 60)
        #expect(week?.description == expected)
    }

    @Test func aWeekNoRunCoveredIsCaughtUp() async throws {
        let app = try await TestApp()
        app.clock.advance(hours: 7 * 24)  // 2020-W37: no run at all for it yet
        let scheduler = MatchingScheduler(dependencies: app.dependencies, logger: Logger(label: "test"))
        await scheduler.tick()
        await scheduler.tick()
        let runs = try await app.database.matchRuns(week: IsoWeek(year: 2020, week: 37), limit: 10, beforeID: nil).items
        #expect(runs.map(\.trigger) == ["schedule"])
    }

    @Test func aTickRunsTheDueWeekOnceAndExpiresProposals() async throws {
        let app = try await TestApp { $0.matchingLifecycle.proposalTTLHours = 24 }
        let scheduler = MatchingScheduler(dependencies: app.dependencies, logger: Logger(label: "test"))
        await scheduler.tick()  // Tuesday: nothing due
        #expect(try await app.database.matchRuns(week: nil, limit: 10, beforeID: nil).items.count == 1)
        app.clock.advance(hours: 2 * 24 + 8)  // Thursday 18:00 in Shanghai
        await scheduler.tick()
        await scheduler.tick()
        let runs = try await app.database.matchRuns(week: IsoWeek(year: 2020, week: 37), limit: 10, beforeID: nil).items
        #expect(runs.map(\.trigger) == ["schedule"])
        #expect(try await app.database.match(id: app.matchID)?.status == .expired)
    }
}

@Suite struct ConfigRefreshTests {
    /// Match runs use the configuration in force: editing the file changes nothing by itself;
    /// a reload puts it in force, and the next run records the new hash.
    @Test func editingTheFileChangesNothingUntilAReload() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        func write(_ text: String) throws { try text.write(to: file, atomically: true, encoding: .utf8) }
        func withDiscount(_ discount: String) -> String {
            "auth:\n  token_cache_seconds: 0\nmatching:\n  scorers:\n    paired:\n      discount: \(discount)\n"
        }
        let path = file.path
        let source: @Sendable () throws -> ChanxiaoConfig = { try ConfigLoader.load(file: path, environment: [:]) }
        try write(withDiscount("0.10"))
        let app = try await TestApp(configure: { $0 = try! source() }, configSource: source)
        let runner = MatchRunner(database: app.database, config: app.config, clock: app.clock)
        let week = IsoWeek(year: 2020, week: 37)!
        func pairedCost(_ outcome: MatchRunner.Outcome) -> Int? {
            outcome.matches.first?.costBreakdown.first { $0.term == "paired" }?.cost
        }
        let startHash = ConfigDigest.hash(app.config.current)

        let first = try await runner.run(week: week, dryRun: true, trigger: "cli", actor: "cli:test", role: .admin)
        #expect(pairedCost(first) == -8_000)
        #expect(first.run.configHash == startHash)

        // An edited file is not read by a run: the configuration in force stays.
        try write(withDiscount("0.20"))
        let second = try await runner.run(week: week, dryRun: true, trigger: "cli", actor: "cli:test", role: .admin)
        #expect(pairedCost(second) == -8_000)
        #expect(second.run.configHash == startHash)
        #expect(app.config.current.matching.paired.share == 0.10)

        // A reload puts it in force; the next run uses it and records its hash.
        let outcome = app.dependencies.reloader.reload(trigger: "test")
        guard case .applied(let change) = outcome else {
            Issue.record("expected the reload to apply, got \(outcome.name)")
            return
        }
        #expect(change.applied == ["matching.scorers.paired.discount"])
        #expect(change.restartRequired == [])
        #expect(app.config.current.matching.paired.share == 0.20)
        let third = try await runner.run(week: week, dryRun: true, trigger: "cli", actor: "cli:test", role: .admin)
        #expect(pairedCost(third) == -16_000)
        #expect(third.run.configHash == ConfigDigest.hash(app.config.current))
        #expect(third.run.configHash != startHash)

        // A broken file is refused whole at the reload; runs go on with the configuration in force.
        try write(withDiscount("lots"))
        let refused = app.dependencies.reloader.reload(trigger: "test")
        guard case .rejected(let error) = refused else {
            Issue.record("expected the reload to be rejected, got \(refused.name)")
            return
        }
        #expect(error.issues.map(\.key) == ["matching.scorers.paired.discount"])
        let fourth = try await runner.run(week: week, dryRun: true, trigger: "cli", actor: "cli:test", role: .admin)
        #expect(fourth.run.configHash == third.run.configHash)
        #expect(app.config.current.matching.paired.share == 0.20)
    }
}
