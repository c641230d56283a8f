import ChanxiaoCore
import ChanxiaoDemo
import Foundation

@testable import ChanxiaoScheduling

/// Draws for test instances, on the demo's seeded generator.
extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { Int.random(in: 0..<denominator, using: &self) < numerator }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// Builders for the scheduling tests.
enum SF {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// Monday 2020-09-07 to Sunday 2020-09-13.
    static let week = IsoWeek("2020-W37")!
    static let venueRegion = "440300"  // 深圳市
    static let farFuture = CalendarDate(year: 2030, month: 12, day: 31)!

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func week(_ text: String) -> IsoWeek { IsoWeek(text)! }

    /// The instant at local time `hhmm` ("19:30") of `day` in Asia/Shanghai.
    static func at(_ day: String, _ hhmm: String) -> Date {
        LocalTime.instant(date(day), minute: ClockTime.minutes(hhmm)!, in: zone)
    }

    static func venue(volume: Int = 100, region: String = venueRegion) -> Venue {
        Venue(id: "v1", name: "深圳消费扶贫中心", kind: .center, regionCode: region, featuredWeeklyVolume: volume)
    }

    static func county(_ code: String, _ status: PovertyStatus = .national, paired: [String] = []) -> County {
        County(code: code, name: "县\(code)", povertyStatus: status, pairedRegionCodes: paired)
    }

    static func supplier(_ id: String, county: String, blacklisted: Bool = false) -> Supplier {
        Supplier(
            id: id,
            name: id,
            countyCode: county,
            kind: .cooperative,
            blacklisted: blacklisted,
            blacklistReason: blacklisted ? "以次充好" : nil,
            blacklistedOn: blacklisted ? CalendarDate("2020-08-01") : nil
        )
    }

    /// A product of `supplier` in `county`; certified until 2030 unless told otherwise.
    static func product(
        _ id: String,
        supplier: String,
        county: String,
        category: ProductCategory = .grainOil,
        capacity: Int = 500,
        months: [Int] = [],
        certified: Bool = true,
        certifiedUntil: CalendarDate? = nil
    ) -> Product {
        Product(
            id: id,
            supplierID: supplier,
            countyCode: county,
            name: "品\(id)",
            category: category,
            unit: .kg,
            unitPriceFen: 500,
            weeklyCapacity: capacity,
            seasonMonths: months,
            certificateNo: certified ? "FP-\(id)" : nil,
            certifiedUntil: certified ? (certifiedUntil ?? farFuture) : nil
        )
    }

    /// A host available in the given local window on every day of the week.
    static func host(
        _ id: String,
        platforms: [LivestreamPlatform] = [.douyin],
        daily from: String = "19:00",
        to: String = "22:00",
        maxPerDay: Int = 2,
        unavailable: [DatedWindow] = [],
        extra: [DatedWindow] = []
    ) -> LivestreamHost {
        let start = ClockTime.minutes(from)!
        let end = ClockTime.minutes(to)!
        return LivestreamHost(
            id: id,
            name: "主播\(id)",
            platforms: platforms,
            availability: (1...7).map { WeeklyWindow(weekday: $0, start: start, end: end) },
            unavailable: unavailable,
            extraAvailability: extra,
            maxSessionsPerDay: maxPerDay
        )
    }

    static func livestream(
        _ id: String,
        host: String,
        platform: LivestreamPlatform = .douyin,
        _ day: String,
        _ from: String,
        _ to: String,
        fee: Int = 0,
        products: [String] = ["p1"],
        status: LivestreamStatus = .scheduled
    ) -> Livestream {
        Livestream(
            id: id,
            hostID: host,
            platform: platform,
            startsAt: at(day, from),
            endsAt: at(day, to),
            feeFen: fee,
            productIDs: products,
            status: status,
            createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0)
        )
    }

    static func fair(booths: Int, share: Double = 0.3, perApplicant: Int = 2, id: String = "f1") -> Fair {
        Fair(
            id: id,
            name: "展销会",
            venueID: "v1",
            startsOn: date("2020-10-01"),
            endsOn: date("2020-10-03"),
            boothCount: booths,
            minPovertyShare: share,
            maxBoothsPerApplicant: perApplicant
        )
    }
}

// MARK: - Random rotation instances

