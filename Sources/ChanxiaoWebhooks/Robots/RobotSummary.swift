import ChanxiaoCore
import Foundation

/// Short Chinese markdown for chat robots: a bold title and a few lines, the way a county
/// office or a canteen buyer is told in a work group. Names are shown when the event carries
/// them, ids otherwise, so that a message never needs a call back to the daemon.
public enum RobotSummary {
    /// One event: `**title**` and one to four short lines, joined by "\n".
    public static func summary(_ event: RobotEvent, zone: TimeZone) -> (title: String, markdown: String) {
        let card = card(event, zone: zone)
        return (card.title, (["**\(card.title)**"] + card.lines).joined(separator: "\n"))
    }

    /// One line for a digest: a short label and the key facts.
    static func line(_ event: RobotEvent, zone: TimeZone) -> String {
        let facts = RobotFacts(data: event.data, zone: zone)
        return label(event.type) + "：" + brief(event.type, facts)
    }

    /// What several pending events become: one message, so that a burst (a matching run of
    /// hundreds of proposals) is merged rather than dropped by the robot's rate limit. One
    /// event gives its summary.
    public static func digest(_ events: [RobotEvent], zone: TimeZone) -> (title: String, markdown: String) {
        let message = message(events, zone: zone)
        return (message.title, message.lines.joined(separator: "\n"))
    }

    /// A message before its lines are joined for one robot. The first `fixedLines` always stay;
    /// later lines may be cut from the end to fit a robot's size limit, and the footer says so.
    struct Message: Sendable {
        var title: String
        var lines: [String]
        var fixedLines: Int
        /// For a digest, how many events it covers (one line each after the fixed lines).
        var eventCount: Int?

        /// The last line of a message whose last `omitted` lines were cut.
        func footer(omitting omitted: Int) -> String {
            guard let eventCount else { return "…（内容较长，详见系统）" }
            return "…（共\(eventCount)条，余下\(omitted)条请到系统查看）"
        }
    }

    static func message(_ events: [RobotEvent], zone: TimeZone) -> Message {
        if events.count == 1 {
            let card = card(events[0], zone: zone)
            return Message(title: card.title, lines: ["**\(card.title)**"] + card.lines, fixedLines: 1, eventCount: nil)
        }
        if events.isEmpty {
            return Message(title: "产销对接通知", lines: ["**产销对接通知**", "暂无新通知"], fixedLines: 2, eventCount: nil)
        }
        let title = "产销对接通知（\(events.count)条）"
        var head = ["**\(title)**"]
        // A count per kind first, so that a long digest cut to fit still says what it held.
        var counts: [(type: EventType, count: Int)] = []
        for event in events {
            if let index = counts.firstIndex(where: { $0.type == event.type }) { counts[index].count += 1 }
            else { counts.append((event.type, 1)) }
        }
        if counts.count > 1 { head.append(counts.map { "\(label($0.type)) \($0.count)条" }.joined(separator: "、")) }
        let items = events.map { "- " + line($0, zone: zone) }
        return Message(title: title, lines: head + items, fixedLines: head.count, eventCount: events.count)
    }
}

// MARK: - Each event type

