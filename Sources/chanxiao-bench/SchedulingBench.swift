import ArgumentParser
import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoScheduling
import Foundation

/// The rotation and livestream planners at the scale: an 832-county, 52-week rotation
/// on the nation catalog, then a plan of about 300 sessions over 15 generated hosts.
struct SchedulingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduling",
        abstract: "Time the rotation and livestream planners on a generated catalog."
    )

    @Option(help: "demo, province or nation (the nation tier has 832 counties).")
    var tier: String = "nation"

    @Option(help: "Weeks of the rotation.")
    var weeks: Int = 52

    @Option(help: "Livestream hosts to generate.")
    var hosts: Int = 15

    @Option(help: "Livestream sessions in all (spread evenly over the featured weeks).")
    var sessions: Int = 300

    @Option(help: "Seed of the generated catalog and hosts.")
    var seed: UInt64 = 20_200_914

    @Option(help: "How many times to time each planner.")
    var runs: Int = 3

    func run() async throws {
        guard let tier = SyntheticCatalog.Tier(rawValue: tier) else { throw ValidationError("--tier: demo, province or nation") }
        var clock = Stopwatch()
        let catalog = SyntheticCatalog.make(tier, seed: seed)
        let rotationCatalog = RotationCatalog(counties: catalog.counties, suppliers: catalog.suppliers, products: catalog.products)
        print("catalog: \(catalog.counties.count) counties, \(catalog.products.count) products (\(clock.lap()))")

        let venue = Venue(id: "ven-bench", name: "bench center", kind: .center, regionCode: "440300", featuredWeeklyVolume: 100)
        let request = RotationRequest(venue: venue, fromWeek: IsoWeek(year: 2020, week: 37)!, weeks: weeks)
        var settings = SchedulingSettings()
        settings.rotation.eligibleStatuses = Set(PovertyStatus.allCases)
        var plan: RotationPlan?
        for run in 1...runs {
            clock = Stopwatch()
            plan = try RotationPlanner.plan(request, catalog: rotationCatalog, settings: settings.rotation)
            print(
                "rotation run \(run): \(plan!.slots.count) slots from \(plan!.candidateCount) candidate counties in \(clock.lap()); "
                    + "total \(plan!.total), bound \(plan!.bound), optimal \(plan!.optimal), category repeats \(plan!.score[.categoryRepeat] ?? 0)"
            )
        }
        guard let plan else { return }

        var random = SplitMix64(seed: seed)
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let generated = (0..<hosts).map { index -> LivestreamHost in
            let windows = days.filter { _ in random.next() % 3 != 0 }.map { day -> WeeklyWindow in
                let start = (9 + Int(random.next() % 9)) * 60
                return WeeklyWindow("\(day) \(ClockTime.text(start))-\(ClockTime.text(min(1440, start + 240 + Int(random.next() % 4) * 60)))")!
            }
            return LivestreamHost(
                id: String(format: "hst-%03d", index),
                name: "host \(index)",
                platforms: [.douyin],
                availability: windows.isEmpty ? [WeeklyWindow("sat 19:00-23:00")!] : windows,
                maxSessionsPerDay: 1 + Int(random.next() % 2)
            )
        }
        let perSlot = max(1, (sessions + plan.slots.count - 1) / max(plan.slots.count, 1))
        let slots = plan.slots.prefix((sessions + perSlot - 1) / perSlot).map { ($0.week, $0.productID) }
        let products = rotationCatalog.products
        let suppliers = rotationCatalog.suppliers
        for run in 1...runs {
            clock = Stopwatch()
            let livestreams = try LivestreamPlanner.plan(
                LivestreamPlanRequest(slots: Array(slots), sessionsPerSlot: perSlot, durationMinutes: 90),
                hosts: generated,
                booked: [],
                products: products,
                suppliers: suppliers,
                settings: settings.livestreams,
                zone: TimeZone(identifier: "Asia/Shanghai")!
            )
            print(
                "livestreams run \(run): \(livestreams.sessions.count) sessions over \(hosts) hosts in \(clock.lap()); "
                    + "total \(livestreams.total), bound \(livestreams.bound)"
            )
        }
    }
}
