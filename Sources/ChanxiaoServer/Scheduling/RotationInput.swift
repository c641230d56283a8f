import ChanxiaoCore
import ChanxiaoScheduling

/// The body of `POST /v1/rotations`: what to plan, checked whole before the venue is looked up.
struct RotationPlanInput {
    var venueID: String
    var fromWeek: IsoWeek
    var weeks: Int
    /// Nil: every eligible county.
    var countyCodes: [String]?
    var blackoutWeeks: [IsoWeek]
    var pinned: [RotationRequest.Pin]

    static func parse(_ body: [String: JSONValue]) throws -> RotationPlanInput {
        var r = FieldReader(json: body)
        let venueID = r.identifier("venue_id", required: true)
        let fromWeek = r.week("from_week", required: true)
        let weeks = r.int("weeks", required: true, in: 1...RotationRequest.maxWeeks)
        // Left out or null: every eligible county.
        let counties = r.raw("county_codes") == nil ? nil : r.divisionCodeList("county_codes", level: .county)
        let blackout = r.list("blackout_weeks", maxCount: RotationRequest.maxWeeks, expected: "an ISO week written YYYY-Www") { IsoWeek($0) }
        let pins = r.objects("pinned", maxCount: RotationRequest.maxWeeks) { p, _ -> RotationRequest.Pin? in
            let week = p.week("week", required: true)
            let county = p.divisionCode("county_code", required: true, level: .county)
            let product = p.identifier("product_id", required: true)
            guard let week, let county, let product else { return nil }
            return RotationRequest.Pin(week: week, countyCode: county, productID: product)
        }
        r.rejectUnknownFields()
        if counties != nil, counties?.isEmpty == true {
            r.fail("county_codes", "must name at least one county, or be left out for every eligible county")
        }
        guard let venueID, let fromWeek, let weeks, let blackout, let pins, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return RotationPlanInput(venueID: venueID, fromWeek: fromWeek, weeks: weeks, countyCodes: counties, blackoutWeeks: blackout, pinned: pins)
    }
}

/// The body of `POST /v1/rotations/{id}/swap`: two different weeks.
struct RotationSwapInput {
    var weeks: (IsoWeek, IsoWeek)

    static func parse(_ body: [String: JSONValue]) throws -> RotationSwapInput {
        var r = FieldReader(json: body)
        let weeks = r.list("weeks", maxCount: 2, expected: "an ISO week written YYYY-Www") { IsoWeek($0) }
        r.rejectUnknownFields()
        if let weeks, weeks.count != 2 || weeks[0] == weeks[1] { r.fail("weeks", "must name two different weeks of the rotation") }
        guard let weeks, weeks.count == 2, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return RotationSwapInput(weeks: (weeks[0], weeks[1]))
    }
}

/// The body of `PATCH /v1/rotations/{id}/slots/{week}`: the county (and product) to feature.
struct SlotReplacementInput {
    var countyCode: String
    /// Nil: the county's best eligible product.
    var productID: String?

    static func parse(_ body: [String: JSONValue]) throws -> SlotReplacementInput {
        var r = FieldReader(json: body)
        let county = r.divisionCode("county_code", required: true, level: .county)
        let product = r.identifier("product_id")
        r.rejectUnknownFields()
        guard let county, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return SlotReplacementInput(countyCode: county, productID: product)
    }
}
