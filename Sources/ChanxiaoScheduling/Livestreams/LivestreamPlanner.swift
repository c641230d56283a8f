import ChanxiaoCore
import Foundation

/// A request to give every featured week of a rotation its livestreams.
public struct LivestreamPlanRequest: Sendable {
    /// The featured weeks: the week and the product shown.
    public var slots: [(week: IsoWeek, productID: String)]
    public var sessionsPerSlot: Int
    public var durationMinutes: Int

    public init(slots: [(week: IsoWeek, productID: String)], sessionsPerSlot: Int, durationMinutes: Int) {
        self.slots = slots
        self.sessionsPerSlot = sessionsPerSlot
        self.durationMinutes = durationMinutes
    }
}

/// The soft terms of a livestream plan. Points: lower is better; rewards are negative.
public enum LivestreamTerm: String, Sendable, CaseIterable {
    case primeTime = "prime_time"
    case sameDay = "same_day"
    case hostLoad = "host_load"
}

public struct PlannedSession: Sendable, Equatable {
    public var week: IsoWeek
    public var productID: String
    public var hostID: String
    public var platform: LivestreamPlatform
    public var date: CalendarDate
    /// Local minutes after midnight.
    public var start: Int
    public var end: Int
    public var startsAt: Date
    public var endsAt: Date
    public var reasons: [String]
}

public struct LivestreamPlan: Sendable, Equatable {
    public var sessions: [PlannedSession]
    public var score: [LivestreamTerm: Double]
    public var total: Double
    /// No plan of these sessions can score below this (each term at its own best).
    public var bound: Double
    public var optimal: Bool { total <= bound }
}

/// Assigns hosts and start times to the sessions of every featured week.
///
/// Hard: each session lies inside its host's availability on a day of its week, never
/// overlaps the host's other sessions, keeps the host within its daily maximum, and shows a
/// product certified that day. Host-days are independent, and on one host-day the most
/// sessions of equal length that fit is found by packing from the earliest start; so the
/// total capacity of a week is exact. The greedy choice (cheapest marginal points) only takes a
/// place that keeps enough capacity for the sessions still to place, so it never gets stuck
/// where a plan exists; local search then moves sessions while the total falls.
public enum LivestreamPlanner {
    public static func plan(
        _ request: LivestreamPlanRequest,
        hosts: [LivestreamHost],
        booked: [Livestream],
        products: [String: Product],
        suppliers: [String: Supplier],
        settings: SchedulingSettings.Livestreams,
        zone: TimeZone
    ) throws -> LivestreamPlan {
        var errors: [FieldError] = []
        if !(1...28).contains(request.sessionsPerSlot) { errors.append(FieldError(field: "sessions_per_slot", message: "must be from 1 to 28")) }
        if !(15...settings.maxDurationMinutes).contains(request.durationMinutes) {
            errors.append(
                FieldError(
                    field: "duration_minutes",
                    message: "must be from 15 to \(settings.maxDurationMinutes) (scheduling.livestreams.max_duration_minutes)"
                )
            )
        }
        if hosts.isEmpty { errors.append(FieldError(field: "rotation_id", message: "there are no hosts to present the sessions; add hosts first")) }
        if !errors.isEmpty { throw ValidationFailure(errors) }

        var state = PlanState(
            hosts: hosts.sorted { $0.id < $1.id },
            booked: booked,
            settings: settings,
            zone: zone,
            duration: request.durationMinutes
        )
        var bound: Int64 = 0
        for slot in request.slots.sorted(by: { $0.week < $1.week }) {
            let days = (0..<7).map { slot.week.monday.adding(days: $0) }.filter { day in
                guard let product = products[slot.productID], product.isCertified(on: day) else { return false }
                return !(suppliers[product.supplierID]?.blacklisted ?? true)
            }
            if days.isEmpty {
                throw ValidationFailure(
                    field: "rotation_id",
                    message:
                        "the product \(slot.productID) featured in \(slot.week) is no longer a certified poverty product of a supplier in good standing; edit the slot first"
                )
            }
            let capacity = state.capacity(days: days)
            if capacity < request.sessionsPerSlot {
                throw ValidationFailure(
                    field: "sessions_per_slot",
                    message:
                        "\(slot.week) has room for only \(capacity) \(capacity == 1 ? "session" : "sessions") of \(request.durationMinutes) minutes (hosts' availability, daily maximums and existing bookings); ask for fewer or shorter sessions, or add host availability"
                )
            }
            bound +=
                state.primeBound(days: days, count: request.sessionsPerSlot)
                + Points.of(settings.sameDayWeight) * pairs(request.sessionsPerSlot, over: state.daysWithRoom(days))
            for remaining in stride(from: request.sessionsPerSlot, to: 0, by: -1) {
                guard let choice = state.cheapestFeasible(days: days, remaining: remaining, week: slot.week) else {
                    throw ValidationFailure(field: "sessions_per_slot", message: "\(slot.week): no place left for a session")
                }
                state.add(choice, week: slot.week, productID: slot.productID, days: days)
            }
        }
        bound += Points.of(settings.hostLoadWeight) * pairs(state.chosen.count, over: hosts.count)
        state.improve()
        return state.result(bound: bound)
    }

