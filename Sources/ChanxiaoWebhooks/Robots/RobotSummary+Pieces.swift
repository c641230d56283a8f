import ChanxiaoCore
import Foundation

/// What a match names of its product: the match events and the matches of `quota.at_risk`
/// show it alike.
protocol MatchedProduct {
    var productID: String { get }
    var productName: String? { get }
    var countyCode: String { get }
    var countyName: String? { get }
    var unit: String? { get }
    var weeklyVolume: Int { get }
    var unitPriceFen: Int { get }
}

extension MatchPayload: MatchedProduct {}
extension QuotaAtRiskPayload.MatchLine: MatchedProduct {}

/// What a booth event names of its applicant: `fair.booth_assigned` and `booth.released` alike.
protocol BoothApplicant {
    var supplierID: String? { get }
    var supplierName: String? { get }
    var countyCode: String { get }
    var countyName: String? { get }
}

extension BoothAssignedPayload: BoothApplicant {}
extension BoothReleasedPayload: BoothApplicant {}

/// Pieces of text several types share.
extension RobotSummary {
    /// "保靖黄金茶（湖南保靖县）200 斤/周", with "，单价 12.50元/斤" when asked.
    static func matchProduct(_ product: some MatchedProduct, withPrice: Bool) -> String {
        var text = RobotText.name(product.productName, id: product.productID)
        if let county = RobotText.shown(product.countyName) ?? RobotText.shown(product.countyCode) { text += "（\(county)）" }
        let unit = RobotText.unit(product.unit)
        // No space after a full-width bracket, one after a bare name.
        text += (text.hasSuffix("）") ? "" : " ") + RobotText.volume(product.weeklyVolume, unit: unit)
        if withPrice { text += "，单价 " + RobotText.yuan(fen: product.unitPriceFen) + (unit.map { "/" + $0 } ?? "") }
        return text
    }

    /// "第47周 保靖县·黄金茶；第48周 …；…共8周".
    static func slotList(_ slots: [EventSlot], total: Int, shown: Int) -> String {
        let items = slots.prefix(shown).map { slot in
            "第\(slot.week.week)周 " + (RobotText.shown(slot.countyName) ?? RobotText.shown(slot.countyCode) ?? "—") + "·"
                + RobotText.name(slot.productName, id: slot.productID)
        }
        let more = max(total, slots.count) > items.count ? "；…共\(max(total, slots.count))周" : ""
        return items.joined(separator: "；") + more
    }

    /// "第48周与第50周对调", "第49周更换县或产品".
    static func changeName(_ change: SlotChangedPayload.Change) -> String {
        switch change {
        case .swap(let first, let second): "第\(first.week)周与第\(second.week)周对调"
        case .replace(let week, _, _): "第\(week.week)周更换县或产品"
        }
    }

    /// "李佳（抖音）".
    static func host(_ session: LivestreamPayload) -> String {
        let platform =
            switch session.platform {
            case .douyin: "抖音"
            case .kuaishou: "快手"
            case .taobao: "淘宝直播"
            case .wechatChannels: "视频号"
            case .other: "其他平台"
            }
        return RobotText.name(session.hostName, id: session.hostID) + "（\(platform)）"
    }

    /// "黄金茶、猕猴桃、腊肉 等5款".
    static func productList(_ products: [LivestreamPayload.Product]) -> String {
        let names = products.prefix(3).map { RobotText.name($0.productName, id: $0.productID) }.joined(separator: "、")
        return products.count > 3 ? names + " 等\(products.count)款" : names
    }

    /// The products of a session named by `ids` (the still-eligible ones of a cancellation),
    /// with the names the session carries: "黄金茶、猕猴桃".
    static func productList(_ ids: [String], of session: LivestreamPayload) -> String {
        productList(
            ids.map { id -> LivestreamPayload.Product in
                session.products.first { $0.productID == id } ?? LivestreamPayload.Product(productID: id, productName: nil, supplierID: nil)
            }
        )
    }

    /// "乐业猕猴桃（乐业县）".
    static func productWithCounty(_ product: ProductSlowMovingPayload) -> String {
        RobotText.name(product.productName, id: product.productID) + (RobotText.shown(product.countyName).map { "（\($0)）" } ?? "")
    }

    /// The applying supplier with its county, or the applying county.
    static func applicant(_ booths: some BoothApplicant) -> String {
        if booths.supplierID?.isEmpty == false || booths.supplierName?.isEmpty == false {
            return supplierWithCounty(name: booths.supplierName, id: booths.supplierID, countyName: booths.countyName, countyCode: booths.countyCode)
        }
        return RobotText.shown(booths.countyName) ?? RobotText.shown(booths.countyCode) ?? "—"
    }

    /// "某某商贸（花垣县）".
    static func supplierWithCounty(name: String?, id: String?, countyName: String?, countyCode: String?) -> String {
        let supplier = RobotText.name(name, id: id)
        guard let county = RobotText.shown(countyName) ?? RobotText.shown(countyCode) else { return supplier }
        return supplier + "（\(county)）"
    }

    /// "12、13号（申请3个）"; long lists end in "等N个".
    static func boothList(_ booths: [Int], requested: Int) -> String {
        var text = boothNumbers(booths)
        if requested != booths.count { text += "（申请\(requested)个）" }
        return text
    }

    /// "12、13号", "暂无"; long lists end in "等N个".
    static func boothNumbers(_ booths: [Int]) -> String {
        booths.isEmpty
            ? "暂无"
            : booths.prefix(10).map(String.init).joined(separator: "、") + "号" + (booths.count > 10 ? " 等\(booths.count)个" : "")
    }

    static func applicationStatus(_ status: ApplicationStatus) -> String {
        switch status {
        case .pending: "待分配"
        case .allocated: "已分配"
        case .waitlisted: "候补中，有展位空出时依次递补"
        case .ineligible: "不符合参展条件"
        case .withdrawn: "已退出"
        }
    }

    /// The description and the host only: the path and query of a robot URL hold its key.
    static func endpoint(_ endpoint: EndpointDisabledPayload) -> String {
        let host = URLComponents(string: endpoint.url)?.host.map { RobotText.plain($0, limit: 60) }
        let description = RobotText.shown(endpoint.description, limit: 40) ?? RobotText.shown(endpoint.endpointID)
        switch (description, host) {
        case let (description?, host?): return description + "（\(host)）"
        case let (description?, nil): return description
        case let (nil, host?): return host
        case (nil, nil): return "—"
        }
    }
}
