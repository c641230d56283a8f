import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoScheduling

/// A small fixed catalog: three counties with all-year products of different categories, and
/// county A's products that fail one rule each.
enum RefusalCatalog {
    static let a = "522601", b = "522602", c = "522603", d = "522604"
    static let w37 = SF.week("2020-W37"), w38 = SF.week("2020-W38"), w39 = SF.week("2020-W39"), w40 = SF.week("2020-W40")

    static var catalog: RotationCatalog {
        RotationCatalog(
            counties: [SF.county(a), SF.county(b), SF.county(c, .deep), SF.county(d)],
            suppliers: [
                SF.supplier("sA", county: a), SF.supplier("sB", county: b), SF.supplier("sC", county: c),
                SF.supplier("sD", county: d), SF.supplier("sBad", county: a, blacklisted: true),
            ],
            products: [
                SF.product("pA", supplier: "sA", county: a, category: .grainOil),
                SF.product("pB", supplier: "sB", county: b, category: .tea),
                SF.product("pC", supplier: "sC", county: c, category: .fruit),
                // County D sells only in January.
                SF.product("pD", supplier: "sD", county: d, category: .vegetables, months: [1]),
                SF.product("pA-january", supplier: "sA", county: a, months: [1]),
                // September 2020-W37 runs to Sunday the 13th.
                SF.product("pA-expiring", supplier: "sA", county: a, certifiedUntil: SF.date("2020-09-12")),
                SF.product("pA-uncertified", supplier: "sA", county: a, certified: false),
                SF.product("pA-small", supplier: "sA", county: a, capacity: 99),
                SF.product("pA-exact", supplier: "sA", county: a, capacity: 100),
                // A certificate date without a certificate number.
                Product(
                    id: "pA-no-number",
                    supplierID: "sA",
                    countyCode: a,
                    name: "无证",
                    category: .grainOil,
                    unit: .kg,
                    unitPriceFen: 500,
                    weeklyCapacity: 500,
                    certificateNo: nil,
                    certifiedUntil: SF.farFuture
                ),
                SF.product("pA-blacklisted", supplier: "sBad", county: a),
            ]
        )
    }

    static func request(
        weeks: Int = 3,
        counties: [String]? = [a, b, c],
        pins: [RotationRequest.Pin] = [],
        blackout: [IsoWeek] = []
    ) -> RotationRequest {
        RotationRequest(venue: SF.venue(volume: 100), fromWeek: w37, weeks: weeks, countyCodes: counties, pinned: pins, blackoutWeeks: blackout)
    }

    static func pin(_ week: IsoWeek, _ county: String, _ product: String) -> RotationRequest.Pin {
        RotationRequest.Pin(week: week, countyCode: county, productID: product)
    }
}

@Suite struct RotationRefusalTests {
    typealias R = RefusalCatalog

    enum Case: String, CaseIterable, Sendable {
        case pinOnBlackoutWeek, pinOutsideThePlan, twoPinsInOneWeek, pinUnknownCounty, pinUnknownProduct
        case pinProductOfAnotherCounty, pinOutOfSeason, pinCertificateEndsInTheWeek, pinUncertified, pinNoCertificateNumber, pinLowCapacity
        case pinBlacklisted
        case twoPinsOfOneCountyInACycle, noWeeks, tooManyWeeks, negativeWeeks, unknownCounty, unknownSecondCounty, blackoutOutsideThePlan

        var request: RotationRequest {
            switch self {
            case .pinOnBlackoutWeek: R.request(pins: [R.pin(R.w37, R.a, "pA")], blackout: [R.w37])
            case .pinOutsideThePlan: R.request(pins: [R.pin(R.w40, R.a, "pA")])
            case .twoPinsInOneWeek: R.request(pins: [R.pin(R.w38, R.a, "pA"), R.pin(R.w38, R.b, "pB")])
            case .pinUnknownCounty: R.request(pins: [R.pin(R.w37, "529999", "pA")])
            case .pinUnknownProduct: R.request(pins: [R.pin(R.w37, R.a, "nope")])
            case .pinProductOfAnotherCounty: R.request(pins: [R.pin(R.w37, R.a, "pB")])
            case .pinOutOfSeason: R.request(pins: [R.pin(R.w37, R.a, "pA-january")])
            case .pinCertificateEndsInTheWeek: R.request(pins: [R.pin(R.w37, R.a, "pA-expiring")])
            case .pinUncertified: R.request(pins: [R.pin(R.w37, R.a, "pA-uncertified")])
            case .pinNoCertificateNumber: R.request(pins: [R.pin(R.w37, R.a, "pA-no-number")])
            case .pinLowCapacity: R.request(pins: [R.pin(R.w37, R.a, "pA-small")])
            case .pinBlacklisted: R.request(pins: [R.pin(R.w37, R.a, "pA-blacklisted")])
            case .twoPinsOfOneCountyInACycle: R.request(pins: [R.pin(R.w37, R.a, "pA"), R.pin(R.w39, R.a, "pA")])
            case .noWeeks: R.request(weeks: 0)
            case .tooManyWeeks: R.request(weeks: 105)
            case .negativeWeeks: R.request(weeks: -1)
            case .unknownCounty: R.request(counties: ["529999"])
            case .unknownSecondCounty: R.request(counties: [R.a, "529999", R.b])
            case .blackoutOutsideThePlan: R.request(blackout: [R.w40])
            }
        }

