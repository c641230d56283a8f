/// Where a county stands in poverty alleviation. `deep` marks the priority counties
/// (seed 001: counties not yet lifted and those with more than 5000 poor people).
public enum PovertyStatus: String, Sendable, CaseIterable, Codable {
    case national, provincial, deep, lifted, none
}

public enum SupplierKind: String, Sendable, CaseIterable, Codable {
    case enterprise
    case cooperative
    case familyFarm = "family_farm"
}

/// Institutional buyers named by the seeds; each kind has its own default share target.
public enum BuyerKind: String, Sendable, CaseIterable, Codable {
    case canteen
    case union
    case center
    case supermarket
    case counter
    case hall
    case budgetUnit = "budget_unit"

    /// The seeds' share targets: budget units 30% (seed 000 §四(五)), unions 50% (seed 004
    /// §三(一)), counters 30% (seed 000), halls 30% (seed 003); others follow the 30% of fairs
    /// (seed 001). The configuration's defaults (`buyers.share_targets.*`).
    public static let seedShareTargets: [BuyerKind: Double] = [
        .budgetUnit: 0.30, .union: 0.50, .counter: 0.30, .hall: 0.30,
        .canteen: 0.30, .center: 0.30, .supermarket: 0.30,
    ]
}

/// Where featured weeks, fairs and livestreams happen: a demonstration or poverty-alleviation
/// center (示范中心, 消费扶贫中心), a fair ground (展销会场地) or a livestream studio.
public enum VenueKind: String, Sendable, CaseIterable, Codable {
    case center
    case fairGround = "fair_ground"
    case studio
}

/// Livestream platforms a host presents on.
public enum LivestreamPlatform: String, Sendable, CaseIterable, Codable {
    case douyin, kuaishou, taobao
    case wechatChannels = "wechat_channels"
    case other
}