extension RobotSummary {
    static func card(_ event: RobotEvent, zone: TimeZone) -> (title: String, lines: [String]) {
        let f = RobotFacts(data: event.data, zone: zone)
        switch event.type {
        case .matchProposed, .matchAccepted, .matchDeclined, .matchExpired:
            var lines = ["采购方：" + f.name("buyer_name", id: "buyer_id"), "供应方：" + f.name("supplier_name", id: "supplier_id"),
                         "产品：" + matchProduct(f, withPrice: true)]
            let week = f.week("week").map { "第\($0.week)周" }
            let when: String? = switch event.type {
            case .matchProposed: f.time("expires_at").map { "请在 \($0) 前确认" }
            case .matchAccepted: f.time("decided_at").map { "\($0) 已确认" }
            case .matchDeclined: f.time("decided_at").map { "\($0) 已拒绝" }
            default: f.time("expires_at").map { "未在 \($0) 前确认，已过期" }
            }
            let last = [week.map { $0 + "供货" }, when].compactMap { $0 }
            if !last.isEmpty { lines.append(last.joined(separator: "，")) }
            return (title(event.type), lines)

        case .rotationPublished:
            var lines = ["场馆：" + f.name("venue_name", id: "venue_id")]
            if let from = f.week("from_week"), let weeks = f.int("weeks"), weeks > 0 {
                lines.append("时间：" + RobotText.weeks(from: from, count: weeks))
            }
            let slots = f.objects("slots")
            if !slots.isEmpty { lines.append("安排：" + slotList(slots, total: f.int("slot_count") ?? slots.count, shown: 3)) }
            return (title(event.type), lines)

        case .slotChanged:
            var lines = ["场馆：" + f.name("venue_name", id: "venue_id")]
            var change = "变更：" + changeName(f)
            if let reason = f.text("reason", limit: 60) ?? f.object("detail")?.text("reason", limit: 60) { change += "（原因：\(reason)）" }
            lines.append(change)
            let slots = f.objects("slots")
            if !slots.isEmpty { lines.append("调整后：" + slotList(slots, total: slots.count, shown: 3)) }
            return (title(event.type), lines)

        case .livestreamScheduled, .livestreamReminder:
            var lines: [String] = []
            if let topic = f.text("title", limit: 40) { lines.append("主题：" + topic) }
            lines.append("主播：" + host(f))
            if let start = f.date("starts_at") { lines.append("时间：" + RobotText.span(start, f.date("ends_at"), zone: zone)) }
            let products = f.objects("products")
            if !products.isEmpty { lines.append("产品：" + productList(products)) }
            let title = event.type == .livestreamReminder ? "直播提醒：" + RobotText.lead(minutes: f.int("starts_in_minutes") ?? f.int("lead_minutes")) : title(event.type)
            return (title, lines)

        case .fairBoothAssigned:
            let booths = f.ints("booths")
            var lines = ["展会：" + f.name("fair_name", id: "fair_id"), "申请方：" + applicant(f), "展位：" + boothList(booths, f)]
            if let status = f.raw("status"), status != ApplicationStatus.allocated.rawValue {
                lines.append("状态：" + applicationStatus(status))
            }
            return (booths.isEmpty ? "展会展位有更新" : title(event.type), lines)

        case .supplierBlacklisted:
            var lines = ["供应商：" + supplierWithCounty(f)]
            if let reason = f.text("reason", limit: 80) { lines.append("原因：" + reason) }
            if let day = f.raw("blacklisted_on").flatMap({ CalendarDate($0) }) {
                lines.append("自 \(day.year)年\(day.month)月\(day.day)日起不再参与匹配和排期")
            } else {
                lines.append("不再参与匹配和排期")
            }
            return (title(event.type), lines)

        case .quotaAtRisk:
            var lines = ["采购单位：" + f.name("buyer_name", id: "buyer_id")]
            if let share = f.double("share"), let target = f.double("target") {
                lines.append("扶贫产品占比 " + RobotText.percent(share) + "，目标 " + RobotText.percent(target))
            }
            if let gap = f.int("gap_fen") { lines.append("还需采购扶贫产品 " + RobotText.yuan(fen: gap)) }
            let matches = f.objects("matches")
            if !matches.isEmpty {
                lines.append("可确认：" + matches.prefix(2).map { matchProduct($0, withPrice: false) }.joined(separator: "；")
                    + (matches.count > 2 ? "等\(matches.count)项" : ""))
            }
            return (title(event.type), lines)

        case .productSlowMoving:
            var lines = ["产品：" + f.name("product_name", id: "product_id") + (f.text("county_name").map { "（\($0)）" } ?? "")]
            lines.append("供应方：" + f.name("supplier_name", id: "supplier_id"))
            if let taken = f.int("taken_volume"), let weeks = f.int("observed_weeks"), let capacity = f.int("weekly_capacity") {
                let unit = RobotText.unit(f.raw("unit")) ?? ""
                lines.append("近\(weeks)周销量 \(taken)\(unit)，周产能 \(capacity)\(unit)")
            }
            lines.append("请各中心协同销售（滞销共卖）")
            return (title(event.type), lines)

        case .reportWeekly:
            var lines: [String] = []
            if let week = f.week("week") { lines.append("周次：\(week.year)年第\(week.week)周") }
            if let totals = f.object("totals"), let amount = totals.int("sales_amount_fen") {
                lines.append("销售额 " + RobotText.yuan(fen: amount) + (totals.int("poverty_amount_fen").map { "，其中扶贫产品 " + RobotText.yuan(fen: $0) } ?? ""))
            }
            if let risk = f.int("targets_at_risk") { lines.append("未达目标单位 \(risk) 个") }
            return (title(event.type), lines)

        case .endpointDisabled:
            var lines = ["地址：" + endpoint(f)]
            if let reason = f.text("reason", limit: 80) { lines.append("原因：" + reason) }
            if let since = f.time("failing_since") { lines.append("自 \(since) 起推送失败") }
            lines.append("请检查接收方后在系统中重新启用")
            return (title(event.type), lines)
        }
    }

