import Foundation

/// Where an application for certification stands (seed 003 §五(一): 县级扶贫部门认定、定期公示;
/// the national chain 县认定、市审核、省复核、汇总备案并公示发布). Only a listed certification
/// makes a product a certified poverty product, and only for the days it covers.
public enum CertificationStatus: String, Sendable, CaseIterable, Codable {
    /// A supplier applied for its product, with its evidence.
    case applied
    /// A reviewer of the county's jurisdiction took it up.
    case reviewing
    /// Approved and on public notice (公示) for `certification.notice_days`: anyone may object.
    case notice
    /// Listed: the product counts as certified from the day it was listed until `valid_until`.
    case listed
    /// Refused in review, or on an objection upheld during the notice.
    case rejected
    /// Withdrawn after listing, with a reason; it stops counting from the day of revocation.
    case revoked
    /// Listed, but `valid_until` has passed. Never stored: a listed certification reads as
    /// expired from the day after its validity ends.
    case expired

    /// The states an application is still open in (one product has at most one).
    public static let open: Set<CertificationStatus> = [.applied, .reviewing, .notice]
}

/// The level of the issuing authority (县, 市/州, 省, 国家).
public enum CertificationLevel: String, Sendable, CaseIterable, Codable {
    case county, city, province, national

    /// The division level an authority of this level has: 341125 (county), 341100 (city),
    /// 340000 (province); national authorities have none.
    public func problem(withAuthorityCode code: String) -> String? {
        switch self {
        case .county where code.hasSuffix("00"):
            return "a county authority's code does not end in 00 (got \(code))"
        case .city where !code.hasSuffix("00") || code.hasSuffix("0000"):
            return "a city authority's code ends in 00 but not 0000 (got \(code))"
        case .province where !code.hasSuffix("0000"):
            return "a province authority's code ends in 0000 (got \(code))"
        default: return nil
        }
    }
}

/// The days one listing makes a product a certified poverty product: from `from` (nil: since
/// before chanxiao kept certifications) through `through`, both included.
public struct CertifiedSpan: Sendable, Hashable, Codable {
    public var certificateNo: String
    public var from: CalendarDate?
    public var through: CalendarDate

    public init(certificateNo: String, from: CalendarDate?, through: CalendarDate) {
        self.certificateNo = certificateNo
        self.from = from
        self.through = through
    }

    enum CodingKeys: String, CodingKey {
        case certificateNo = "certificate_no"
        case from, through
    }

    public func covers(_ date: CalendarDate) -> Bool {
        date <= through && (from.map { $0 <= date } ?? true)
    }
}

/// A product's certification: its application, the authority's decision, the notice, the
/// listing and its end. Only reviewers (and admins) move it past `applied`.
public struct Certification: Sendable, Equatable {
    public var id: String
    public var productID: String
    /// Copied from the product by the store.
    public var supplierID: String
    public var countyCode: String
    public var status: CertificationStatus

    // What the applicant submits as evidence.
    /// Where the product is grown or made (生产基地).
    public var productionBase: String
    /// Poor households the product's production is linked with (带贫户数), as the applicant says.
    public var linkedHouseholds: Int
    /// Food-safety documents (certificates, test reports) by number.
    public var foodSafetyDocs: [String]

    // What the authority decides.
    public var certificateNo: String?
    public var authorityCode: String?
    public var authorityName: String?
    public var level: CertificationLevel?
    public var validFrom: CalendarDate?
    public var validUntil: CalendarDate?
    public var noticeStartsOn: CalendarDate?
    /// The last day of the notice; listing is possible from the day after.
    public var noticeEndsOn: CalendarDate?
    public var listedOn: CalendarDate?
    public var endedOn: CalendarDate?
    /// Why it was rejected or revoked.
    public var reason: String?
    /// Made by the migration from the certificate fields products used to carry, or by a
    /// trusted catalog seed: no application or review stands behind it.
    public var origin: Origin
    public var createdAt: Date
    public var updatedAt: Date

    public enum Origin: String, Sendable, Codable {
        /// Applied for, reviewed, noticed and listed in chanxiao.
        case application
        /// Listed by a bulk import of an official list.
        case officialList = "official_list"
        /// Carried over from the certificate fields products had before certifications.
        case migrated
        /// Listed by a catalog seed (the demo, tests): trusted code, never a client.
        case seeded
    }

