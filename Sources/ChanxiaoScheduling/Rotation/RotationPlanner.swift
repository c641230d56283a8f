import ChanxiaoCore

/// Plans 一县一品一周: one county and one of its products per week at a venue.
///
/// The hard rules are never broken: each slot's product passes `FeatureRules`, a county appears
/// at most once per cycle (as many weeks as there are candidate counties), pinned slots stay,
/// blackout weeks stay empty, and every other week is filled — or the request is refused with
/// the conflict named. The soft terms that depend on one slot alone (priority, slow-moving,
/// keeping published slots) make an assignment problem per cycle, solved exactly; the
/// category-repeat term, which links neighbouring weeks, is then lowered by local search. The
/// assignment optimum is a lower bound, reported with the plan.
public enum RotationPlanner {
    public static func plan(
        _ request: RotationRequest,
        catalog: RotationCatalog,
        state: RotationState = RotationState(),
        settings: SchedulingSettings.Rotation = .init()
    ) throws -> RotationPlan {
        var problem = try RotationProblem(request, catalog: catalog, state: state, settings: settings)
        let bound = try problem.assign()
        problem.improveSequence()
        return problem.plan(bound: bound)
    }
}

/// One planning run: the candidates, the week grid and the assignment being improved.
struct RotationProblem {
    let request: RotationRequest
    let catalog: RotationCatalog
    let state: RotationState
    let settings: SchedulingSettings.Rotation
    let weeks: [IsoWeek]
    let candidates: [String]
    let cycleLength: Int
    let blackout: Set<Int>
    /// Pinned week index → the pin.
    let pins: [Int: RotationRequest.Pin]
    /// Per candidate and week: its eligible products, best first (empty when it cannot be featured).
    var options: [[[Product]]]
    /// Per week: candidate index and product, once assigned.
    var slots: [(county: Int, product: Product)?]