/// A rotation catalog and request drawn at random.
struct RotationInstance {
    var counties: [County]
    var suppliers: [Supplier]
    var products: [Product]
    var venue: Venue
    var fromWeek: IsoWeek
    var weeks: Int
    /// nil: every county of an eligible status.
    var countyCodes: [String]?
    var blackout: [IsoWeek]
    var state: RotationState

    var catalog: RotationCatalog { RotationCatalog(counties: counties, suppliers: suppliers, products: products) }
    var planWeeks: [IsoWeek] { (0..<weeks).map { fromWeek.adding(weeks: $0) } }

    func request(pinned: [RotationRequest.Pin] = []) -> RotationRequest {
        RotationRequest(venue: venue, fromWeek: fromWeek, weeks: weeks, countyCodes: countyCodes, pinned: pinned, blackoutWeeks: blackout)
    }
}

enum RandomRotation {
    static let statuses: [PovertyStatus] = [.national, .provincial, .deep, .deep, .national, .lifted, .none]
    /// The venue's own region, a district inside it, and a region elsewhere.
    static let pairings: [[String]] = [[], [], [SF.venueRegion], ["440304"], ["330100"]]

    /// `counties` counties with one or two suppliers each (some blacklisted) and one to
    /// `maxProductsPerSupplier` products per supplier: random categories, some seasonal, some
    /// certificates ending inside the plan, capacities around the venue's featured volume.
    static func make(
        seed: UInt64,
        counties countyRange: ClosedRange<Int>,
        weeks weekRange: ClosedRange<Int>,
        maxProductsPerSupplier: Int = 2,
        blackoutChance: Int = 1,
        publishedChance: Int = 1
    ) -> RotationInstance {
        var random = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 17)
        let volume = 100
        let venue = SF.venue(volume: volume)
        // Start weeks spread over the year so that seasons matter (W01 to W50 of 2020 or 2021).
        let fromWeek = IsoWeek(year: random.pick([2020, 2021]), week: random.int(1...50))!
        let weeks = random.int(weekRange)
        let lastDay = fromWeek.adding(weeks: weeks - 1).sunday

        var counties: [County] = []
        var suppliers: [Supplier] = []
        var products: [Product] = []
        for c in 0..<random.int(countyRange) {
            let code = "52" + String(format: "%04d", 2601 + c)
            counties.append(SF.county(code, random.pick(statuses), paired: random.pick(pairings)))
            for s in 0..<random.int(1...2) {
                let supplierID = "s\(c)-\(s)"
                let blacklisted = random.chance(1, in: 7)
                // Now and then a product whose supplier is missing from the catalog.
                let orphan = random.chance(1, in: 25)
                if !orphan { suppliers.append(SF.supplier(supplierID, county: code, blacklisted: blacklisted)) }
                for p in 0..<random.int(1...maxProductsPerSupplier) {
                    let months: [Int]
                    if random.chance(1, in: 2) {
                        months = []
                    } else {
                        let first = random.int(1...12)
                        let length = random.int(2...9)
                        months = Set((0..<length).map { (first - 1 + $0) % 12 + 1 }).sorted()
                    }
                    let certificate = !random.chance(1, in: 12)
                    var until: CalendarDate? = SF.farFuture
                    if random.chance(1, in: 6) {
                        until = fromWeek.monday.adding(days: random.int(0...(lastDay.daysSinceEpoch - fromWeek.monday.daysSinceEpoch)))
                    }
                    if certificate && random.chance(1, in: 40) { until = nil }  // a number without an end date is not certified
                    // Without a number a product is not certified, whatever date it still carries.
                    if !certificate && random.chance(1, in: 2) { until = nil }
                    // Now and then exactly the venue's volume, which is enough.
                    let capacity = random.chance(1, in: 8) ? volume : random.int((volume * 3 / 4)...(volume * 3))
                    let product = Product(
                        id: "p\(c)-\(s)-\(p)",
                        supplierID: supplierID,
                        countyCode: code,
                        name: "品\(c)\(s)\(p)",
                        category: random.pick(ProductCategory.allCases),
                        unit: .kg,
                        unitPriceFen: 500,
                        weeklyCapacity: capacity,
                        seasonMonths: months,
                        certificateNo: certificate ? "FP-\(c)\(s)\(p)" : nil,
                        certifiedUntil: until
                    )
                    products.append(product)
                }
            }
        }
        let planWeeks = (0..<weeks).map { fromWeek.adding(weeks: $0) }
        var countyCodes: [String]?
        if random.chance(1, in: 2) {
            let chosen = counties.filter { _ in random.chance(4, in: 5) }.map(\.code)
            countyCodes = chosen.isEmpty ? [counties[0].code] : chosen
            if random.chance(1, in: 6), let first = countyCodes?.first { countyCodes?.append(first) }  // a repeated code
        }
        let blackout = planWeeks.filter { _ in random.chance(blackoutChance, in: 6) }
        var published: [IsoWeek: FeaturedChoice] = [:]
        for week in planWeeks where random.chance(publishedChance, in: 3) {
            let product = random.pick(products)
            published[week] = FeaturedChoice(countyCode: product.countyCode, productID: product.id)
        }
        let slow = Set(products.filter { _ in random.chance(1, in: 4) }.map(\.id))
        return RotationInstance(
            counties: counties,
            suppliers: suppliers,
            products: products,
            venue: venue,
            fromWeek: fromWeek,
            weeks: weeks,
            countyCodes: countyCodes,
            blackout: blackout,
            state: RotationState(published: published, slowMoving: slow)
        )
    }
}