    public init(
        id: String,
        productID: String,
        supplierID: String = "",
        countyCode: String = "",
        status: CertificationStatus = .applied,
        productionBase: String = "",
        linkedHouseholds: Int = 0,
        foodSafetyDocs: [String] = [],
        certificateNo: String? = nil,
        authorityCode: String? = nil,
        authorityName: String? = nil,
        level: CertificationLevel? = nil,
        validFrom: CalendarDate? = nil,
        validUntil: CalendarDate? = nil,
        noticeStartsOn: CalendarDate? = nil,
        noticeEndsOn: CalendarDate? = nil,
        listedOn: CalendarDate? = nil,
        endedOn: CalendarDate? = nil,
        reason: String? = nil,
        origin: Origin = .application,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.productID = productID
        self.supplierID = supplierID
        self.countyCode = countyCode
        self.status = status
        self.productionBase = productionBase
        self.linkedHouseholds = linkedHouseholds
        self.foodSafetyDocs = foodSafetyDocs
        self.certificateNo = certificateNo
        self.authorityCode = authorityCode
        self.authorityName = authorityName
        self.level = level
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.noticeStartsOn = noticeStartsOn
        self.noticeEndsOn = noticeEndsOn
        self.listedOn = listedOn
        self.endedOn = endedOn
        self.reason = reason
        self.origin = origin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The status as of `today`: a listing whose validity has ended reads as expired.
    public func status(on today: CalendarDate) -> CertificationStatus {
        if status == .listed, let validUntil, today > validUntil { return .expired }
        return status
    }

    /// The days this certification made (or makes) the product certified: from the later of
    /// its listing and `valid_from`, through `valid_until` or the day before its revocation.
    /// Nil when it never counted.
    public var span: CertifiedSpan? {
        guard status == .listed || status == .revoked, let certificateNo, let validUntil else { return nil }
        let starts = [validFrom, listedOn].compactMap { $0 }.max()
        var through = validUntil
        if status == .revoked, let endedOn {
            through = min(through, endedOn.adding(days: -1))
        }
        if let starts, starts > through { return nil }
        return CertifiedSpan(certificateNo: certificateNo, from: starts, through: through)
    }
}

/// An objection lodged during a certification's public notice (公示期异议); while one is open
/// the certification cannot be listed.
public struct CertificationObjection: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case open, upheld, dismissed
    }

    public var id: String
    public var certificationID: String
    public var reason: String
    /// The token that lodged it; shown to staff only.
    public var filedBy: String
    public var status: Status
    public var resolution: String?
    public var resolvedBy: String?
    public var createdAt: Date
    public var resolvedAt: Date?

    public init(
        id: String,
        certificationID: String,
        reason: String,
        filedBy: String,
        status: Status = .open,
        resolution: String? = nil,
        resolvedBy: String? = nil,
        createdAt: Date,
        resolvedAt: Date? = nil
    ) {
        self.id = id
        self.certificationID = certificationID
        self.reason = reason
        self.filedBy = filedBy
        self.status = status
        self.resolution = resolution
        self.resolvedBy = resolvedBy
        self.createdAt = createdAt
        self.resolvedAt = resolvedAt
    }
}

/// One step in a certification's history.
public typealias CertificationStep = HistoryStep<CertificationStatus>

/// What a reviewer (or an admin) does to a certification, and the states each is taken from.
/// Anything else is a conflict that names the current state.
public enum CertificationAction: String, Sendable, CaseIterable {
    /// applied → reviewing.
    case review
    /// reviewing → notice, with the certificate's number, authority and validity.
    case approve
    /// applied, reviewing or notice → rejected, with a reason.
    case reject
    /// notice → listed, once the notice has ended with no open objection.
    case list
    /// listed (or expired) → revoked, with a reason.
    case revoke

    public var allowedFrom: Set<CertificationStatus> {
        switch self {
        case .review: [.applied]
        case .approve: [.reviewing]
        case .reject: [.applied, .reviewing, .notice]
        case .list: [.notice]
        case .revoke: [.listed]
        }
    }

    public var resultingStatus: CertificationStatus {
        switch self {
        case .review: .reviewing
        case .approve: .notice
        case .reject: .rejected
        case .list: .listed
        case .revoke: .revoked
        }
    }
}
