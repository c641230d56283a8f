import ChanxiaoCore
@testable import ChanxiaoScheduling
import Foundation
import Testing

/// Hosts, bookings and featured weeks drawn at random.
struct LivestreamInstance {
    var hosts: [LivestreamHost]
    var booked: [Livestream]
    var products: [String: Product]
    var suppliers: [String: Supplier]
    var slots: [(week: IsoWeek, productID: String)]
    var sessionsPerSlot: Int
    var duration: Int

    var request: LivestreamPlanRequest {
        LivestreamPlanRequest(slots: slots, sessionsPerSlot: sessionsPerSlot, durationMinutes: duration)
    }

    func plan(_ settings: SchedulingSettings.Livestreams = .init()) throws -> LivestreamPlan {
        try LivestreamPlanner.plan(request, hosts: hosts, booked: booked, products: products, suppliers: suppliers, settings: settings, zone: SF.zone)
    }

    static func make(seed: UInt64, hosts hostRange: ClosedRange<Int> = 1...3, weeks weekRange: ClosedRange<Int> = 1...3,
                     sessions sessionRange: ClosedRange<Int> = 1...5, days dayChance: Int = 3, bookings bookingRange: ClosedRange<Int> = 0...8,
                     durations: [Int] = [30, 45, 60, 90, 120]) -> LivestreamInstance {
        var random = SplitMix64(seed: seed &* 0x9E37_79B9 &+ 101)
        let first = SF.week.adding(weeks: random.int(0...10))
        var weeks: [IsoWeek] = []
        var next = first
        for _ in 0..<random.int(weekRange) {
            weeks.append(next)
            next = next.adding(weeks: random.int(1...2))
        }
        let days = weeks.flatMap { week in (0..<7).map { week.monday.adding(days: $0) } }
        // p0 is certified throughout; p1's certificate ends on a random day of the plan (or just
        // before it); p2's supplier is blacklisted.
        let p1Until = first.monday.adding(days: random.int(-1...(days.count + 7)))
        let products: [String: Product] = [
            "p0": SF.product("p0", supplier: "s0", county: "522601"),
            "p1": SF.product("p1", supplier: "s0", county: "522601", certifiedUntil: p1Until),
            "p2": SF.product("p2", supplier: "sBad", county: "522601"),
        ]
        let suppliers = ["s0": SF.supplier("s0", county: "522601"), "sBad": SF.supplier("sBad", county: "522601", blacklisted: true)]
        let slots = weeks.map { week -> (week: IsoWeek, productID: String) in
            let roll = random.int(0...19)
            return (week, roll < 14 ? "p0" : roll < 19 ? "p1" : "p2")
        }

        var hosts: [LivestreamHost] = []
        for h in 0..<random.int(hostRange) {
            var platforms = LivestreamPlatform.allCases.shuffled(using: &random)
            platforms = Array(platforms.prefix(random.int(1...3)))
            var weekly: [WeeklyWindow] = []
            for weekday in 1...7 where random.chance(dayChance, in: 5) {
                for _ in 0..<random.int(1...2) {
                    let start = random.int(24...84) * 15 // 06:00 to 21:00, on quarter hours
                    let end = min(1440, start + random.int(2...16) * 30)
                    weekly.append(WeeklyWindow(weekday: weekday, start: start, end: end))
                }
            }
            let unavailable = days.filter { _ in random.chance(1, in: 8) }.map { day -> DatedWindow in
                if random.chance(1, in: 2) { return DatedWindow(date: day) }
                let start = random.int(36...80) * 15
                return DatedWindow(date: day, start: start, end: min(1440, start + random.int(1...8) * 30))
            }
            let extra = days.filter { _ in random.chance(1, in: 10) }.map { day -> DatedWindow in
                let start = random.int(32...72) * 15
                return DatedWindow(date: day, start: start, end: min(1440, start + random.int(2...10) * 30))
            }
            hosts.append(LivestreamHost(id: "h\(h)", name: "主播\(h)", platforms: platforms, availability: weekly,
                                        unavailable: unavailable, extraAvailability: extra, maxSessionsPerDay: random.int(1...3)))
        }
        // Existing bookings, each within one local day; some cancelled, some of a host not planned.
        var booked: [Livestream] = []
        for b in 0..<random.int(bookingRange) {
            let day = random.pick(days)
            let start = random.int(32...88) * 15
            let end = min(1440, start + random.int(2...8) * 15)
            let hostID = random.chance(1, in: 8) ? "hOther" : "h\(random.int(0...(max(hosts.count, 1) - 1)))"
            booked.append(Livestream(id: "b\(b)", hostID: hostID, platform: .douyin, startsAt: LocalTime.instant(day, minute: start, in: SF.zone),
                                     endsAt: LocalTime.instant(day, minute: end, in: SF.zone), productIDs: ["p0"],
                                     status: random.chance(1, in: 5) ? .cancelled : .scheduled,
                                     createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)))
        }
        return LivestreamInstance(hosts: hosts, booked: booked, products: products, suppliers: suppliers, slots: slots,
                                  sessionsPerSlot: random.int(sessionRange), duration: random.pick(durations))
    }
}

