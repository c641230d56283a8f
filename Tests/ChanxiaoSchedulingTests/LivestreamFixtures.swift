import ChanxiaoCore
import ChanxiaoDemo
import Foundation

@testable import ChanxiaoScheduling

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

    static func make(
        seed: UInt64,
        hosts hostRange: ClosedRange<Int> = 1...3,
        weeks weekRange: ClosedRange<Int> = 1...3,
        sessions sessionRange: ClosedRange<Int> = 1...5,
        days dayChance: Int = 3,
        bookings bookingRange: ClosedRange<Int> = 0...8,
        durations: [Int] = [30, 45, 60, 90, 120]
    ) -> LivestreamInstance {
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
                    let start = random.int(24...84) * 15  // 06:00 to 21:00, on quarter hours
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
            hosts.append(
                LivestreamHost(
                    id: "h\(h)",
                    name: "主播\(h)",
                    platforms: platforms,
                    availability: weekly,
                    unavailable: unavailable,
                    extraAvailability: extra,
                    maxSessionsPerDay: random.int(1...3)
                )
            )
        }
        // Existing bookings, each within one local day; some cancelled, some of a host not planned.
        var booked: [Livestream] = []
        for b in 0..<random.int(bookingRange) {
            let day = random.pick(days)
            let start = random.int(32...88) * 15
            let end = min(1440, start + random.int(2...8) * 15)
            let hostID = random.chance(1, in: 8) ? "hOther" : "h\(random.int(0...(max(hosts.count, 1) - 1)))"
            booked.append(
                Livestream(
                    id: "b\(b)",
                    hostID: hostID,
                    platform: .douyin,
                    startsAt: LocalTime.instant(day, minute: start, in: SF.zone),
                    endsAt: LocalTime.instant(day, minute: end, in: SF.zone),
                    productIDs: ["p0"],
                    status: random.chance(1, in: 5) ? .cancelled : .scheduled,
                    createdAt: Date(timeIntervalSince1970: 0),
                    updatedAt: Date(timeIntervalSince1970: 0)
                )
            )
        }
        return LivestreamInstance(
            hosts: hosts,
            booked: booked,
            products: products,
            suppliers: suppliers,
            slots: slots,
            sessionsPerSlot: random.int(sessionRange),
            duration: random.pick(durations)
        )
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
                let supplier = instance.suppliers[product.supplierID], !supplier.blacklisted
            else { return false }
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
        return [
            .primeTime: prime, .sameDay: 3000 * pairs(sessions.map { "\($0.week) \($0.day)" }),
            .hostLoad: 1000 * pairs(sessions.map(\.host)),
        ]
    }
}