        var field: String {
            switch self {
            case .pinOnBlackoutWeek, .pinOutsideThePlan: "pinned[0].week"
            case .twoPinsInOneWeek: "pinned[1].week"
            case .pinUnknownCounty: "pinned[0].county_code"
            case .pinUnknownProduct, .pinProductOfAnotherCounty, .pinOutOfSeason, .pinCertificateEndsInTheWeek, .pinUncertified,
                .pinNoCertificateNumber, .pinLowCapacity, .pinBlacklisted:
                "pinned[0].product_id"
            case .twoPinsOfOneCountyInACycle: "pinned[1].county_code"
            case .noWeeks, .tooManyWeeks, .negativeWeeks: "weeks"
            case .unknownCounty: "county_codes[0]"
            case .unknownSecondCounty: "county_codes[1]"
            case .blackoutOutsideThePlan: "blackout_weeks[0]"
            }
        }
    }

    @Test(arguments: Case.allCases)
    func refusedNamingTheConflict(_ example: Case) {
        do {
            let plan = try RotationPlanner.plan(example.request, catalog: R.catalog)
            Issue.record("\(example): planned \(plan.slots.map { "\($0.week) \($0.countyCode)" })")
        } catch let failure as ValidationFailure {
            #expect(failure.errors.map(\.field) == [example.field], "\(example): \(failure)")
            #expect(failure.errors.allSatisfy { !$0.message.isEmpty })
        } catch {
            Issue.record("\(example): threw \(error)")
        }
    }

    /// The pins that the table refuses are accepted once the conflict is gone: the refusals are
    /// about the conflict, not about pins as such.
    @Test func theSamePinsWithoutTheConflictArePlanned() throws {
        let plan = try RotationPlanner.plan(R.request(weeks: 6, pins: [R.pin(R.w37, R.a, "pA"), R.pin(R.w40, R.a, "pA")]), catalog: R.catalog)
        #expect(plan.cycleLength == 3)
        #expect(plan.slots.map(\.week) == (0..<6).map { R.w37.adding(weeks: $0) })
        #expect(plan.slots.filter(\.pinned).map(\.week) == [R.w37, R.w40])
        // A certificate that ends on the week's Sunday covers the week (pA-expiring ends a day earlier).
        let boundary = RotationCatalog(
            counties: [SF.county(R.a)],
            suppliers: [SF.supplier("sA", county: R.a)],
            products: [SF.product("pA", supplier: "sA", county: R.a, certifiedUntil: SF.date("2020-09-13"))]
        )
        let onSunday = try RotationPlanner.plan(R.request(weeks: 1, counties: [R.a], pins: [R.pin(R.w37, R.a, "pA")]), catalog: boundary)
        #expect(onSunday.slots.map(\.productID) == ["pA"], "certified until the week's Sunday is certified for the week")
        // A weekly capacity equal to the venue's volume is enough.
        let exact = try RotationPlanner.plan(R.request(weeks: 1, counties: [R.a], pins: [R.pin(R.w37, R.a, "pA-exact")]), catalog: R.catalog)
        #expect(exact.slots.map(\.productID) == ["pA-exact"])
        #expect(try RotationPlanner.plan(R.request(weeks: 104, counties: [R.a, R.b, R.c]), catalog: R.catalog).slots.count == 104)
    }

    /// Two weeks, two counties, one of which sells only in January: the cycle cannot be filled.
    @Test func moreWeeksThanTheCountiesCanFill() {
        do {
            let plan = try RotationPlanner.plan(R.request(weeks: 2, counties: [R.a, R.d]), catalog: R.catalog)
            Issue.record("planned \(plan.slots.map(\.countyCode))")
        } catch let failure as ValidationFailure {
            #expect(failure.errors.map(\.field) == ["weeks"])
            let message = failure.errors.first?.message ?? ""
            #expect(message.contains("2020-W37") && message.contains("2020-W38"), "\(message)")
            #expect(message.contains(R.a), "names the county that can fill them: \(message)")
        } catch {
            Issue.record("threw \(error)")
        }
        // With one of the weeks a blackout week, the other is filled by A.
        #expect(
            (try? RotationPlanner.plan(R.request(weeks: 2, counties: [R.a, R.d], blackout: [R.w38]), catalog: R.catalog))?
                .slots.map(\.countyCode) == [R.a]
        )
    }

    /// A week no candidate county can fill is named, with the reason.
    @Test func aWeekNoCountyCanFill() {
        do {
            let plan = try RotationPlanner.plan(R.request(weeks: 1, counties: [R.d]), catalog: R.catalog)
            Issue.record("planned \(plan.slots.map(\.countyCode))")
        } catch let failure as ValidationFailure {
            #expect(failure.errors.map(\.field) == ["weeks"])
            let message = failure.errors.first?.message ?? ""
            #expect(message.contains("2020-W37") && message.contains("in season"), "\(message)")
        } catch {
            Issue.record("threw \(error)")
        }
    }

    /// With no county list, only counties of an eligible status are candidates; none gives a
    /// refusal on county_codes.
    @Test func noEligibleCounty() {
        let catalog = RotationCatalog(
            counties: [SF.county(R.a, .lifted), SF.county(R.b, .none)],
            suppliers: [SF.supplier("sA", county: R.a)],
            products: [SF.product("pA", supplier: "sA", county: R.a)]
        )
        #expect(throws: ValidationFailure.self) { try RotationPlanner.plan(R.request(counties: nil), catalog: catalog) }
        do {
            _ = try RotationPlanner.plan(R.request(counties: nil), catalog: catalog)
        } catch let failure as ValidationFailure {
            #expect(failure.errors.map(\.field) == ["county_codes"])
        } catch {
            Issue.record("threw \(error)")
        }
    }
}