/// The rules and objective of livestream plans, written out again from their definitions.
enum LivestreamOracle {
    /// Minutes of `day` (local) when `host` is free: weekly windows and extra windows, less the
    /// unavailable windows and the host's scheduled bookings.
    static func freeMinutes(_ host: LivestreamHost, _ day: CalendarDate, booked: [Livestream]) -> [Bool] {
        var free = [Bool](repeating: false, count: 1440)
        for window in host.availability where window.weekday == day.weekday { for m in window.start..<window.end { free[m] = true } }
        for window in host.extraAvailability where window.date == day { for m in window.start..<window.end { free[m] = true } }
        for window in host.unavailable where window.date == day { for m in window.start..<window.end { free[m] = false } }
        for session in booked where session.hostID == host.id && session.status == .scheduled {
            let (start, end) = (LocalTime.moment(session.startsAt, in: SF.zone), LocalTime.moment(session.endsAt, in: SF.zone))
            guard start.date == day else { continue }
            let last = end.date == day ? end.minute : 1440
            for m in start.minute..<max(start.minute, last) { free[m] = false }
        }
        return free
    }

    static func bookedCount(_ host: LivestreamHost, _ day: CalendarDate, booked: [Livestream]) -> Int {
        booked.filter { $0.hostID == host.id && $0.status == .scheduled && LocalTime.moment($0.startsAt, in: SF.zone).date == day }.count
    }

    /// Starts on the 30-minute grid where a session of `duration` fits in the free time.
    static func starts(_ free: [Bool], duration: Int) -> [Int] {
        stride(from: 0, to: 1440, by: 30).filter { s in s + duration <= 1440 && (s..<(s + duration)).allSatisfy { free[$0] } }
    }

    /// The most sessions of `duration` that fit on a host-day: the longest chain of grid starts
    /// at least `duration` apart (dynamic programming), capped by the day's remaining maximum.
    static func capacity(_ host: LivestreamHost, _ day: CalendarDate, booked: [Livestream], duration: Int) -> Int {
        let left = host.maxSessionsPerDay - bookedCount(host, day, booked: booked)
        guard left > 0 else { return 0 }
        let s = starts(freeMinutes(host, day, booked: booked), duration: duration)
        var best = [Int](repeating: 0, count: s.count + 1)
        for i in stride(from: s.count - 1, through: 0, by: -1) {
            let next = s.firstIndex { $0 >= s[i] + duration } ?? s.count
            best[i] = max(best[i + 1], 1 + best[next])
        }
        return min(left, best[0])
    }

    /// Days of `week` on which the product may be shown: certified that day, supplier in good standing.
    static func showDays(_ week: IsoWeek, _ productID: String, _ instance: LivestreamInstance) -> [CalendarDate] {
        (0..<7).map { week.monday.adding(days: $0) }.filter { day in
            guard let product = instance.products[productID], product.certificateNo != nil,
                  let until = product.certifiedUntil, day <= until,
                  let supplier = instance.suppliers[product.supplierID], !supplier.blacklisted else { return false }
            return true
        }
    }

    static func weekCapacity(_ week: IsoWeek, _ productID: String, _ instance: LivestreamInstance) -> Int {
        showDays(week, productID, instance).reduce(0) { sum, day in
            sum + instance.hosts.reduce(0) { $0 + capacity($1, day, booked: instance.booked, duration: instance.duration) }
        }
    }