    /// The facts of one event in one line, after its label.
    static func brief(_ type: EventType, _ f: RobotFacts) -> String {
        switch type {
        case .matchProposed, .matchAccepted, .matchDeclined, .matchExpired:
            let text = matchProduct(f, withPrice: false) + " → " + f.name("buyer_name", id: "buyer_id")
            guard type == .matchProposed, let expires = f.time("expires_at") else { return text }
            return text + "，\(expires) 前确认"
        case .rotationPublished:
            let venue = f.name("venue_name", id: "venue_id")
            guard let from = f.week("from_week"), let weeks = f.int("weeks") else { return venue }
            return venue + "，\(from.year)年第\(from.week)周起共\(weeks)周"
        case .slotChanged:
            let slots = f.objects("slots")
            let venue = f.name("venue_name", id: "venue_id") + "，" + changeName(f)
            return slots.isEmpty ? venue : venue + "，" + slotList(slots, total: slots.count, shown: 2)
        case .livestreamScheduled, .livestreamReminder:
            var parts: [String] = []
            if type == .livestreamReminder { parts.append(RobotText.lead(minutes: f.int("starts_in_minutes") ?? f.int("lead_minutes"))) }
            if let start = f.time("starts_at") { parts.append(start) }
            parts.append("主播" + host(f))
            return parts.joined(separator: "，")
        case .fairBoothAssigned:
            return [f.name("fair_name", id: "fair_id"), applicant(f), boothList(f.ints("booths"), f)].joined(separator: "，")
        case .supplierBlacklisted:
            return supplierWithCounty(f)
        case .endpointDisabled:
            return endpoint(f)
        case .quotaAtRisk:
            return f.name("buyer_name", id: "buyer_id") + (f.double("share").map { "，占比 " + RobotText.percent($0) } ?? "")
                + (f.double("target").map { "，目标 " + RobotText.percent($0) } ?? "")
        case .productSlowMoving:
            return f.name("product_name", id: "product_id") + (f.text("county_name").map { "（\($0)）" } ?? "")
        case .reportWeekly:
            return f.week("week").map { "\($0.year)年第\($0.week)周" } ?? "周报"
        }
    }

    static func title(_ type: EventType) -> String {
        switch type {
        case .matchProposed: "新的产销匹配建议"
        case .matchAccepted: "产销匹配已确认"
        case .matchDeclined: "产销匹配已拒绝"
        case .matchExpired: "产销匹配已过期"
        case .rotationPublished: "一县一品轮展计划已发布"
        case .slotChanged: "轮展安排有调整"
        case .livestreamScheduled: "直播带货已排期"
        case .livestreamReminder: "直播提醒"
        case .fairBoothAssigned: "展会展位已分配"
        case .supplierBlacklisted: "供应商已列入诚信黑名单"
        case .endpointDisabled: "推送地址已停用"
        case .quotaAtRisk: "扶贫产品采购占比未达目标"
        case .productSlowMoving: "滞销产品预警"
        case .reportWeekly: "消费扶贫工作周报"
        }
    }