// MARK: - The rules and objective of a rotation, written out again for checking

/// The hard rules and soft terms of 一县一品一周, re-implemented from their definitions so that
/// the planner is checked against something other than its own code.
enum RotationOracle {
    /// Why `product` cannot be the featured product of `county` in `week`, or nil when it can.
    static func violation(_ product: Product, county: String, week: IsoWeek, instance: RotationInstance) -> String? {
        if product.countyCode != county { return "product \(product.id) is not of county \(county)" }
        guard let supplier = instance.suppliers.first(where: { $0.id == product.supplierID }) else { return "supplier of \(product.id) unknown" }
        if supplier.blacklisted { return "supplier \(supplier.id) blacklisted" }
        guard product.certificateNo != nil, let until = product.certifiedUntil, until >= week.sunday else {
            return "product \(product.id) not certified on \(week.sunday)"
        }
        for offset in 0..<7 {
            let month = week.monday.adding(days: offset).month
            if !product.seasonMonths.isEmpty && !product.seasonMonths.contains(month) {
                return "product \(product.id) out of season in month \(month)"
            }
        }
        if product.weeklyCapacity < instance.venue.featuredWeeklyVolume { return "product \(product.id) capacity too low" }
        return nil
    }

    static func validProducts(of county: String, week: IsoWeek, instance: RotationInstance) -> [Product] {
        instance.products.filter { violation($0, county: county, week: week, instance: instance) == nil }
    }

    /// The counties the plan rotates through: the request's (each once), or every county of an
    /// eligible status in code order; then the pinned counties not among them.
    static func candidates(_ instance: RotationInstance, pins: [RotationRequest.Pin]) -> [String] {
        var result: [String] = []
        if let codes = instance.countyCodes {
            for code in codes where !result.contains(code) { result.append(code) }
        } else {
            let eligible: Set<PovertyStatus> = [.national, .provincial, .deep]
            result = instance.counties.filter { eligible.contains($0.povertyStatus) }.map(\.code).sorted()
        }
        for pin in pins where !result.contains(pin.countyCode) { result.append(pin.countyCode) }
        return result
    }

    /// Whether some assignment keeps every hard rule: per cycle, a perfect matching of the open
    /// weeks to the counties not pinned in that cycle (Kuhn's augmenting paths).
    static func isFeasible(_ instance: RotationInstance, pins: [RotationRequest.Pin]) -> Bool {
        let weeks = instance.planWeeks
        let candidates = candidates(instance, pins: pins)
        let cycle = max(1, candidates.count)
        let blackout = Set(instance.blackout)
        let pinnedWeeks = Set(pins.map(\.week))
        for start in stride(from: 0, to: weeks.count, by: cycle) {
            let block = Array(weeks[start..<min(weeks.count, start + cycle)])
            let taken = Set(pins.filter { block.contains($0.week) }.map(\.countyCode))
            let open = block.filter { !blackout.contains($0) && !pinnedWeeks.contains($0) }
            let columns = candidates.filter { !taken.contains($0) }
            let allowed = open.map { week in
                columns.indices.filter { !validProducts(of: columns[$0], week: week, instance: instance).isEmpty }
            }
            var owner = [Int](repeating: -1, count: columns.count)
            func augment(_ row: Int, _ seen: inout [Bool]) -> Bool {
                for column in allowed[row] where !seen[column] {
                    seen[column] = true
                    if owner[column] < 0 || augment(owner[column], &seen) {
                        owner[column] = row
                        return true
                    }
                }
                return false
            }
            for row in open.indices {
                var seen = [Bool](repeating: false, count: columns.count)
                if !augment(row, &seen) { return false }
            }
        }
        return true
    }

