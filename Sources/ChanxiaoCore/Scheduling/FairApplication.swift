import Foundation

/// Who applies for booths: a county (its poverty-alleviation office, for its suppliers) or one supplier.
public enum ApplicantKind: String, Sendable, CaseIterable, Codable {
    case county, supplier
}

public enum ApplicationStatus: String, Sendable, CaseIterable, Codable {
    /// Not yet considered by an allocation.
    case pending
    /// Given every booth it may have.
    case allocated
    /// Waiting for (more) booths; moves up when a booth is released.
    case waitlisted
    /// Cannot be given booths (a blacklisted supplier); the reason says why.
    case ineligible
    /// Gave back the only booth it still asked for: out of the allocation.
    case withdrawn
}

/// An application for booths at a fair.
public struct FairApplication: Sendable, Equatable {
    public var id: String
    public var fairID: String
    public var applicantKind: ApplicantKind
    public var countyCode: String
    /// Set when a supplier applies.
    public var supplierID: String?
    public var productIDs: [String]
    public var boothsRequested: Int
    public var status: ApplicationStatus
    public var booths: [Int]
    /// Why the application has its status, in words.
    public var note: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        fairID: String,
        applicantKind: ApplicantKind,
        countyCode: String,
        supplierID: String? = nil,
        productIDs: [String],
        boothsRequested: Int,
        status: ApplicationStatus = .pending,
        booths: [Int] = [],
        note: String? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.fairID = fairID
        self.applicantKind = applicantKind
        self.countyCode = countyCode
        self.supplierID = supplierID
        self.productIDs = productIDs
        self.boothsRequested = boothsRequested
        self.status = status
        self.booths = booths
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The applicant: one county or one supplier, whatever number of applications it sends.
    public var applicant: String { supplierID.map { "supplier:\($0)" } ?? "county:\(countyCode)" }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("fair_id", .string(fairID)), ("applicant_kind", .string(applicantKind.rawValue)),
            ("county_code", .string(countyCode)), ("supplier_id", JSONValue(supplierID)),
            ("product_ids", .array(productIDs.map(JSONValue.string))), ("booths_requested", JSONValue(boothsRequested)),
            ("status", .string(status.rawValue)), ("booths", .array(booths.map { .int(Int64($0)) })), ("note", JSONValue(note)),
            ("created_at", .string(Timestamp.string(from: createdAt))), ("updated_at", .string(Timestamp.string(from: updatedAt))),
        ]
    }
}