    /// Points, in thousandths: prime time (−2 in proportion to the part inside 19:00–22:00),
    /// same day (+3 per pair of one week's sessions on one day), host load (+1 per pair of one
    /// host's sessions).
    static func points(_ sessions: [(week: IsoWeek, host: String, day: CalendarDate, start: Int)], duration: Int) -> [LivestreamTerm: Int64] {
        var prime: Int64 = 0
        for session in sessions {
            let inside = max(0, min(session.start + duration, 1320) - max(session.start, 1140))
            prime -= 2000 * Int64(inside) / Int64(duration)
        }
        func pairs<K: Hashable>(_ keys: [K]) -> Int64 {
            Dictionary(grouping: keys, by: { $0 }).values.reduce(0) { $0 + Int64($1.count * ($1.count - 1) / 2) }
        }
        return [.primeTime: prime, .sameDay: 3000 * pairs(sessions.map { "\($0.week) \($0.day)" }),
                .hostLoad: 1000 * pairs(sessions.map(\.host))]
    }
}

@Suite struct LivestreamPlannerTests {
    static func asLivestreams(_ plan: LivestreamPlan) -> [Livestream] {
        plan.sessions.enumerated().map { n, session in
            Livestream(id: "planned-\(n)", hostID: session.hostID, platform: session.platform, startsAt: session.startsAt,
                       endsAt: session.endsAt, productIDs: [session.productID], week: session.week,
                       createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
        }
    }

    static func check(_ plan: LivestreamPlan, _ instance: LivestreamInstance, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(plan.sessions.count == instance.slots.count * instance.sessionsPerSlot, "seed \(seed)", sourceLocation: sourceLocation)
        for slot in instance.slots {
            let mine = plan.sessions.filter { $0.week == slot.week }
            #expect(mine.count == instance.sessionsPerSlot && mine.allSatisfy { $0.productID == slot.productID },
                    "seed \(seed): sessions of \(slot.week)", sourceLocation: sourceLocation)
        }
        let planned = Self.asLivestreams(plan)
        for (n, session) in plan.sessions.enumerated() {
            #expect(session.week.contains(session.date), "seed \(seed): \(session.date) outside \(session.week)", sourceLocation: sourceLocation)
            #expect(session.end == session.start + instance.duration && session.start % 30 == 0, "seed \(seed)", sourceLocation: sourceLocation)
            #expect(session.startsAt == LocalTime.instant(session.date, minute: session.start, in: SF.zone), "seed \(seed)", sourceLocation: sourceLocation)
            #expect(session.endsAt.timeIntervalSince(session.startsAt) == Double(instance.duration * 60), "seed \(seed)", sourceLocation: sourceLocation)
            guard let host = instance.hosts.first(where: { $0.id == session.hostID }) else {
                Issue.record("seed \(seed): unknown host \(session.hostID)", sourceLocation: sourceLocation); continue
            }
            #expect(session.platform == host.platforms.first, "seed \(seed): planned sessions go out on the host's first platform", sourceLocation: sourceLocation)
            let others = instance.booked + planned.enumerated().filter { $0.offset != n }.map(\.element)
            let errors = LivestreamRules.violations(of: planned[n], host: host, booked: others, products: instance.products,
                                                    suppliers: instance.suppliers, settings: .init(), zone: SF.zone)
            #expect(errors == [], "seed \(seed): session \(n) \(session.hostID) \(session.date) \(ClockTime.text(session.start))", sourceLocation: sourceLocation)
        }
        let expected = LivestreamOracle.points(plan.sessions.map { ($0.week, $0.hostID, $0.date, $0.start) }, duration: instance.duration)
        for term in LivestreamTerm.allCases {
            #expect(thousandths(plan.score[term] ?? .nan) == expected[term], "seed \(seed): \(term)", sourceLocation: sourceLocation)
        }
        #expect(thousandths(plan.total) == expected.values.reduce(0, +), "seed \(seed): total", sourceLocation: sourceLocation)
        #expect(plan.bound <= plan.total, "seed \(seed)", sourceLocation: sourceLocation)
    }

