import Foundation

/// The `data` of `supplier.blacklisted`.
public struct SupplierBlacklistedPayload: EventPayload {
    public var supplierID: String
    public var supplierName: String
    public var countyCode: String
    public var countyName: String?
    /// `blacklist_reason`, when one was given.
    public var reason: String?
    public var blacklistedOn: CalendarDate?

    public init(supplierID: String, supplierName: String, countyCode: String, countyName: String?, reason: String?, blacklistedOn: CalendarDate?) {
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.countyCode = countyCode
        self.countyName = countyName
        self.reason = reason
        self.blacklistedOn = blacklistedOn
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("supplier_id", .string(supplierID)), ("supplier_name", .string(supplierName)),
            ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("reason", JSONValue(reason)), ("blacklisted_on", JSONValue(blacklistedOn)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            supplierID: data.string("supplier_id"),
            supplierName: data.string("supplier_name"),
            countyCode: data.string("county_code"),
            countyName: data.string(orNull: "county_name"),
            reason: data.string(orNull: "reason"),
            blacklistedOn: data.day(orNull: "blacklisted_on")
        )
    }
}