    static func label(_ type: EventType) -> String {
        switch type {
        case .matchProposed: "匹配建议"
        case .matchAccepted: "匹配确认"
        case .matchDeclined: "匹配拒绝"
        case .matchExpired: "匹配过期"
        case .rotationPublished: "轮展发布"
        case .slotChanged: "轮展调整"
        case .livestreamScheduled: "直播排期"
        case .livestreamReminder: "直播提醒"
        case .fairBoothAssigned: "展位分配"
        case .supplierBlacklisted: "黑名单"
        case .endpointDisabled: "推送停用"
        case .quotaAtRisk: "占比预警"
        case .productSlowMoving: "滞销预警"
        case .reportWeekly: "周报"
        }
    }
}

// MARK: - Pieces shared by several types

extension RobotSummary {
    /// "保靖黄金茶（湖南保靖县）200 斤/周", with "，单价 12.50元/斤" when asked.
    static func matchProduct(_ f: RobotFacts, withPrice: Bool) -> String {
        var text = f.name("product_name", id: "product_id")
        if let county = f.text("county_name") ?? f.text("county_code") { text += "（\(county)）" }
        let unit = RobotText.unit(f.raw("unit"))
        // No space after a full-width bracket, one after a bare name.
        if let volume = f.int("weekly_volume") { text += (text.hasSuffix("）") ? "" : " ") + RobotText.volume(volume, unit: unit) }
        if withPrice, let fen = f.int("unit_price_fen") {
            text += "，单价 " + RobotText.yuan(fen: fen) + (unit.map { "/" + $0 } ?? "")
        }
        return text
    }

    /// "第47周 保靖县·黄金茶；第48周 …；…共8周".
    static func slotList(_ slots: [RobotFacts], total: Int, shown: Int) -> String {
        let items = slots.prefix(shown).map { slot in
            let week = slot.week("week").map { "第\($0.week)周 " } ?? ""
            return week + (slot.text("county_name") ?? slot.text("county_code") ?? "—") + "·" + slot.name("product_name", id: "product_id")
        }
        let more = max(total, slots.count) > items.count ? "；…共\(max(total, slots.count))周" : ""
        return items.joined(separator: "；") + more
    }

    /// "第48周与第50周对调", "第49周更换县或产品", from `change` and its `detail`.
    static func changeName(_ f: RobotFacts) -> String {
        let detail = f.object("detail")
        switch f.raw("change") {
        case "swap":
            let weeks = (detail?.data["weeks"]?.array ?? []).compactMap { $0.string.flatMap { IsoWeek($0) } }
            return weeks.count == 2 ? "第\(weeks[0].week)周与第\(weeks[1].week)周对调" : "两周对调"
        case "replace":
            return (detail?.week("week").map { "第\($0.week)周" } ?? "") + "更换县或产品"
        case let other?:
            return RobotText.plain(other, limit: 20)
        case nil:
            return "有调整"
        }
    }

    /// "李佳（抖音）".
    static func host(_ f: RobotFacts) -> String {
        let platform: String = switch f.raw("platform") {
        case LivestreamPlatform.douyin.rawValue: "抖音"
        case LivestreamPlatform.kuaishou.rawValue: "快手"
        case LivestreamPlatform.taobao.rawValue: "淘宝直播"
        case LivestreamPlatform.wechatChannels.rawValue: "视频号"
        case LivestreamPlatform.other.rawValue: "其他平台"
        case let other?: RobotText.plain(other, limit: 20)
        case nil: ""
        }
        return f.name("host_name", id: "host_id") + (platform.isEmpty ? "" : "（\(platform)）")
    }

    /// "黄金茶、猕猴桃、腊肉 等5款".
    static func productList(_ products: [RobotFacts]) -> String {
        let names = products.prefix(3).map { $0.name("product_name", id: "product_id") }.joined(separator: "、")
        return products.count > 3 ? names + " 等\(products.count)款" : names
    }