    /// Random instances: plans keep every rule; refusals come exactly when some week has no
    /// room (or no day to show its product), naming the field.
    @Test(arguments: 0..<120)
    func plansKeepEveryRule(seed: Int) throws {
        let seed = UInt64(seed)
        let instance = LivestreamInstance.make(seed: seed)
        func noDay(_ slot: (week: IsoWeek, productID: String)) -> Bool { LivestreamOracle.showDays(slot.week, slot.productID, instance).isEmpty }
        func short(_ slot: (week: IsoWeek, productID: String)) -> Bool {
            LivestreamOracle.weekCapacity(slot.week, slot.productID, instance) < instance.sessionsPerSlot
        }
        // Weeks are planned in order; the first that cannot be planned is the one refused.
        let firstProblem = instance.slots.sorted { $0.week < $1.week }.first { noDay($0) || short($0) }
        do {
            let plan = try instance.plan()
            Self.check(plan, instance, seed: seed)
            #expect(firstProblem == nil, "seed \(seed): planned, though \(firstProblem.map { "\($0.week)" } ?? "") has no room")
        } catch let failure as ValidationFailure {
            let slot = try #require(firstProblem, "seed \(seed): refused a plannable request: \(failure)")
            #expect(failure.errors.map(\.field) == [noDay(slot) ? "rotation_id" : "sessions_per_slot"], "seed \(seed): \(failure)")
            #expect(failure.errors.first?.message.contains(slot.week.description) == true, "seed \(seed): \(failure)")
        }
    }

    /// The generator gives the property test both plans and refusals of each kind.
    @Test func generatorCoversTheCases() {
        var planned = 0, short = 0, noDays = 0
        for seed in 0..<120 {
            let instance = LivestreamInstance.make(seed: UInt64(seed))
            if instance.slots.contains(where: { LivestreamOracle.showDays($0.week, $0.productID, instance).isEmpty }) { noDays += 1 }
            else if instance.slots.contains(where: { LivestreamOracle.weekCapacity($0.week, $0.productID, instance) < instance.sessionsPerSlot }) { short += 1 }
            else { planned += 1 }
        }
        #expect(planned >= 50, "\(planned) plannable of 120")
        #expect(short >= 5, "\(short) short of room of 120")
        #expect(noDays >= 3, "\(noDays) without a day to show the product of 120")
    }

