import Foundation

/// The `data` of `fair.booth_assigned`: every booth an application holds after an allocation
/// or a move up the waiting list.
public struct BoothAssignedPayload: EventPayload {
    public var fairID: String
    public var fairName: String?
    public var applicationID: String
    public var applicantKind: ApplicantKind
    /// Nil for a county's application.
    public var supplierID: String?
    public var supplierName: String?
    public var countyCode: String
    public var countyName: String?
    public var booths: [Int]
    public var boothsRequested: Int
    public var status: ApplicationStatus

    public init(
        fairID: String,
        fairName: String?,
        applicationID: String,
        applicantKind: ApplicantKind,
        supplierID: String?,
        supplierName: String?,
        countyCode: String,
        countyName: String?,
        booths: [Int],
        boothsRequested: Int,
        status: ApplicationStatus
    ) {
        self.fairID = fairID
        self.fairName = fairName
        self.applicationID = applicationID
        self.applicantKind = applicantKind
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.countyCode = countyCode
        self.countyName = countyName
        self.booths = booths
        self.boothsRequested = boothsRequested
        self.status = status
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("fair_id", .string(fairID)), ("fair_name", JSONValue(fairName)), ("application_id", .string(applicationID)),
            ("applicant_kind", JSONValue(code: applicantKind)), ("supplier_id", JSONValue(supplierID)),
            ("supplier_name", JSONValue(supplierName)),
            ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("booths", .array(booths.map { JSONValue($0) })), ("booths_requested", JSONValue(boothsRequested)),
            ("status", JSONValue(code: status)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            fairID: data.string("fair_id"),
            fairName: data.string(orNull: "fair_name"),
            applicationID: data.string("application_id"),
            applicantKind: data.code("applicant_kind"),
            supplierID: data.string(orNull: "supplier_id"),
            supplierName: data.string(orNull: "supplier_name"),
            countyCode: data.string("county_code"),
            countyName: data.string(orNull: "county_name"),
            booths: data.ints("booths"),
            boothsRequested: data.int("booths_requested"),
            status: data.code("status")
        )
    }
}

/// The `data` of `booth.released`: booths an application gave back (released by an organizer,
/// or taken back because a supplier of the products it shows was blacklisted), with the booths
/// it still holds and its status after.
public struct BoothReleasedPayload: EventPayload {
    public var fairID: String
    public var fairName: String?
    public var applicationID: String
    public var applicantKind: ApplicantKind
    /// Nil for a county's application.
    public var supplierID: String?
    public var supplierName: String?
    public var countyCode: String
    public var countyName: String?
    /// The booth numbers given back.
    public var releasedBooths: [Int]
    /// The booth numbers the application still holds.
    public var booths: [Int]
    public var status: ApplicationStatus
    public var reason: String

    public init(
        fairID: String,
        fairName: String?,
        applicationID: String,
        applicantKind: ApplicantKind,
        supplierID: String?,
        supplierName: String?,
        countyCode: String,
        countyName: String?,
        releasedBooths: [Int],
        booths: [Int],
        status: ApplicationStatus,
        reason: String
    ) {
        self.fairID = fairID
        self.fairName = fairName
        self.applicationID = applicationID
        self.applicantKind = applicantKind
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.countyCode = countyCode
        self.countyName = countyName
        self.releasedBooths = releasedBooths
        self.booths = booths
        self.status = status
        self.reason = reason
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("fair_id", .string(fairID)), ("fair_name", JSONValue(fairName)), ("application_id", .string(applicationID)),
            ("applicant_kind", JSONValue(code: applicantKind)), ("supplier_id", JSONValue(supplierID)),
            ("supplier_name", JSONValue(supplierName)),
            ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("released_booths", .array(releasedBooths.map { JSONValue($0) })), ("booths", .array(booths.map { JSONValue($0) })),
            ("status", JSONValue(code: status)), ("reason", .string(reason)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            fairID: data.string("fair_id"),
            fairName: data.string(orNull: "fair_name"),
            applicationID: data.string("application_id"),
            applicantKind: data.code("applicant_kind"),
            supplierID: data.string(orNull: "supplier_id"),
            supplierName: data.string(orNull: "supplier_name"),
            countyCode: data.string("county_code"),
            countyName: data.string(orNull: "county_name"),
            releasedBooths: data.ints("released_booths"),
            booths: data.ints("booths"),
            status: data.code("status"),
            reason: data.string("reason")
        )
    }
}