    static func applicant(_ f: RobotFacts) -> String {
        if f.raw("supplier_id") != nil || f.raw("supplier_name") != nil { return supplierWithCounty(f) }
        return f.text("county_name") ?? f.text("county_code") ?? "—"
    }

    static func supplierWithCounty(_ f: RobotFacts) -> String {
        let supplier = f.name("supplier_name", id: "supplier_id")
        guard let county = f.text("county_name") ?? f.text("county_code") else { return supplier }
        return supplier + "（\(county)）"
    }

    /// "12、13号（申请3个）"; long lists end in "等N个".
    static func boothList(_ booths: [Int], _ f: RobotFacts) -> String {
        var text = booths.isEmpty ? "暂无"
            : booths.prefix(10).map(String.init).joined(separator: "、") + "号" + (booths.count > 10 ? " 等\(booths.count)个" : "")
        if let requested = f.int("booths_requested"), requested != booths.count { text += "（申请\(requested)个）" }
        return text
    }

    static func applicationStatus(_ raw: String) -> String {
        switch ApplicationStatus(rawValue: raw) {
        case .pending: "待分配"
        case .allocated: "已分配"
        case .waitlisted: "候补中，有展位空出时依次递补"
        case .ineligible: "不符合参展条件"
        case .withdrawn: "已退出"
        case nil: RobotText.plain(raw, limit: 20)
        }
    }

    /// The description and the host only: the path and query of a robot URL hold its key.
    static func endpoint(_ f: RobotFacts) -> String {
        let host = f.raw("url").flatMap { URLComponents(string: $0)?.host }.map { RobotText.plain($0, limit: 60) }
        let description = f.text("description", limit: 40) ?? f.text("endpoint_id")
        switch (description, host) {
        case let (description?, host?): return description + "（\(host)）"
        case let (description?, nil): return description
        case let (nil, host?): return host
        case (nil, nil): return "—"
        }
    }
}

// MARK: - Reading data

/// One event's `data` (or one of its nested objects) read as display text: user-supplied text
/// neutralised, times in the robot's zone.
struct RobotFacts {
    let data: [String: JSONValue]
    let zone: TimeZone

    /// The string as stored, for codes and parsing; nil when absent or empty.
    func raw(_ key: String) -> String? {
        guard let text = data[key]?.string, !text.isEmpty else { return nil }
        return text
    }

    /// The string made safe to show; nil when absent or blank.
    func text(_ key: String, limit: Int = 40) -> String? {
        guard let raw = raw(key) else { return nil }
        let text = RobotText.plain(raw, limit: limit)
        return text.isEmpty ? nil : text
    }

    /// The name, else the id, else a dash.
    func name(_ key: String, id idKey: String) -> String {
        text(key) ?? text(idKey) ?? "—"
    }

    func int(_ key: String) -> Int? {
        switch data[key] {
        case .int(let value): Int(exactly: value)
        case .double(let value) where value.isFinite && value == value.rounded() && abs(value) < 1e15: Int(value)
        default: nil
        }
    }

    func double(_ key: String) -> Double? {
        switch data[key] {
        case .int(let value): Double(value)
        case .double(let value) where value.isFinite: value
        default: nil
        }
    }

    func ints(_ key: String) -> [Int] {
        (data[key]?.array ?? []).compactMap { RobotFacts(data: ["n": $0], zone: zone).int("n") }
    }

    func date(_ key: String) -> Date? { raw(key).flatMap(Timestamp.date(from:)) }

    /// "11月24日 19:00" in the robot's zone.
    func time(_ key: String) -> String? { date(key).map { RobotText.time($0, zone: zone) } }

    func week(_ key: String) -> IsoWeek? { raw(key).flatMap { IsoWeek($0) } }

    func object(_ key: String) -> RobotFacts? {
        data[key]?.objectValue.map { RobotFacts(data: $0, zone: zone) }
    }

