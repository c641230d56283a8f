import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoServer
import ChanxiaoStore
import Foundation

/// Scheduling data that `TestApp(schedules:)` adds on top of its catalog (after the seeded match
/// run, so that run is unchanged).
///
/// `.catalog`: counties whose certified products can be featured at a venue, and one whose only
/// product is out of season in the autumn; venues, hosts and fairs.
///
/// | county | status | product | category | featurable at `ven-center` (volume 300) in Sep–Dec 2020 |
/// | --- | --- | --- | --- | --- |
/// | 451026 那坡县 (TestApp) | deep, paired with 440300 | prd-a | grain_oil | yes |
/// | 433130 龙山县 | deep | prd-longshan | mountain_goods | yes |
/// | 431226 麻阳县 | national | prd-mayang (season 9–12) | fruit | yes |
/// | 522633 从江县 | national | prd-congjiang; prd-congjiang-tea (not certified) | meat_poultry_egg; tea | yes |
/// | 431229 靖州县 | national | prd-jingzhou (season 6) | fruit | no: out of season |
/// | 341125 定远县 (TestApp) | provincial | prd-b (not certified) | aquatic | no: not certified |
/// | 450123 隆安县 (TestApp) | national | none | | no: no products |
///
/// `.planned` adds, made by the same store calls as the API (see `DemoSetup.seedSchedules`):
/// the published rotation `rot-pub` (2020-W37…W39 at `ven-center`, counties 451026, 431226,
/// 433130) with the livestream plan `lvp-pub` (one 60-minute session a week, `liv-pub-001`…);
/// the draft `rot-draft` (2020-W41…W44); the single livestream `liv-one` (hst-b, Saturday
/// 2020-09-12 10:00–11:00); and `fair-a` with three applications, allocated.
///
/// Nothing here refers to county 450123, supplier sup-empty, product prd-b, buyer buy-empty or
/// demand dem-b, which the role matrix deletes; `ven-idle`, `hst-idle` and `fair-idle` are
/// likewise left unreferenced for it.
enum ScheduleFixture: Sendable, Equatable {
    case none
    case catalog
    case planned

    static let venue = "ven-center"
    static let fairVenue = "ven-fairground"
    static let fair = "fair-a"
    static let publishedRotation = "rot-pub"
    static let draftRotation = "rot-draft"
    static let livestream = "liv-one"
    /// Where and when `.planned`'s rotations start.
    static let publishedFrom = IsoWeek(year: 2020, week: 37)!
    static let draftFrom = IsoWeek(year: 2020, week: 41)!