    init(_ request: RotationRequest, catalog: RotationCatalog, state: RotationState, settings: SchedulingSettings.Rotation) throws {
        self.request = request
        self.catalog = catalog
        self.state = state
        self.settings = settings
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

        if !(1...RotationRequest.maxWeeks).contains(request.weeks) {
            fail("weeks", "must be from 1 to \(RotationRequest.maxWeeks)")
            throw ValidationFailure(errors)
        }
        weeks = request.planWeeks
        let index = Dictionary(uniqueKeysWithValues: weeks.enumerated().map { ($0.element, $0.offset) })
        var blackout: Set<Int> = []
        for (n, week) in request.blackoutWeeks.enumerated() {
            guard let t = index[week] else {
                fail("blackout_weeks[\(n)]", "\(week) is not one of the plan's weeks (\(weeks[0]) to \(weeks.last!))")
                continue
            }
            blackout.insert(t)
        }
        self.blackout = blackout

        var candidates: [String] = []
        if let codes = request.countyCodes {
            for (n, code) in codes.enumerated() {
                if catalog.counties[code] == nil { fail("county_codes[\(n)]", "no county with code \(code)") }
            }
            candidates = codes.uniqued()
        } else {
            candidates = catalog.counties.values.filter { settings.eligibleStatuses.contains($0.povertyStatus) }.map(\.code).sorted()
        }

        var pins: [Int: RotationRequest.Pin] = [:]
        for (n, pin) in request.pinned.enumerated() {
            let field = "pinned[\(n)]"
            guard let t = index[pin.week] else {
                fail("\(field).week", "\(pin.week) is not one of the plan's weeks (\(weeks[0]) to \(weeks.last!))")
                continue
            }
            if blackout.contains(t) {
                fail("\(field).week", "\(pin.week) is a blackout week and must stay empty")
                continue
            }
            if let other = pins[t] {
                fail("\(field).week", "\(pin.week) is already pinned to county \(other.countyCode)")
                continue
            }
            guard catalog.counties[pin.countyCode] != nil else {
                fail("\(field).county_code", "no county with code \(pin.countyCode)")
                continue
            }
            guard let product = catalog.products[pin.productID] else {
                fail("\(field).product_id", "no product with id \(pin.productID)")
                continue
            }
            if product.countyCode != pin.countyCode {
                fail("\(field).product_id", "product \(product.id) is from county \(product.countyCode), not \(pin.countyCode)")
                continue
            }
            if let problem = FeatureRules.problem(product, supplier: catalog.suppliers[product.supplierID], week: pin.week, venue: request.venue) {
                fail(
                    "\(field).product_id",
                    "product \(product.id) cannot be featured in \(pin.week): "
                        + FeatureRules.explain(problem, product, week: pin.week, venue: request.venue)
                )
                continue
            }
            pins[t] = pin
            if !candidates.contains(pin.countyCode) { candidates.append(pin.countyCode) }
        }
        if candidates.isEmpty {
            fail(
                request.countyCodes == nil ? "county_codes" : "county_codes",
                request.countyCodes == nil
                    ? "no county has an eligible poverty status; name the counties to rotate through" : "must name at least one county"
            )
        }
        // Pins of one county within one cycle break the once-per-cycle rule.
        let cycle = max(candidates.count, 1)
        var pinnedIn: [String: Int] = [:]
        for (n, pin) in request.pinned.enumerated() {
            guard let t = index[pin.week], pins[t] == pin else { continue }
            let key = "\(pin.countyCode)#\(t / cycle)"
            if let first = pinnedIn[key] {
                fail(
                    "pinned[\(n)].county_code",
                    "county \(pin.countyCode) is already pinned to \(weeks[first]); a county appears at most once every \(cycle) weeks (the number of candidate counties)"
                )
            } else {
                pinnedIn[key] = t
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }

        self.candidates = candidates
        self.cycleLength = cycle
        self.pins = pins
        let weeks = self.weeks
        // FeatureRules in its two parts: the standing one once per product, the weekly one (a few
        // comparisons) per product and week, since this loop meets every product each week.
        let spans = weeks.map { (week: $0, span: FeatureRules.WeekSpan($0)) }
        let slow = state.slowMoving
        // Best product first: slow-moving, then the largest capacity; sorted once per county.
        let options: [[[Product]]] = candidates.map { code in
            let products = (catalog.productsByCounty[code] ?? []).filter { product in
                FeatureRules.standingProblem(product, supplier: catalog.suppliers[product.supplierID], venue: request.venue) == nil
            }.map { (product: $0, slow: slow.contains($0.id)) }.sorted { a, b in
                if a.slow != b.slow { return a.slow }
                if a.product.weeklyCapacity != b.product.weeklyCapacity { return a.product.weeklyCapacity > b.product.weeklyCapacity }
                return a.product.id < b.product.id
            }
            return spans.map { span in
                var eligible = products.filter { FeatureRules.weeklyProblem($0.product, span.span) == nil }
                // The product published for the week goes first among equals, so a kept week keeps its product.
                if let published = state.published[span.week]?.productID, let index = eligible.firstIndex(where: { $0.product.id == published }) {
                    let item = eligible.remove(at: index)
                    eligible.insert(item, at: eligible.firstIndex { item.slow || !$0.slow } ?? eligible.endIndex)
                }
                return eligible.map(\.product)
            }
        }
        self.options = options
        slots = Array(repeating: nil, count: weeks.count)
        let candidateIndex = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($0.element, $0.offset) })
        for (t, pin) in pins { slots[t] = (candidateIndex[pin.countyCode]!, catalog.products[pin.productID]!) }
    }

    // MARK: Points

    func cycle(of t: Int) -> Int { t / cycleLength }

    func priorityPoints(_ c: Int, week t: Int) -> Int64 {
        guard let county = catalog.counties[candidates[c]] else { return 0 }
        var weight = 0.0
        if county.povertyStatus == .deep { weight += settings.deepPovertyWeight }
        if county.isPaired(withBuyerRegion: request.venue.regionCode) { weight += settings.pairedWeight }
        // Earlier weeks earn more; every placed priority county earns something.
        return -Points.of(weight) * Int64(weeks.count - t) / Int64(weeks.count)
    }

    func productPoints(_ product: Product, week t: Int) -> Int64 {
        state.slowMoving.contains(product.id) ? -Points.of(settings.slowMovingWeight) : 0
    }

    func keepPoints(_ c: Int, week t: Int) -> Int64 {
        state.published[weeks[t]]?.countyCode == candidates[c] ? -Points.of(settings.keepPublishedWeight) : 0
    }

    /// The points of a slot that depend on it alone.
    func slotPoints(_ c: Int, _ product: Product, week t: Int) -> Int64 {
        priorityPoints(c, week: t) + productPoints(product, week: t) + keepPoints(c, week: t)
    }

    func repeatPoints(_ t: Int, in slots: [(county: Int, product: Product)?]) -> Int64 {
        guard t > 0, let a = slots[t - 1], let b = slots[t], a.product.category == b.product.category else { return 0 }
        return Points.of(settings.categoryRepeatWeight)
    }

    // MARK: Assignment

    /// Fills the open weeks of each cycle by an exact assignment; returns the optimum of the
    /// one-slot terms over the whole plan (pins included), a lower bound for any plan.
    mutating func assign() throws -> Int64 {
        var bound: Int64 = 0
        for (t, slot) in slots.enumerated() { if let slot { bound += slotPoints(slot.county, slot.product, week: t) } }
        let cycles = (weeks.count + cycleLength - 1) / cycleLength
        var errors: [FieldError] = []
        for k in 0..<cycles {
            let range = (k * cycleLength)..<min(weeks.count, (k + 1) * cycleLength)
            let rows = range.filter { !blackout.contains($0) && pins[$0] == nil }
            if rows.isEmpty { continue }
            let pinnedCounties = Set(range.compactMap { pins[$0] }.map(\.countyCode))
            let columns = candidates.indices.filter { !pinnedCounties.contains(candidates[$0]) }
            let costs: [[Int64?]] = rows.map { t in
                columns.map { c in options[c][t].first.map { slotPoints(c, $0, week: t) } }
            }
            switch Assignment(costs: costs, columns: columns.count).solve() {
            case .success(let columnOf):
                for (r, t) in rows.enumerated() {
                    let c = columns[columnOf[r]]
                    slots[t] = (c, options[c][t][0])
                    bound += costs[r][columnOf[r]]!
                }
            case .failure(let shortage):
                errors.append(
                    FieldError(
                        field: "weeks",
                        message: shortageMessage(
                            shortage.rows.map { rows[$0] },
                            counties: shortage.columns.map { columns[$0] },
                            pinned: pinnedCounties
                        )
                    )
                )
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return bound
    }

    func shortageMessage(_ rows: [Int], counties: [Int], pinned: Set<String>) -> String {
        let weekList = rows.map { weeks[$0].description }.joined(separator: ", ")
        if counties.isEmpty, let t = rows.first {
            // Count why each candidate fails this week.
            var reasons: [String: Int] = [:]
            for (c, code) in candidates.enumerated() {
                let reason: String
                if pinned.contains(code) {
                    reason = "already pinned in this cycle"
                } else if options[c][t].isEmpty,
                    let problem = FeatureRules.countyProblem(code, catalog: catalog, week: weeks[t], venue: request.venue)
                {
                    reason = FeatureRules.describe(problem, week: nil, venue: request.venue)
                } else {
                    continue
                }
                reasons[reason, default: 0] += 1
            }
            let summary = reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \($0.value == 1 ? "county" : "counties"): \($0.key)" }.joined(separator: "; ")
            return
                "no candidate county can be featured in \(weekList) (\(summary)); make it a blackout week, add counties, or lower the venue's featured_weekly_volume"
        }
        let names = counties.map { c in "\(candidates[c]) \(catalog.counties[candidates[c]]?.name ?? "")" }.joined(separator: ", ")
        return
            "weeks \(weekList) can only be filled by \(counties.count) \(counties.count == 1 ? "county" : "counties") (\(names)), fewer than the weeks; add counties, make some of them blackout weeks, or lower the venue's featured_weekly_volume"
    }

    // MARK: Local search

    /// Lowers the category-repeat term by first-improvement moves that keep every hard rule:
    /// another product of the same county, swapping two weeks, or bringing in a county not yet
    /// featured in the cycle.
    mutating func improveSequence() {
        guard settings.categoryRepeatWeight > 0 else { return }
        for _ in 0..<settings.searchPasses {
            var improved = false
            for t in weeks.indices where slots[t] != nil && pins[t] == nil {
                guard repeatPoints(t, in: slots) > 0 || (t + 1 < weeks.count && repeatPoints(t + 1, in: slots) > 0) else { continue }
                if tryMoves(at: t) { improved = true }
            }
            if !improved { break }
        }
    }

    /// Tries the moves at week `t`; applies the first that lowers the total.
    private mutating func tryMoves(at t: Int) -> Bool {
        guard let current = slots[t] else { return false }
        // Another product of the same county.
        for product in options[current.county][t] where product.id != current.product.id {
            if apply([(t, (current.county, product))]) { return true }
        }
        // Swap with another week (each county keeps within its cycle rule).
        for u in weeks.indices where u != t && pins[u] == nil {
            guard let other = slots[u], let a = options[current.county][u].first, let b = options[other.county][t].first else { continue }
            if cycle(of: t) != cycle(of: u) && (featured(current.county, inCycleOf: u) || featured(other.county, inCycleOf: t)) { continue }
            if apply([(t, (other.county, b)), (u, (current.county, a))]) { return true }
        }
        // A county not yet featured in this cycle.
        for c in candidates.indices where !options[c][t].isEmpty && !featured(c, inCycleOf: t) {
            for product in options[c][t] where apply([(t, (c, product))]) { return true }
        }
        return false
    }

    func featured(_ c: Int, inCycleOf t: Int) -> Bool {
        let k = cycle(of: t)
        return (k * cycleLength..<min(weeks.count, (k + 1) * cycleLength)).contains { slots[$0]?.county == c }
    }

    /// Applies `changes` when they lower the total points; reports whether it did.
    private mutating func apply(_ changes: [(Int, (county: Int, product: Product))]) -> Bool {
        var touched: Set<Int> = []
        for (t, _) in changes {
            touched.insert(t)
            if t + 1 < weeks.count { touched.insert(t + 1) }
        }
        func points(_ slots: [(county: Int, product: Product)?]) -> Int64 {
            var sum: Int64 = 0
            for (t, _) in changes { if let slot = slots[t] { sum += slotPoints(slot.county, slot.product, week: t) } }
            for t in touched { sum += repeatPoints(t, in: slots) }
            return sum
        }
        var candidate = slots
        for (t, slot) in changes { candidate[t] = slot }
        guard points(candidate) < points(slots) else { return false }
        slots = candidate
        return true
    }

    // MARK: Result

    func plan(bound: Int64) -> RotationPlan {
        var result: [RotationSlot] = []
        var score: [RotationTerm: Int64] = Dictionary(uniqueKeysWithValues: RotationTerm.allCases.map { ($0, 0) })
        for (t, slot) in slots.enumerated() {
            guard let slot else { continue }
            let code = candidates[slot.county]
            let county = catalog.counties[code]
            var points: [RotationTerm: Int64] = [
                .priority: priorityPoints(slot.county, week: t),
                .slowMoving: state.slowMoving.contains(slot.product.id) ? -Points.of(settings.slowMovingWeight) : 0,
                .keepPublished: keepPoints(slot.county, week: t),
                .categoryRepeat: repeatPoints(t, in: slots),
            ]
            for (term, value) in points { score[term, default: 0] += value }
            points = points.filter { $0.value != 0 }
            var reasons: [String] = []
            if pins[t] != nil { reasons.append("pinned by the organizer") }
            if county?.povertyStatus == .deep { reasons.append("deep-poverty county, placed early") }
            if county?.isPaired(withBuyerRegion: request.venue.regionCode) == true {
                reasons.append("paired with the venue's region \(request.venue.regionCode), placed early")
            }
            if state.published[weeks[t]]?.countyCode == code { reasons.append("kept where the published plan has it") }
            if state.slowMoving.contains(slot.product.id) { reasons.append("\(slot.product.name) is slow-moving") }
            if reasons.isEmpty { reasons.append("eligible this week; no county with a stronger claim was free") }
            let certified = slot.product.certifiedUntil.map { "certified until \($0)" } ?? "certified"
            reasons.append(
                "\(slot.product.name): \(certified), in season, weekly capacity \(slot.product.weeklyCapacity) ≥ \(request.venue.featuredWeeklyVolume)"
            )
            if repeatPoints(t, in: slots) > 0 { reasons.append("same category as the week before: no better choice kept every rule") }
            result.append(
                RotationSlot(
                    week: weeks[t],
                    countyCode: code,
                    productID: slot.product.id,
                    category: slot.product.category,
                    pinned: pins[t] != nil,
                    reasons: reasons,
                    points: points.mapValues(Points.value)
                )
            )
        }
        let placed = Set(slots.compactMap { $0?.county })
        let open = weeks.indices.filter { !blackout.contains($0) && pins[$0] == nil }
        let unplaced = candidates.indices.filter { !placed.contains($0) }.map { c -> UnplacedCounty in
            let eligibleWeeks = open.filter { !options[c][$0].isEmpty }
            if eligibleWeeks.isEmpty {
                let problem =
                    weeks.indices.compactMap { FeatureRules.countyProblem(candidates[c], catalog: catalog, week: weeks[$0], venue: request.venue) }
                    .max() ?? .noProducts
                return UnplacedCounty(
                    countyCode: candidates[c],
                    reason: "cannot be featured in any open week: " + FeatureRules.describe(problem, week: nil, venue: request.venue)
                )
            }
            return UnplacedCounty(
                countyCode: candidates[c],
                reason:
                    "eligible in \(eligibleWeeks.count) open \(eligibleWeeks.count == 1 ? "week" : "weeks"), which went to counties with a stronger claim (\(candidates.count) candidate counties, \(open.count) open weeks)"
            )
        }
        let total = score.values.reduce(0, +)
        return RotationPlan(
            slots: result,
            unplaced: unplaced,
            blackoutWeeks: blackout.sorted().map { weeks[$0] },
            cycleLength: cycleLength,
            candidateCount: candidates.count,
            score: score.mapValues(Points.value),
            total: Points.value(total),
            bound: Points.value(min(bound, total))
        )
    }
}
