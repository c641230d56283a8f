import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoScheduling

/// One rule broken at a time, against a valid Monday-evening session.
@Suite struct LivestreamRulesTests {
    static let monday = "2020-09-14"

    static let products: [String: Product] = [
        "p1": SF.product("p1", supplier: "s1", county: "522601"),
        "p2": SF.product("p2", supplier: "s1", county: "522601"),
        // Certified through the day before the session.
        "expired": SF.product("expired", supplier: "s1", county: "522601", certifiedUntil: SF.date("2020-09-13")),
        // Certified through the session's day: still fine.
        "lastDay": SF.product("lastDay", supplier: "s1", county: "522601", certifiedUntil: SF.date(monday)),
        "uncertified": SF.product("uncertified", supplier: "s1", county: "522601", certified: false),
        "blacklisted": SF.product("blacklisted", supplier: "sBad", county: "522601"),
        "orphan": SF.product("orphan", supplier: "sGone", county: "522601"),
    ]
    static let suppliers: [String: Supplier] = [
        "s1": SF.supplier("s1", county: "522601"), "sBad": SF.supplier("sBad", county: "522601", blacklisted: true),
    ]

    /// Douyin and Kuaishou, 19:00–22:00 every day, except Tuesday 2020-09-15, at most 2 a day.
    static var host: LivestreamHost {
        SF.host(
            "h1",
            platforms: [.douyin, .kuaishou],
            daily: "19:00",
            to: "22:00",
            maxPerDay: 2,
            unavailable: [DatedWindow(date: SF.date("2020-09-15"))],
            extra: [DatedWindow(date: SF.date("2020-09-16"), start: 600, end: 720)]
        )
    }

    static func session(
        _ from: String = "19:00",
        _ to: String = "20:00",
        day: String = monday,
        platform: LivestreamPlatform = .douyin,
        fee: Int = 0,
        products: [String] = ["p1"]
    ) -> Livestream {
        SF.livestream("new", host: "h1", platform: platform, day, from, to, fee: fee, products: products)
    }

    enum Case: String, CaseIterable, Sendable {
        case valid, validOnSecondPlatform, validLastCertifiedDay, validExtraAvailability, validBackToBack, cancelledBookingIgnored,
            otherHostsBookingIgnored, sameSessionIgnored, paidAllowed
        case paid, wrongPlatform, beforeWindow, afterWindow, unavailableDay, overlapsBooking, containsBooking, overDailyMaximum,
            expiredProduct, uncertifiedProduct, blacklistedSupplier, missingSupplier, unknownProduct, noProducts, endsBeforeStart,
            endsAtStart, tooLong, crossesMidnight, endsSecondsAfterTheWindow

        var setup: (session: Livestream, booked: [Livestream], allowPaid: Bool) {
            let booked = [SF.livestream("b1", host: "h1", LivestreamRulesTests.monday, "21:00", "22:00")]
            switch self {
            case .valid: return (session(), [], false)
            case .validOnSecondPlatform: return (session(platform: .kuaishou), [], false)
            case .validLastCertifiedDay: return (session(products: ["p1", "lastDay"]), [], false)
            case .validExtraAvailability: return (session("10:30", "12:00", day: "2020-09-16"), [], false)
            case .validBackToBack: return (session("20:00", "21:00"), booked, false)
            case .cancelledBookingIgnored:
                return (session(), [SF.livestream("b2", host: "h1", monday, "19:00", "20:00", status: .cancelled)], false)
            case .otherHostsBookingIgnored: return (session(), [SF.livestream("b2", host: "h2", monday, "19:00", "20:00")], false)
            case .sameSessionIgnored: return (session(), [SF.livestream("new", host: "h1", monday, "19:00", "20:00")], false)
            case .paidAllowed: return (session(fee: 10_000), [], true)
            case .paid: return (session(fee: 1), [], false)
            case .wrongPlatform: return (session(platform: .taobao), [], false)
            case .beforeWindow: return (session("18:30", "19:30"), [], false)
            case .afterWindow: return (session("21:30", "22:30"), [], false)
            case .unavailableDay: return (session(day: "2020-09-15"), [], false)
            case .overlapsBooking: return (session("20:30", "21:30"), booked, false)
            case .containsBooking: return (session("19:00", "22:00"), booked, false)
            case .overDailyMaximum:
                return (session(), [booked[0], SF.livestream("b2", host: "h1", monday, "20:00", "21:00")], false)
            case .expiredProduct: return (session(products: ["p1", "expired"]), [], false)
            case .uncertifiedProduct: return (session(products: ["uncertified"]), [], false)
            case .blacklistedSupplier: return (session(products: ["p2", "blacklisted"]), [], false)
            case .missingSupplier: return (session(products: ["orphan"]), [], false)
            case .unknownProduct: return (session(products: ["p1", "p2", "nope"]), [], false)
            case .noProducts: return (session(products: []), [], false)
            case .endsBeforeStart: return (session("20:00", "19:00"), [], false)
            case .endsAtStart: return (session("20:00", "20:00"), [], false)
            case .tooLong: return (session("19:00", "22:00"), [], false)  // 180 minutes, with a maximum of 120 below
            case .endsSecondsAfterTheWindow:
                // 21:00:00 to 22:00:30, with the host free until 22:00.
                var late = session("21:00", "22:00")
                late.endsAt = late.endsAt.addingTimeInterval(30)
                return (late, [], false)
            case .crossesMidnight:
                var late = session("21:00", "21:00")
                late.endsAt = SF.at("2020-09-15", "01:00")
                return (late, [], false)
            }
        }

