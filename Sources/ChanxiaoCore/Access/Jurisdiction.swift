/// The regions a bound organizer plans and counts in (GB/T 2260 codes: a province 440000, a
/// city 440300, a district 440304). Inside them: buyers, venues and what happens at those
/// venues; the counties inside them or paired with them (东西部扶贫协作), and their suppliers
/// and products. Everything else reads as absent (404), as another owner's resources do.
public struct Jurisdiction: Sendable, Hashable {
    /// Never empty: an unbound organizer has no jurisdiction, not an empty one.
    public let regions: [String]

    /// Nil for no regions: the national view.
    public init?(regions: [String]) {
        guard !regions.isEmpty else { return nil }
        self.regions = regions.sorted()
    }

    /// Whether `code` (a region or county) lies inside one of the regions.
    public func covers(_ code: String) -> Bool {
        DivisionCode.regions(regions, cover: code)
    }

    /// Whether a county paired with `code` is the jurisdiction's partner: the pairing region
    /// lies inside one of the regions, or contains one (a county paired with Shenzhen is
    /// Futian's partner too).
    public func overlaps(_ code: String) -> Bool {
        covers(code) || regions.contains { DivisionCode.region(code, contains: $0) }
    }

    /// Whether the county is inside the regions or paired with them.
    public func reaches(_ county: County) -> Bool {
        covers(county.code) || county.pairedRegionCodes.contains(where: overlaps)
    }
}

extension Principal {
    /// A region-bound organizer's jurisdiction; nil for every other token (reviewers' regions
    /// are checked where they act, on certifications).
    public var jurisdiction: Jurisdiction? {
        role == .organizer ? Jurisdiction(regions: regions) : nil
    }
}