    /// On tiny instances, against every placement: the plan is feasible so never below the
    /// optimum, the bound never above it, and a plan claiming optimality is optimal.
    @Test(arguments: 0..<60)
    func boundAgainstBruteForce(seed: Int) throws {
        let seed = UInt64(seed)
        let instance = LivestreamInstance.make(seed: seed + 9000, hosts: 1...2, weeks: 1...1, sessions: 1...3, days: 1, bookings: 0...2,
                                               durations: [60, 90, 120])
        guard let plan = try? instance.plan() else { return }
        let week = instance.slots[0].week
        let days = LivestreamOracle.showDays(week, instance.slots[0].productID, instance)
        var places: [(host: LivestreamHost, day: CalendarDate, start: Int)] = []
        for host in instance.hosts {
            for day in days {
                for start in LivestreamOracle.starts(LivestreamOracle.freeMinutes(host, day, booked: instance.booked), duration: instance.duration) {
                    places.append((host, day, start))
                }
            }
        }
        try #require(places.count <= 150, "seed \(seed): \(places.count) places, too many to enumerate")
        var best: Int64?
        var chosen: [Int] = []
        func search(_ from: Int) {
            if chosen.count == instance.sessionsPerSlot {
                let sessions = chosen.map { (week, places[$0].host.id, places[$0].day, places[$0].start) }
                let value = LivestreamOracle.points(sessions, duration: instance.duration).values.reduce(0, +)
                best = min(best ?? value, value)
                return
            }
            for i in from..<places.count {
                let place = places[i]
                let same = chosen.map { places[$0] }.filter { $0.host.id == place.host.id && $0.day == place.day }
                if same.contains(where: { abs($0.start - place.start) < instance.duration }) { continue }
                if same.count + 1 + LivestreamOracle.bookedCount(place.host, place.day, booked: instance.booked) > place.host.maxSessionsPerDay { continue }
                chosen.append(i)
                search(i + 1)
                chosen.removeLast()
            }
        }
        search(0)
        let optimum = try #require(best, "seed \(seed): planned, yet no placement exists")
        Self.check(plan, instance, seed: seed)
        #expect(thousandths(plan.total) >= optimum, "seed \(seed)")
        #expect(thousandths(plan.bound) <= optimum, "seed \(seed): bound \(plan.bound) above the optimum \(optimum)")
        if plan.optimal { #expect(thousandths(plan.total) == optimum, "seed \(seed): claims optimal") }
    }

    static func simple(hosts: [LivestreamHost], sessions: Int, duration: Int, weeks: Int = 1) -> LivestreamInstance {
        LivestreamInstance(hosts: hosts, booked: [], products: ["p0": SF.product("p0", supplier: "s0", county: "522601")],
                           suppliers: ["s0": SF.supplier("s0", county: "522601")],
                           slots: (0..<weeks).map { (SF.week.adding(weeks: $0), "p0") }, sessionsPerSlot: sessions, duration: duration)
    }

    @Test(arguments: [1, 2, 4])
    func oneSessionAWeekGoesInPrimeTime(weeks: Int) throws {
        let instance = Self.simple(hosts: [SF.host("h1", daily: "10:00", to: "22:00")], sessions: 1, duration: 120, weeks: weeks)
        let plan = try instance.plan()
        #expect(plan.sessions.count == weeks)
        for session in plan.sessions {
            #expect(session.start >= 19 * 60 && session.end <= 22 * 60, "\(ClockTime.text(session.start))-\(ClockTime.text(session.end))")
        }
        #expect(plan.score[.primeTime] == -2 * Double(weeks))
    }

    @Test func sessionsOfAWeekSpreadOverDays() throws {
        let instance = Self.simple(hosts: [SF.host("h1", daily: "00:00", to: "24:00", maxPerDay: 3)], sessions: 3, duration: 60)
        let plan = try instance.plan()
        #expect(Set(plan.sessions.map(\.date)).count == 3)
        #expect(plan.score[.sameDay] == 0)
        Self.check(plan, instance, seed: 0)
    }

    /// Two hosts share the load when they can.
    @Test func loadIsShared() throws {
        let instance = Self.simple(hosts: [SF.host("h1"), SF.host("h2")], sessions: 4, duration: 60)
        let plan = try instance.plan()
        #expect(Dictionary(grouping: plan.sessions, by: \.hostID).mapValues(\.count) == ["h1": 2, "h2": 2])
    }

    /// One host, Monday 19:00–21:00 only: room for one 120-minute session a week.
    @Test func moreSessionsThanRoomAreRefused() throws {
        let host = LivestreamHost(id: "h1", name: "主播", platforms: [.kuaishou], availability: [WeeklyWindow(weekday: 1, start: 1140, end: 1260)])
        let one = try Self.simple(hosts: [host], sessions: 1, duration: 120).plan()
        #expect(one.sessions.map(\.date) == [SF.week.monday])
        #expect(one.sessions.map(\.platform) == [.kuaishou])
        let error = #expect(throws: ValidationFailure.self) { try Self.simple(hosts: [host], sessions: 2, duration: 120).plan() }
        #expect(error?.errors.map(\.field) == ["sessions_per_slot"])
        #expect(error?.errors.first?.message.contains("2020-W37") == true)
    }

    /// A week whose product is certified on no day of it cannot have sessions.
    @Test func productNoLongerCertified() {
        var instance = Self.simple(hosts: [SF.host("h1")], sessions: 1, duration: 60)
        instance.products["p0"]?.certifiedUntil = SF.week.monday.adding(days: -1)
        let error = #expect(throws: ValidationFailure.self) { try instance.plan() }
        #expect(error?.errors.map(\.field) == ["rotation_id"])
        // Certified through Monday: the session goes on Monday.
        instance.products["p0"]?.certifiedUntil = SF.week.monday
        #expect((try? instance.plan())?.sessions.map(\.date) == [SF.week.monday])
    }

    @Test(arguments: [(0, "sessions_per_slot"), (29, "sessions_per_slot")])
    func sessionsPerSlotOutOfRange(sessions: Int, field: String) {
        let error = #expect(throws: ValidationFailure.self) { try Self.simple(hosts: [SF.host("h1")], sessions: sessions, duration: 60).plan() }
        #expect(error?.errors.map(\.field) == [field])
    }
}