        var fields: [String] {
            switch self {
            case .valid, .validOnSecondPlatform, .validLastCertifiedDay, .validExtraAvailability, .validBackToBack,
                .cancelledBookingIgnored, .otherHostsBookingIgnored, .sameSessionIgnored, .paidAllowed:
                []
            case .paid: ["fee_fen"]
            case .wrongPlatform: ["platform"]
            case .beforeWindow, .afterWindow, .unavailableDay, .endsSecondsAfterTheWindow: ["starts_at"]
            case .overlapsBooking, .containsBooking, .overDailyMaximum: ["host_id"]
            case .expiredProduct: ["product_ids[1]"]
            case .uncertifiedProduct, .missingSupplier: ["product_ids[0]"]
            case .blacklistedSupplier: ["product_ids[1]"]
            case .unknownProduct: ["product_ids[2]"]
            case .noProducts: ["product_ids"]
            case .endsBeforeStart, .endsAtStart, .tooLong, .crossesMidnight: ["ends_at"]
            }
        }
    }

    @Test(arguments: Case.allCases)
    func violations(_ example: Case) {
        let (session, booked, allowPaid) = example.setup
        var settings = SchedulingSettings.Livestreams()
        settings.allowPaid = allowPaid
        if example == .tooLong { settings.maxDurationMinutes = 120 }
        let errors = LivestreamRules.violations(
            of: session,
            host: Self.host,
            booked: booked,
            products: Self.products,
            suppliers: Self.suppliers,
            settings: settings,
            zone: SF.zone
        )
        #expect(errors.map(\.field) == example.fields, "\(example): \(errors)")
        #expect(errors.allSatisfy { !$0.message.isEmpty })
    }

    /// Several rules broken at once are all reported.
    @Test func everyBrokenRuleIsReported() {
        let session = Self.session("18:00", "19:30", platform: .taobao, fee: 500, products: ["nope", "expired"])
        let errors = LivestreamRules.violations(
            of: session,
            host: Self.host,
            booked: [SF.livestream("b1", host: "h1", Self.monday, "18:30", "19:00")],
            products: Self.products,
            suppliers: Self.suppliers,
            settings: .init(),
            zone: SF.zone
        )
        #expect(errors.map(\.field) == ["fee_fen", "platform", "starts_at", "host_id", "product_ids[0]", "product_ids[1]"])
    }

    /// Local time is the zone's: 19:00 in Shanghai is 11:00 UTC, outside a 19:00–22:00 window read in UTC.
    @Test func availabilityIsReadInTheZone() {
        let session = Self.session()
        let inUTC = LivestreamRules.violations(
            of: session,
            host: Self.host,
            booked: [],
            products: Self.products,
            suppliers: Self.suppliers,
            settings: .init(),
            zone: TimeZone(identifier: "UTC")!
        )
        #expect(inUTC.map(\.field) == ["starts_at"])
    }
}
