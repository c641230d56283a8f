/// The roles a token can carry.
public enum Role: String, Sendable, CaseIterable, Codable {
    /// Everything, including imports, blacklisting and the audit log.
    case admin
    /// Reads the catalog; plans schedules and runs reports.
    case organizer
    /// Bound to one buyer: its own buyer record, demands and matches.
    case buyer
    /// Bound to one supplier: its own supplier record and products.
    case supplier
    /// A certifying authority's reviewer (县/市/省扶贫部门): takes up applications, approves
    /// them for notice, lists, rejects and revokes certifications, and resolves objections,
    /// within its regions; reads the catalog it reviews. Plans nothing and counts nothing, so
    /// that the one who certifies is not the one whose figures the certificate raises.
    case reviewer
    /// Reads the published calendar feeds and nothing else: what a calendar app subscribes
    /// with, so that a subscription URL or a saved password never carries a token that can
    /// read or change anything more.
    case calendar
}

/// Who is making a request: the bearer of a token.
public struct Principal: Sendable, Hashable {
    public var tokenID: String
    public var role: Role
    public var buyerID: String?
    public var supplierID: String?
    /// The regions (6-digit GB/T 2260 codes: 340000, 341100, 341125) a reviewer or an
    /// organizer acts in (`Jurisdiction`); empty for every other role and for national ones.
    public var regions: [String]

    public init(tokenID: String, role: Role, buyerID: String? = nil, supplierID: String? = nil, regions: [String] = []) {
        self.tokenID = tokenID
        self.role = role
        self.buyerID = buyerID
        self.supplierID = supplierID
        self.regions = regions
    }

    /// The resources a bound token owns, or nil for unbound roles.
    public var ownership: Owner? {
        switch role {
        case .admin, .organizer, .reviewer, .calendar: nil
        case .buyer: buyerID.map(Owner.buyer)
        case .supplier: supplierID.map(Owner.supplier)
        }
    }
}