    static func seed(_ database: AppDatabase, planned: Bool, config: ChanxiaoConfig, context: WriteContext) async throws {
        let now = context.now
        let certified = CalendarDate("2030-12-31")
        func county(_ code: String, _ name: String, _ city: String, _ status: PovertyStatus) -> County {
            County(code: code, name: name, city: city, povertyStatus: status, createdAt: now, updatedAt: now)
        }
        func supplier(_ id: String, _ name: String, _ code: String) -> Supplier {
            Supplier(id: id, name: name, countyCode: code, kind: .cooperative, createdAt: now, updatedAt: now)
        }
        func product(
            _ id: String,
            _ supplier: String,
            _ name: String,
            _ category: ProductCategory,
            capacity: Int,
            season: [Int] = [],
            certificate: String?
        ) -> Product {
            Product(
                id: id,
                supplierID: supplier,
                name: name,
                category: category,
                unit: .kg,
                unitPriceFen: 2000,
                weeklyCapacity: capacity,
                seasonMonths: season,
                certificateNo: certificate,
                certifiedUntil: certificate == nil ? nil : certified,
                createdAt: now,
                updatedAt: now
            )
        }
        func weekly(_ days: [String], _ span: String) -> [WeeklyWindow] { days.compactMap { WeeklyWindow("\($0) \(span)") } }
        try await database.seedCatalog(
            counties: [
                county("431226", "麻阳苗族自治县", "怀化市", .national),
                county("433130", "龙山县", "湘西土家族苗族自治州", .deep),
                county("522633", "从江县", "黔东南苗族侗族自治州", .national),
                county("431229", "靖州苗族侗族自治县", "怀化市", .national),
            ],
            suppliers: [
                supplier("sup-mayang", "麻阳冰糖橙合作社", "431226"),
                supplier("sup-longshan", "龙山百合合作社", "433130"),
                supplier("sup-congjiang", "从江香猪合作社", "522633"),
                supplier("sup-jingzhou", "靖州杨梅合作社", "431229"),
            ],
            products: [
                product("prd-mayang", "sup-mayang", "麻阳冰糖橙", .fruit, capacity: 2000, season: [9, 10, 11, 12], certificate: "FP-431226-01"),
                product("prd-longshan", "sup-longshan", "龙山百合", .mountainGoods, capacity: 1000, certificate: "FP-433130-01"),
                product("prd-congjiang", "sup-congjiang", "从江香猪", .meatPoultryEgg, capacity: 500, certificate: "FP-522633-01"),
                product("prd-congjiang-tea", "sup-congjiang", "从江红茶", .tea, capacity: 400, certificate: nil),
                product("prd-jingzhou", "sup-jingzhou", "靖州杨梅", .fruit, capacity: 800, season: [6], certificate: "FP-431229-01"),
            ],
            buyers: [],
            demands: [],
            venues: [
                Venue(
                    id: venue,
                    name: "深圳消费扶贫示范中心",
                    kind: .center,
                    regionCode: "440300",
                    network: "深圳1+10消费扶贫中心",
                    featuredWeeklyVolume: 300,
                    createdAt: now,
                    updatedAt: now
                ),
                Venue(id: fairVenue, name: "福田会展中心", kind: .fairGround, regionCode: "440304", createdAt: now, updatedAt: now),
                Venue(id: "ven-idle", name: "闲置直播间", kind: .studio, regionCode: "440305", createdAt: now, updatedAt: now),
            ],
            hosts: [
                LivestreamHost(
                    id: "hst-a",
                    name: "助农主播甲",
                    platforms: [.douyin, .kuaishou],
                    availability: weekly(["mon", "tue", "wed", "thu", "fri"], "19:00-22:00"),
                    maxSessionsPerDay: 1,
                    createdAt: now,
                    updatedAt: now
                ),
                LivestreamHost(
                    id: "hst-b",
                    name: "助农主播乙",
                    platforms: [.wechatChannels],
                    availability: weekly(["sat", "sun"], "10:00-12:00") + weekly(["sat", "sun"], "19:00-21:00"),
                    maxSessionsPerDay: 2,
                    createdAt: now,
                    updatedAt: now
                ),
                // Available only long before any plan: never booked.
                LivestreamHost(
                    id: "hst-idle",
                    name: "备用主播",
                    platforms: [.taobao],
                    availability: [],
                    extraAvailability: [DatedWindow("2019-01-05 10:00-11:00")!],
                    createdAt: now,
                    updatedAt: now
                ),
            ],
            fairs: [
                Fair(
                    id: fair,
                    name: "深圳秋季消费扶贫展销会",
                    venueID: fairVenue,
                    startsOn: CalendarDate("2020-10-17")!,
                    endsOn: CalendarDate("2020-10-18")!,
                    boothCount: 6,
                    minPovertyShare: 0.5,
                    maxBoothsPerApplicant: 2,
                    createdAt: now,
                    updatedAt: now
                ),
                Fair(
                    id: "fair-idle",
                    name: "冬季年货节",
                    venueID: fairVenue,
                    startsOn: CalendarDate("2021-01-16")!,
                    endsOn: CalendarDate("2021-01-17")!,
                    boothCount: 10,
                    createdAt: now,
                    updatedAt: now
                ),
            ],
            marker: "test-schedules",
            context: context
        )
        guard planned else { return }

        guard let center = try await database.fetch(Venue.self, id: venue) else { throw TestAppError.unexpectedSeed("no \(venue)") }
        let planning = RotationPlanning(config: config)
        // One livestream first, so that the plan works around it.
        _ = try await database.createLivestream(
            Livestream(
                id: livestream,
                hostID: "hst-b",
                platform: .wechatChannels,
                startsAt: Timestamp.date(from: "2020-09-12T10:00:00+08:00")!,
                endsAt: Timestamp.date(from: "2020-09-12T11:00:00+08:00")!,
                productIDs: ["prd-a"],
                title: "那坡大米专场",
                createdAt: now,
                updatedAt: now
            ),
            settings: config.scheduling.livestreams,
            zone: config.zone,
            context: context
        )
        let counties = ["451026", "431226", "433130"]
        let published = try await database.planRotation(
            RotationRequest(venue: center, fromWeek: publishedFrom, weeks: 3, countyCodes: counties),
            requestJSON: .object([
                "venue_id": .string(venue), "from_week": .string(publishedFrom.description), "weeks": .int(3),
                "county_codes": .array(counties.map(JSONValue.string)),
            ]),
            id: publishedRotation,
            planning: planning,
            context: context
        )
        _ = try await database.publishRotation(id: published.id, context: context)
        _ = try await database.planLivestreams(
            rotationID: published.id,
            sessionsPerSlot: 1,
            durationMinutes: 60,
            planID: "lvp-pub",
            sessionID: { "liv-pub-\(String(format: "%03d", $0 + 1))" },
            settings: config.scheduling.livestreams,
            zone: config.zone,
            context: context
        )
        _ = try await database.planRotation(
            RotationRequest(venue: center, fromWeek: draftFrom, weeks: 4, countyCodes: counties + ["522633"]),
            requestJSON: .object(["venue_id": .string(venue), "from_week": .string(draftFrom.description), "weeks": .int(4)]),
            id: draftRotation,
            planning: planning,
            context: context
        )

        let applications = [
            FairApplication(
                id: "app-naopo",
                fairID: fair,
                applicantKind: .county,
                countyCode: "451026",
                productIDs: ["prd-a"],
                boothsRequested: 2,
                createdAt: now,
                updatedAt: now
            ),
            FairApplication(
                id: "app-mayang",
                fairID: fair,
                applicantKind: .county,
                countyCode: "431226",
                productIDs: ["prd-mayang"],
                boothsRequested: 2,
                createdAt: now,
                updatedAt: now
            ),
            FairApplication(
                id: "app-congjiang-tea",
                fairID: fair,
                applicantKind: .supplier,
                countyCode: "522633",
                supplierID: "sup-congjiang",
                productIDs: ["prd-congjiang-tea"],
                boothsRequested: 2,
                createdAt: now,
                updatedAt: now
            ),
        ]
        for application in applications { _ = try await database.applyForBooths(application, context: context) }
        let board = try await database.allocateBooths(fairID: fair, settings: config.scheduling.fairs, context: context)
        guard board.booths.contains(where: { $0.number == 1 }) else { throw TestAppError.unexpectedSeed("booth 1 of \(fair) not allocated") }
    }
}
