import ChanxiaoCore
import Foundation

/// The demo's places and people for schedules: venues named by the seeds (the Hunan
/// demonstration center of 一县一品一周, seed 002 §四(八); Shenzhen's 海吉星 center, seed 000
/// §四(三); the 梨林 science park of Jiyuan's harvest festival, seed 004 §三(七); Chuzhou's TV
/// livestream studio, seed 003 §四(九)), livestream hosts, and the harvest-festival fair.
public struct DemoSchedules: Sendable {
    public var venues: [Venue]
    public var hosts: [LivestreamHost]
    public var fairs: [Fair]

    /// The demo rotation: eight weeks from the 2020 consumption poverty-alleviation month.
    public static let rotationVenue = "ven-hunan-center"
    public static let rotationStart = IsoWeek(year: 2020, week: 37)!
    public static let rotationWeeks = 8
    public static let fairID = "fair-jiyuan-harvest-2020"

    public static func make() -> DemoSchedules {
        let created = Date(timeIntervalSince1970: Double(DemoCatalog.referenceDate.daysSinceEpoch * 86_400 - 8 * 3600))
        let venues = [
            Venue(
                id: rotationVenue,
                name: "湖南省消费扶贫示范中心",
                kind: .center,
                regionCode: "430100",
                network: "湖南省消费扶贫联盟",
                featuredWeeklyVolume: 100,
                createdAt: created,
                updatedAt: created
            ),
            Venue(
                id: "ven-haijixing",
                name: "深圳海吉星消费扶贫中心",
                kind: .center,
                regionCode: "440300",
                network: "深圳1+10消费扶贫中心",
                featuredWeeklyVolume: 200,
                createdAt: created,
                updatedAt: created
            ),
            Venue(id: "ven-lilin", name: "梨林俏花匠科普园", kind: .fairGround, regionCode: "419001", createdAt: created, updatedAt: created),
            Venue(id: "ven-chuzhou-studio", name: "滁州广播电视台直播间", kind: .studio, regionCode: "341100", createdAt: created, updatedAt: created),
        ]
        func weekly(_ days: [String], _ span: String) -> [WeeklyWindow] { days.compactMap { WeeklyWindow("\($0) \(span)") } }
        let hosts = [
            LivestreamHost(
                id: "hst-hunan-tv",
                name: "湖南卫视助农主播",
                platforms: [.douyin, .wechatChannels],
                availability: weekly(["mon", "tue", "wed", "thu", "fri"], "18:30-22:30"),
                maxSessionsPerDay: 1,
                createdAt: created,
                updatedAt: created
            ),
            LivestreamHost(
                id: "hst-student",
                name: "高校消费扶贫营销大赛主播",
                platforms: [.kuaishou, .douyin],
                availability: weekly(["sat", "sun"], "09:00-22:00") + weekly(["wed"], "19:00-21:30"),
                maxSessionsPerDay: 2,
                createdAt: created,
                updatedAt: created
            ),
            LivestreamHost(
                id: "hst-county-head",
                name: "县长直播带货",
                platforms: [.taobao, .douyin],
                availability: weekly(["tue", "thu", "sat"], "19:00-22:00"),
                unavailable: [DatedWindow("2020-10-01")!, DatedWindow("2020-10-03")!],
                maxSessionsPerDay: 1,
                createdAt: created,
                updatedAt: created
            ),
            LivestreamHost(
                id: "hst-postal",
                name: "邮政919扶贫助农主播",
                platforms: [.wechatChannels, .other],
                availability: weekly(["mon", "wed", "fri", "sun"], "12:00-14:00") + weekly(["fri"], "19:00-21:00"),
                extraAvailability: [DatedWindow("2020-09-19 19:00-22:00")!],
                maxSessionsPerDay: 2,
                createdAt: created,
                updatedAt: created
            ),
        ]
        let fairs = [
            Fair(
                id: fairID,
                name: "济源丰收节特色农副产品展",
                venueID: "ven-lilin",
                startsOn: CalendarDate(year: 2020, month: 9, day: 19)!,
                endsOn: CalendarDate(year: 2020, month: 9, day: 20)!,
                boothCount: 24,
                minPovertyShare: 0.3,
                maxBoothsPerApplicant: 2,
                createdAt: created,
                updatedAt: created
            )
        ]
        return DemoSchedules(venues: venues, hosts: hosts, fairs: fairs)
    }

    /// Booth applications for the demo fair: every third county applies for two booths with its
    /// first two products, and some cooperatives apply for one booth on their own.
    public static func applications(catalog: DemoCatalog) -> [FairApplication] {
        let created = Date(timeIntervalSince1970: Double(DemoCatalog.referenceDate.daysSinceEpoch * 86_400 - 8 * 3600))
        var result: [FairApplication] = []
        for (index, county) in catalog.counties.enumerated() where index % 3 == 0 {
            let products = catalog.products.filter { $0.countyCode == county.code }
            let eligible = products.filter { product in !(catalog.suppliers.first { $0.id == product.supplierID }?.blacklisted ?? true) }
            guard !eligible.isEmpty else { continue }
            result.append(
                FairApplication(
                    id: "app-\(county.code)",
                    fairID: fairID,
                    applicantKind: .county,
                    countyCode: county.code,
                    productIDs: Array(eligible.prefix(2).map(\.id)),
                    boothsRequested: 2,
                    createdAt: created,
                    updatedAt: created
                )
            )
            if index % 6 == 0, let coop = catalog.suppliers.first(where: { $0.countyCode == county.code && !$0.blacklisted }),
                let product = products.first(where: { $0.supplierID == coop.id })
            {
                result.append(
                    FairApplication(
                        id: "app-\(coop.id)",
                        fairID: fairID,
                        applicantKind: .supplier,
                        countyCode: county.code,
                        supplierID: coop.id,
                        productIDs: [product.id],
                        boothsRequested: 1,
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }
        return result
    }
}