    func objects(_ key: String) -> [RobotFacts] {
        (data[key]?.array ?? []).compactMap { $0.objectValue.map { RobotFacts(data: $0, zone: zone) } }
    }
}

// MARK: - Display text

/// Chinese display conventions, and the neutralising of text that comes from users.
enum RobotText {
    /// Makes user-supplied text inert in the robots' markdown: line breaks and other controls
    /// become one space (a name cannot add lines), characters that open markup (emphasis, code,
    /// links, tables, HTML such as Feishu's `<at id=all>`) become their full-width forms, which
    /// read the same in Chinese text. `_` stays, because ids use it and mid-word it is inert.
    /// Long text is cut so that one name cannot crowd out a digest.
    static func plain(_ text: String, limit: Int = 40) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .spaceSeparator:
                pendingSpace = !scalars.isEmpty
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace { pendingSpace = !scalars.isEmpty; continue }
            // Bidirectional overrides would reorder the rest of the line on screen.
            if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) { continue }
            if pendingSpace { scalars.append(" "); pendingSpace = false }
            scalars.append(fullWidth[scalar] ?? scalar)
        }
        let result = String(scalars)
        return result.count > limit ? String(result.prefix(max(1, limit - 1))) + "…" : result
    }

    private static let fullWidth: [Unicode.Scalar: Unicode.Scalar] = [
        "*": "＊", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "~": "～", "|": "｜", "\\": "＼", "&": "＆",
    ]

    /// "11月24日 19:00".
    static func time(_ date: Date, zone: TimeZone) -> String {
        let parts = components(date, zone: zone)
        return "\(parts.month ?? 0)月\(parts.day ?? 0)日 " + clock(parts)
    }

    /// "11月24日 19:00–21:00", or both ends in full when it ends on another day.
    static func span(_ start: Date, _ end: Date?, zone: TimeZone) -> String {
        guard let end, end > start else { return time(start, zone: zone) }
        let first = components(start, zone: zone), last = components(end, zone: zone)
        if (first.year, first.month, first.day) == (last.year, last.month, last.day) { return time(start, zone: zone) + "–" + clock(last) }
        return time(start, zone: zone) + " 至 " + time(end, zone: zone)
    }

    /// "2026年第47周至第54周（共8周）".
    static func weeks(from first: IsoWeek, count: Int) -> String {
        let last = first.adding(weeks: count - 1)
        let start = "\(first.year)年第\(first.week)周"
        guard count > 1 else { return start + "（共1周）" }
        let end = last.year == first.year ? "第\(last.week)周" : "\(last.year)年第\(last.week)周"
        return start + "至" + end + "（共\(count)周）"
    }

    /// "1小时后开播", "24小时后开播", "30分钟后开播".
    static func lead(minutes: Int?) -> String {
        guard let minutes, minutes > 0 else { return "即将开播" }
        if minutes < 60 { return "\(minutes)分钟后开播" }
        return minutes % 60 == 0 ? "\(minutes / 60)小时后开播" : "\(minutes / 60)小时\(minutes % 60)分钟后开播"
    }

    /// "12.50元" from fen.
    static func yuan(fen: Int) -> String {
        let magnitude = fen.magnitude
        let cents = Int(magnitude % 100)
        return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)元"
    }

    /// "28.4%".
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    /// "200 斤/周", or "200/周" without a unit.
    static func volume(_ amount: Int, unit: String?) -> String {
        "\(amount)" + (unit.map { " " + $0 } ?? "") + "/周"
    }

    /// The unit as people write it: "kg" stays, the others by their Chinese names.
    static func unit(_ raw: String?) -> String? {
        guard let raw else { return nil }
        switch MeasureUnit(rawValue: raw) {
        case .kg?: return "kg"
        case let unit?: return unit.chineseName
        case nil:
            let text = plain(raw, limit: 8)
            return text.isEmpty ? nil : text
        }
    }

    private static func components(_ date: Date, zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    private static func clock(_ parts: DateComponents) -> String {
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
