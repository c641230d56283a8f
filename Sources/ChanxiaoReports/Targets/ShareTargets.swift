import ChanxiaoCore

/// A share target for the buyers of one jurisdiction, optionally of one kind:
/// `440300 budget_unit 0.30` or `450000 0.20` (targets of 10–30% differ by province and year).
public struct RegionalShareTarget: Sendable, Equatable, CustomStringConvertible {
    public var regionCode: String
    public var kind: BuyerKind?
    public var share: Double

    public init(regionCode: String, kind: BuyerKind? = nil, share: Double) {
        self.regionCode = regionCode
        self.kind = kind
        self.share = share
    }

    /// Parses `REGION [KIND] SHARE`.
    public init?(_ text: String) {
        guard case .success(let rule) = Self.parse(text) else { return nil }
        self = rule
    }

    /// Why `text` is not a rule, or nil when it is one.
    public static func problem(with text: String) -> String? {
        if case .failure(let problem) = parse(text) { return problem.message }
        return nil
    }

    public struct Problem: Error { public var message: String }

    private static func parse(_ text: String) -> Result<RegionalShareTarget, Problem> {
        let parts = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            return .failure(Problem(message: "write REGION [KIND] SHARE, e.g. \"440300 budget_unit 0.30\" or \"450000 0.20\""))
        }
        if let problem = DivisionCode.problem(with: parts[0], level: .any) { return .failure(Problem(message: problem)) }
        var kind: BuyerKind?
        if parts.count == 3 {
            guard let parsed = BuyerKind(rawValue: parts[1]) else {
                return .failure(
                    Problem(message: "unknown buyer kind \(parts[1]); one of \(BuyerKind.allCases.map(\.rawValue).joined(separator: ", "))")
                )
            }
            kind = parsed
        }
        guard let share = Double(parts[parts.count - 1]), share.isFinite, (0...1).contains(share) else {
            return .failure(Problem(message: "the share must be a number from 0 to 1, got \(parts[parts.count - 1])"))
        }
        return .success(RegionalShareTarget(regionCode: parts[0], kind: kind, share: share))
    }

    public var description: String {
        [regionCode, kind?.rawValue, String(share)].compactMap { $0 }.joined(separator: " ")
    }
}

/// Where a buyer's target comes from, most specific first: the buyer's own, then the most
/// specific jurisdiction (a kind's rule before the jurisdiction's general one), then the
/// default of the buyer's kind.
public struct ShareTargetPolicy: Sendable, Equatable {
    public var kindDefaults: [BuyerKind: Double]
    public var regional: [RegionalShareTarget]

    public init(kindDefaults: [BuyerKind: Double], regional: [RegionalShareTarget] = []) {
        self.kindDefaults = kindDefaults
        self.regional = regional
    }

    public struct Resolved: Sendable, Equatable {
        public var share: Double
        /// `buyer`, `region` or `kind`.
        public var source: String
        /// The jurisdiction's code, for `region`.
        public var regionCode: String?
    }

    public func target(for buyer: Buyer) -> Resolved {
        if let own = buyer.povertyShareTarget { return Resolved(share: own, source: "buyer") }
        let applicable = regional.filter { rule in
            DivisionCode.region(rule.regionCode, contains: buyer.regionCode) && (rule.kind == nil || rule.kind == buyer.kind)
        }
        // Specificity: a county code beats a city code beats a province code; then a kind's rule.
        func rank(_ rule: RegionalShareTarget) -> (Int, Int) {
            let level = rule.regionCode.hasSuffix("0000") ? 0 : rule.regionCode.hasSuffix("00") ? 1 : 2
            return (level, rule.kind == nil ? 0 : 1)
        }
        if let best = applicable.max(by: { rank($0) < rank($1) }) {
            return Resolved(share: best.share, source: "region", regionCode: best.regionCode)
        }
        return Resolved(share: kindDefaults[buyer.kind] ?? 0, source: "kind")
    }
}