    /// A slot as the objective sees it.
    struct Slot {
        var week: Int
        var county: String
        var product: Product
    }

    /// The plan's points in thousandths, per term: priority (deep 3, paired 2, scaled by how
    /// early), slow-moving (−1), keeping a published county (−4), consecutive same category (+5).
    static func points(_ slots: [Slot], instance: RotationInstance) -> [RotationTerm: Int64] {
        let weeks = instance.planWeeks
        let n = Int64(weeks.count)
        var score: [RotationTerm: Int64] = [.priority: 0, .slowMoving: 0, .keepPublished: 0, .categoryRepeat: 0]
        let byWeek = Dictionary(uniqueKeysWithValues: slots.map { ($0.week, $0) })
        for slot in slots {
            let county = instance.counties.first { $0.code == slot.county }
            var weight: Int64 = 0
            if county?.povertyStatus == .deep { weight += 3000 }
            if county?.isPaired(withBuyerRegion: instance.venue.regionCode) == true { weight += 2000 }
            score[.priority]! -= weight * (n - Int64(slot.week)) / n
            if instance.state.slowMoving.contains(slot.product.id) { score[.slowMoving]! -= 1000 }
            if instance.state.published[weeks[slot.week]]?.countyCode == slot.county { score[.keepPublished]! -= 4000 }
            if let before = byWeek[slot.week - 1], before.product.category == slot.product.category { score[.categoryRepeat]! += 5000 }
        }
        return score
    }

    static func total(_ slots: [Slot], instance: RotationInstance) -> Int64 {
        points(slots, instance: instance).values.reduce(0, +)
    }

    /// The least total over every assignment that keeps the hard rules (nil when there is none),
    /// by exhaustive search. For small instances only.
    static func bruteForceOptimum(_ instance: RotationInstance, pins: [RotationRequest.Pin]) -> Int64? {
        let weeks = instance.planWeeks
        let candidates = candidates(instance, pins: pins)
        let cycle = max(1, candidates.count)
        let blackout = Set(instance.blackout)
        let pinByWeek = Dictionary(pins.map { ($0.week, $0) }, uniquingKeysWith: { a, _ in a })
        let options: [[(String, Product)]] = weeks.map { week in
            if blackout.contains(week) { return [] }
            if let pin = pinByWeek[week] { return [(pin.countyCode, instance.products.first { $0.id == pin.productID }!)] }
            return candidates.flatMap { code in validProducts(of: code, week: week, instance: instance).map { (code, $0) } }
        }
        var best: Int64?
        var chosen: [Slot] = []
        func search(_ t: Int) {
            if t == weeks.count {
                let value = total(chosen, instance: instance)
                if best == nil || value < best! { best = value }
                return
            }
            if blackout.contains(weeks[t]) {
                search(t + 1)
                return
            }
            let cycleStart = t / cycle * cycle
            for (county, product) in options[t] {
                // Once per cycle, counting the pins of the cycle's later weeks too.
                if chosen.contains(where: { $0.week >= cycleStart && $0.county == county }) { continue }
                if pinByWeek[weeks[t]] == nil,
                    (t + 1..<min(weeks.count, cycleStart + cycle)).contains(where: { pinByWeek[weeks[$0]]?.countyCode == county })
                {
                    continue
                }
                chosen.append(Slot(week: t, county: county, product: product))
                search(t + 1)
                chosen.removeLast()
            }
        }
        search(0)
        return best
    }
}

/// Points as Double → thousandths, exactly.
func thousandths(_ value: Double) -> Int64 { Int64((value * 1000).rounded()) }
