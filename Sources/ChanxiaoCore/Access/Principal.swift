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

    public init(tokenID: String, role: Role, buyerID: String? = nil, supplierID: String? = nil) {
        self.tokenID = tokenID
        self.role = role
        self.buyerID = buyerID
        self.supplierID = supplierID
    }

    /// The resources a bound token owns, or nil for unbound roles.
    public var ownership: Owner? {
        switch role {
        case .admin, .organizer, .calendar: nil
        case .buyer: buyerID.map(Owner.buyer)
        case .supplier: supplierID.map(Owner.supplier)
        }
    }
}