    /// The fewest pairs of `count` items spread over `bins` bins (as evenly as possible).
    static func pairs(_ count: Int, over bins: Int) -> Int64 {
        guard bins > 0 else { return 0 }
        let base = count / bins
        let extra = count % bins
        return Int64(extra * (base + 1) * base / 2 + (bins - extra) * base * (base - 1) / 2)
    }
}

/// A place a session can go: a host, a day and a start.
struct Place: Equatable {
    var host: Int
    var day: CalendarDate
    var start: Int
}

struct PlanState {
    let hosts: [LivestreamHost]
    let settings: SchedulingSettings.Livestreams
    let zone: TimeZone
    let duration: Int
    /// Booked time per host and day, in local minutes: existing sessions and placed ones.
    var busy: [Int: [CalendarDate: [Range<Int>]]] = [:]
    var sessionsOn: [Int: [CalendarDate: Int]] = [:]
    /// Placed sessions per week and day, and per host: what the soft terms count.
    var weekDay: [IsoWeek: [CalendarDate: Int]] = [:]
    var load: [Int: Int] = [:]
    /// The sessions placed so far, with the days their product may be shown.
    var chosen: [(place: Place, week: IsoWeek, productID: String, days: [CalendarDate])] = []

    init(hosts: [LivestreamHost], booked: [Livestream], settings: SchedulingSettings.Livestreams, zone: TimeZone, duration: Int) {
        self.hosts = hosts
        self.settings = settings
        self.zone = zone
        self.duration = duration
        let index = Dictionary(uniqueKeysWithValues: hosts.enumerated().map { ($0.element.id, $0.offset) })
        for session in booked where session.status == .scheduled {
            guard let h = index[session.hostID] else { continue }
            let (day, start, end) = LocalTime.minutes(from: session.startsAt, to: session.endsAt, in: zone)
            busy[h, default: [:]][day, default: []].append(start..<min(end, 1440))
            if end > 1440 { busy[h, default: [:]][day.adding(days: 1), default: []].append(0..<(end - 1440)) }
            sessionsOn[h, default: [:]][day, default: 0] += 1
        }
    }

    /// Grid starts where a session fits in the free time of host `h` on `day`.
    func starts(_ h: Int, _ day: CalendarDate) -> [Int] {
        guard sessionsOn[h]?[day] ?? 0 < hosts[h].maxSessionsPerDay else { return [] }
        return gridStarts(in: free(h, day), packed: false)
    }

    /// How many more sessions fit on a host-day (with `extra` booked too): packing from the
    /// earliest start is optimal for sessions of equal length; capped by the daily maximum.
    func room(_ h: Int, _ day: CalendarDate, extra: Range<Int>? = nil) -> Int {
        let left = hosts[h].maxSessionsPerDay - (sessionsOn[h]?[day] ?? 0) - (extra == nil ? 0 : 1)
        guard left > 0 else { return 0 }
        return min(gridStarts(in: free(h, day, extra: extra), packed: true).count, left)
    }

    /// The host's available time on `day` not yet booked.
    func free(_ h: Int, _ day: CalendarDate, extra: Range<Int>? = nil) -> [Range<Int>] {
        MinuteRanges.subtract(hosts[h].windows(on: day), (busy[h]?[day] ?? []) + (extra.map { [$0] } ?? []))
    }

    /// Starts on the grid where a session fits in `windows`: every one, or (`packed`) one
    /// after another without overlap, earliest first.
    func gridStarts(in windows: [Range<Int>], packed: Bool) -> [Int] {
        let step = settings.startStepMinutes
        func onGrid(_ minute: Int) -> Int { (minute + step - 1) / step * step }
        var result: [Int] = []
        for window in windows {
            var start = onGrid(window.lowerBound)
            while start + duration <= window.upperBound {
                result.append(start)
                start = packed ? onGrid(start + duration) : start + step
            }
        }
        return result
    }

    func capacity(days: [CalendarDate]) -> Int {
        hosts.indices.reduce(0) { sum, h in sum + days.reduce(0) { $0 + room(h, $1) } }
    }

    func daysWithRoom(_ days: [CalendarDate]) -> Int {
        days.filter { day in hosts.indices.contains { room($0, day) > 0 } }.count
    }

    func primePoints(_ start: Int) -> Int64 {
        let session = start..<(start + duration)
        let inside = settings.primeTime.reduce(0) { $0 + max(0, min($1.upperBound, session.upperBound) - max($1.lowerBound, session.lowerBound)) }
        return -Points.of(settings.primeTimeWeight) * Int64(min(inside, duration)) / Int64(duration)
    }

    /// The best prime-time points `count` sessions could get in these days, ignoring each other.
    func primeBound(days: [CalendarDate], count: Int) -> Int64 {
        var best: Int64 = 0
        for h in hosts.indices { for day in days { for start in starts(h, day) { best = min(best, primePoints(start)) } } }
        return best * Int64(count)
    }

