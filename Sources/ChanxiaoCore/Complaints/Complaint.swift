import Foundation

/// What a complaint is about: a product, or a supplier as a whole.
public enum ComplaintSubjectKind: String, Sendable, CaseIterable, Codable {
    case product, supplier
}

/// What went wrong, as the complainant sees it (seed 000 §八(五) 接受群众投诉举报; seed 001 names
/// the 12317 hotline, and paid livestreaming is forbidden, 不搞有偿直播带货).
public enum ComplaintCategory: String, Sendable, CaseIterable, Codable {
    /// A certificate that is forged, borrowed, or names another product.
    case fakeCertificate = "fake_certificate"
    case quality
    case price
    /// Paid promotion in a livestream (seed 001 §七(五)).
    case paidLivestream = "paid_livestream"
    /// Less delivered than sold (缺斤短两).
    case shortWeight = "short_weight"
    case other
}

/// Where a complaint stands. Upheld and dismissed are final.
public enum ComplaintStatus: String, Sendable, CaseIterable, Codable {
    case open, investigating, upheld, dismissed
}

/// What staff do to a complaint, and the states each is taken from. Anything else is a conflict
/// that names the current state.
public enum ComplaintAction: String, Sendable, CaseIterable {
    /// open → investigating.
    case investigate
    /// open or investigating → dismissed, with a resolution.
    case dismiss
    /// open or investigating → upheld, with a resolution and a remedy.
    case uphold

    public var allowedFrom: Set<ComplaintStatus> {
        switch self {
        case .investigate: [.open]
        case .dismiss, .uphold: [.open, .investigating]
        }
    }

    public var resultingStatus: ComplaintStatus {
        switch self {
        case .investigate: .investigating
        case .dismiss: .dismissed
        case .uphold: .upheld
        }
    }
}

/// What an upheld complaint does besides recording the finding (the `action` of an uphold).
public enum ComplaintRemedy: String, Sendable, CaseIterable, Codable {
    /// The finding is recorded; nothing else changes.
    case none
    /// The product's listed certification is revoked, as a reviewer's revocation.
    case revokeCertification = "revoke_certification"
    /// The supplier (or the product's supplier) is blacklisted, as an admin's PATCH would.
    case blacklistSupplier = "blacklist_supplier"

    /// Whether a role may choose this remedy. Revoking is the certifying authority's act
    /// (reviewers, within their regions, and admins); blacklisting keeps a supplier out of every
    /// trade everywhere, so it stays with admins, who alone blacklist by PATCH too.
    public func isAllowed(for role: Role) -> Bool {
        switch self {
        case .none, .revokeCertification: role == .admin || role == .reviewer
        case .blacklistSupplier: role == .admin
        }
    }
}

/// A complaint (投诉举报) about a product or a supplier, and what staff found.
public struct Complaint: Sendable, Equatable {
    public var id: String
    public var subjectKind: ComplaintSubjectKind
    public var subjectID: String
    /// Copied from the subject when filed, for scoping: the supplier, and its county.
    public var supplierID: String
    public var countyCode: String
    public var category: ComplaintCategory
    public var description: String
    /// Document numbers, links: what the complainant offers to back it.
    public var evidence: String?
    public var status: ComplaintStatus
    /// The token that filed it; shown to staff and to the filer only.
    public var filedBy: String
    public var resolution: String?
    /// Set when upheld.
    public var remedy: ComplaintRemedy?
    /// The certifications an upheld complaint revoked.
    public var revokedCertificationIDs: [String]
    public var resolvedBy: String?
    public var resolvedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        subjectKind: ComplaintSubjectKind,
        subjectID: String,
        supplierID: String,
        countyCode: String,
        category: ComplaintCategory,
        description: String,
        evidence: String? = nil,
        status: ComplaintStatus = .open,
        filedBy: String,
        resolution: String? = nil,
        remedy: ComplaintRemedy? = nil,
        revokedCertificationIDs: [String] = [],
        resolvedBy: String? = nil,
        resolvedAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.supplierID = supplierID
        self.countyCode = countyCode
        self.category = category
        self.description = description
        self.evidence = evidence
        self.status = status
        self.filedBy = filedBy
        self.resolution = resolution
        self.remedy = remedy
        self.revokedCertificationIDs = revokedCertificationIDs
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One step in a complaint's history.
public typealias ComplaintStep = HistoryStep<ComplaintStatus>

/// Which complaints a token reads. Every role but calendar files complaints, so reading is
/// not "all or owned" as the access policy knows it: staff who triage read all (reviewers those
/// of their regions), everyone else only what it filed. A supplier is never shown the
/// complaints about itself, so that complainants are not exposed to the accused.
public enum ComplaintScope: Sendable, Equatable {
    case all
    /// Complaints whose county lies in one of these regions.
    case regions([String])
    /// Complaints filed by this token.
    case filedBy(String)

    public init(_ principal: Principal) {
        switch principal.role {
        case .admin: self = .all
        case .reviewer: self = principal.regions.isEmpty ? .all : .regions(principal.regions)
        case .organizer, .buyer, .supplier, .calendar: self = .filedBy(principal.tokenID)
        }
    }

    /// Whether this reader triages complaints (and so sees who filed and who acted).
    public var isStaff: Bool {
        if case .filedBy = self { return false }
        return true
    }
}
