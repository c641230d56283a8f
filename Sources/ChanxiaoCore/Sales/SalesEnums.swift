/// Where a sale was made: the channels the seeds name (canteens, unions, the 1+10 centers,
/// counters, halls, online and offline zones, livestreams, fairs, the 扶贫832 platform).
public enum SalesChannel: String, Sendable, CaseIterable, Codable {
    case canteen, union, center, counter, hall
    case zoneOnline = "zone_online"
    case zoneOffline = "zone_offline"
    case livestream, fair
    case platform832 = "platform_832"
    case other

    /// The channel of a sale recorded from an accepted match, by the buyer's kind.
    public init(buyerKind: BuyerKind) {
        switch buyerKind {
        case .canteen: self = .canteen
        case .union: self = .union
        case .center: self = .center
        case .counter: self = .counter
        case .hall: self = .hall
        case .supermarket: self = .zoneOffline
        case .budgetUnit: self = .other
        }
    }
}

/// The points of sale the county statistics table counts (seed 002 annex): online and offline
/// zones (专区), halls (专馆), counters (专柜) and livestream bases (直播基地).
public enum OutletKind: String, Sendable, CaseIterable, Codable {
    case zoneOnline = "zone_online"
    case zoneOffline = "zone_offline"
    case hall, counter
    case livestreamBase = "livestream_base"

    /// As the county statistics table words them.
    public var chineseName: String {
        switch self {
        case .zoneOnline: "线上专区"
        case .zoneOffline: "线下专区"
        case .hall: "专馆"
        case .counter: "专柜"
        case .livestreamBase: "直播基地"
        }
    }
}

/// Large production–sales events (大型产销活动): fairs, signing ceremonies (签约仪式, seed 001
/// §四(七), seed 002 六), promotions (专场推介, seed 000 §四(三)), festivals (节会, seed 002) and others.
public enum SalesEventKind: String, Sendable, CaseIterable, Codable {
    case fair, signing, promotion, festival, other
}