    /// Points a session at `place` adds to those placed.
    func marginal(_ place: Place, week: IsoWeek) -> Int64 {
        primePoints(place.start) + Points.of(settings.sameDayWeight) * Int64(weekDay[week]?[place.day] ?? 0)
            + Points.of(settings.hostLoadWeight) * Int64(load[place.host] ?? 0)
    }

    /// The cheapest place that leaves room for the `remaining - 1` sessions after it.
    func cheapestFeasible(days: [CalendarDate], remaining: Int, week: IsoWeek) -> Place? {
        let total = capacity(days: days)
        var best: (place: Place, points: Int64)?
        for h in hosts.indices {
            for day in days {
                let before = room(h, day)
                for start in starts(h, day) {
                    let place = Place(host: h, day: day, start: start)
                    let points = marginal(place, week: week)
                    if let best, best.points <= points { continue }
                    let after = room(h, day, extra: start..<(start + duration))
                    if total - before + after >= remaining - 1 { best = (place, points) }
                }
            }
        }
        return best?.place
    }

    mutating func book(_ place: Place, week: IsoWeek, _ delta: Int) {
        if delta > 0 {
            busy[place.host, default: [:]][place.day, default: []].append(place.start..<(place.start + duration))
        } else if let index = busy[place.host]?[place.day]?.firstIndex(of: place.start..<(place.start + duration)) {
            busy[place.host]![place.day]!.remove(at: index)
        }
        sessionsOn[place.host, default: [:]][place.day, default: 0] += delta
        weekDay[week, default: [:]][place.day, default: 0] += delta
        load[place.host, default: 0] += delta
    }

    mutating func add(_ place: Place, week: IsoWeek, productID: String, days: [CalendarDate]) {
        book(place, week: week, 1)
        chosen.append((place, week, productID, days))
    }

    /// Moves single sessions to cheaper places (same week, any host) while the total falls.
    mutating func improve() {
        for _ in 0..<20 {
            var improved = false
            for n in chosen.indices {
                let entry = chosen[n]
                book(entry.place, week: entry.week, -1)
                let current = marginal(entry.place, week: entry.week)
                var best = (place: entry.place, points: current)
                for h in hosts.indices {
                    for day in entry.days {
                        for start in starts(h, day) {
                            let place = Place(host: h, day: day, start: start)
                            let points = marginal(place, week: entry.week)
                            if points < best.points { best = (place, points) }
                        }
                    }
                }
                if best.place != entry.place {
                    chosen[n].place = best.place
                    improved = true
                }
                book(best.place, week: entry.week, 1)
            }
            if !improved { break }
        }
    }

    func result(bound: Int64) -> LivestreamPlan {
        var score: [LivestreamTerm: Int64] = Dictionary(uniqueKeysWithValues: LivestreamTerm.allCases.map { ($0, 0) })
        var sessions: [PlannedSession] = []
        var hostSeen: [Int: Int] = [:]
        var daySeen: [String: Int] = [:]
        let order = chosen.indices.sorted { a, b in
            let x = chosen[a].place
            let y = chosen[b].place
            return (x.day, x.start, hosts[x.host].id) < (y.day, y.start, hosts[y.host].id)
        }
        for n in order {
            let entry = chosen[n]
            let host = hosts[entry.place.host]
            let prime = primePoints(entry.place.start)
            let dayKey = "\(entry.week)|\(entry.place.day)"
            let sameDay = daySeen[dayKey, default: 0]
            let earlier = hostSeen[entry.place.host, default: 0]
            daySeen[dayKey] = sameDay + 1
            hostSeen[entry.place.host] = earlier + 1
            score[.primeTime]! += prime
            score[.sameDay]! += Points.of(settings.sameDayWeight) * Int64(sameDay)
            score[.hostLoad]! += Points.of(settings.hostLoadWeight) * Int64(earlier)
            let end = entry.place.start + duration
            let onDay = weekDay[entry.week]?[entry.place.day] ?? 1
            let reasons = [
                prime < 0
                    ? "in prime time (\(ClockTime.text(entry.place.start))-\(ClockTime.text(end)))"
                    : "outside prime time: no prime-time place suited the plan better",
                onDay == 1 ? "the week's only session on \(entry.place.day)" : "\(onDay) of the week's sessions on \(entry.place.day)",
                "host \(host.id) is available then and presents \(load[entry.place.host] ?? 0) sessions of this plan",
            ]
            let startsAt = LocalTime.instant(entry.place.day, minute: entry.place.start, in: zone)
            sessions.append(
                PlannedSession(
                    week: entry.week,
                    productID: entry.productID,
                    hostID: host.id,
                    platform: host.platforms[0],
                    date: entry.place.day,
                    start: entry.place.start,
                    end: end,
                    startsAt: startsAt,
                    endsAt: startsAt.addingTimeInterval(Double(duration * 60)),
                    reasons: reasons
                )
            )
        }
        let total = score.values.reduce(0, +)
        return LivestreamPlan(
            sessions: sessions,
            score: score.mapValues(Points.value),
            total: Points.value(total),
            bound: Points.value(min(bound, total))
        )
    }
}
