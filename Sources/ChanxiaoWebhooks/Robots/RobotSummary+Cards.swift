import ChanxiaoCore
import Foundation

/// The card of each event type: its title and one to four lines. User-supplied text goes
/// through `RobotText` (`name`, `shown`), never straight into a line.
extension RobotSummary {
    static func card(_ data: EventData, zone: TimeZone) -> (title: String, lines: [String]) {
        let type = data.type
        switch data {
        case .matchProposed(let match):
            return (title(type), matchLines(match, when: "请在 \(RobotText.time(match.expiresAt, zone: zone)) 前确认"))
        case .matchAccepted(let match):
            return (title(type), matchLines(match, when: match.decidedAt.map { "\(RobotText.time($0, zone: zone)) 已确认" }))
        case .matchDeclined(let match):
            return (title(type), matchLines(match, when: match.decidedAt.map { "\(RobotText.time($0, zone: zone)) 已拒绝" }))
        case .matchExpired(let match):
            return (title(type), matchLines(match, when: "未在 \(RobotText.time(match.expiresAt, zone: zone)) 前确认，已过期"))
        case .matchCancelled(let cancelled):
            return (title(type), matchLines(cancelled.match, when: "已取消" + (RobotText.shown(cancelled.reason, limit: 80).map { "，原因：" + $0 } ?? "")))
        case .rotationPublished(let rotation):
            return (title(type), rotationLines(rotation))
        case .slotChanged(let change):
            return (title(type), slotChangeLines(change))
        case .slotWithdrawn(let withdrawn):
            return (title(type), slotWithdrawnLines(withdrawn))
        case .livestreamScheduled(let session):
            return (title(type), livestreamLines(session, zone: zone))
        case .livestreamReminder(let reminder):
            return ("直播提醒：" + RobotText.lead(minutes: reminder.startsInMinutes), livestreamLines(reminder.livestream, zone: zone))
        case .livestreamCancelled(let cancelled):
            return (title(type), livestreamCancelledLines(cancelled, zone: zone))
        case .fairBoothAssigned(let booths):
            return (booths.booths.isEmpty ? "展会展位有更新" : title(type), boothLines(booths))
        case .boothReleased(let released):
            return (title(type), boothReleasedLines(released))
        case .supplierBlacklisted(let supplier):
            return (title(type), blacklistLines(supplier))
        case .endpointDisabled(let endpoint):
            return (title(type), endpointLines(endpoint, zone: zone))
        case .quotaAtRisk(let quota):
            return (title(type), quotaLines(quota))
        case .productSlowMoving(let product):
            return (title(type), slowMovingLines(product))
        case .reportWeekly(let report):
            return (title(type), weeklyLines(report))
        }
    }

    /// `when`: the deadline or the decision, after the week supplied.
    static func matchLines(_ match: MatchPayload, when: String?) -> [String] {
        [
            "采购方：" + RobotText.name(match.buyerName, id: match.buyerID), "供应方：" + RobotText.name(match.supplierName, id: match.supplierID),
            "产品：" + matchProduct(match, withPrice: true), (["第\(match.week.week)周供货"] + [when].compactMap { $0 }).joined(separator: "，"),
        ]
    }

    static func rotationLines(_ rotation: RotationPublishedPayload) -> [String] {
        var lines = ["场馆：" + RobotText.name(rotation.venueName, id: rotation.venueID)]
        if rotation.weeks > 0 { lines.append("时间：" + RobotText.weeks(from: rotation.fromWeek, count: rotation.weeks)) }
        if !rotation.slots.isEmpty { lines.append("安排：" + slotList(rotation.slots, total: rotation.slotCount, shown: 3)) }
        return lines
    }

    static func slotChangeLines(_ change: SlotChangedPayload) -> [String] {
        var lines = ["场馆：" + RobotText.name(change.venueName, id: change.venueID), "变更：" + changeName(change.change)]
        if !change.slots.isEmpty { lines.append("调整后：" + slotList(change.slots, total: change.slots.count, shown: 3)) }
        return lines
    }

    /// The withdrawn week, why, and the planner's candidate for it.
    static func slotWithdrawnLines(_ withdrawn: SlotWithdrawnPayload) -> [String] {
        var lines: [String] = [
            "场馆：" + RobotText.name(withdrawn.venueName, id: withdrawn.venueID), "撤下：" + slotList([withdrawn.slot], total: 1, shown: 1),
        ]
        if let reason = RobotText.shown(withdrawn.reason, limit: 80) { lines.append("原因：" + reason) }
        lines.append(withdrawn.candidate.map { "可替换为：" + slotList([$0], total: 1, shown: 1) } ?? "暂无可替换的县和产品，请另行安排")
        return lines
    }

    static func livestreamLines(_ session: LivestreamPayload, zone: TimeZone) -> [String] {
        var lines: [String] = []
        if let topic = RobotText.shown(session.title, limit: 40) { lines.append("主题：" + topic) }
        lines.append("主播：" + host(session))
        lines.append("时间：" + RobotText.span(session.startsAt, session.endsAt, zone: zone))
        if !session.products.isEmpty { lines.append("产品：" + productList(session.products)) }
        return lines
    }

    /// The session in two lines, then why it was cancelled and what could still be shown.
    static func livestreamCancelledLines(_ cancelled: LivestreamCancelledPayload, zone: TimeZone) -> [String] {
        let session = cancelled.livestream
        var lines: [String] = [
            "场次：" + (RobotText.shown(session.title, limit: 40).map { $0 + "，" } ?? "") + RobotText.span(session.startsAt, session.endsAt, zone: zone),
            "主播：" + host(session),
            RobotText.shown(cancelled.reason, limit: 80).map { "原因：" + $0 } ?? "由主办方取消",
        ]
        if !cancelled.stillEligibleProductIDs.isEmpty {
            lines.append("仍可上播：" + productList(cancelled.stillEligibleProductIDs, of: session))
        }
        return lines
    }

    static func boothLines(_ booths: BoothAssignedPayload) -> [String] {
        var lines = [
            "展会：" + RobotText.name(booths.fairName, id: booths.fairID), "申请方：" + applicant(booths),
            "展位：" + boothList(booths.booths, requested: booths.boothsRequested),
        ]
        if booths.status != .allocated { lines.append("状态：" + applicationStatus(booths.status)) }
        return lines
    }

    static func boothReleasedLines(_ released: BoothReleasedPayload) -> [String] {
        var held = "仍持有：" + boothNumbers(released.booths)
        if released.status != .allocated { held += "，" + applicationStatus(released.status) }
        var lines: [String] = [
            "展会：" + RobotText.name(released.fairName, id: released.fairID), "申请方：" + applicant(released),
            "释放：" + boothNumbers(released.releasedBooths) + "；" + held,
        ]
        if let reason = RobotText.shown(released.reason, limit: 80) { lines.append("原因：" + reason) }
        return lines
    }

    static func blacklistLines(_ supplier: SupplierBlacklistedPayload) -> [String] {
        var lines = [
            "供应商："
                + supplierWithCounty(
                    name: supplier.supplierName,
                    id: supplier.supplierID,
                    countyName: supplier.countyName,
                    countyCode: supplier.countyCode
                )
        ]
        if let reason = RobotText.shown(supplier.reason, limit: 80) { lines.append("原因：" + reason) }
        if let day = supplier.blacklistedOn {
            lines.append("自 \(day.year)年\(day.month)月\(day.day)日起不再参与匹配和排期")
        } else {
            lines.append("不再参与匹配和排期")
        }
        return lines
    }

    static func endpointLines(_ endpoint: EndpointDisabledPayload, zone: TimeZone) -> [String] {
        var lines = ["地址：" + self.endpoint(endpoint)]
        if let reason = RobotText.shown(endpoint.reason, limit: 80) { lines.append("原因：" + reason) }
        if let since = endpoint.failingSince { lines.append("自 \(RobotText.time(since, zone: zone)) 起推送失败") }
        lines.append("请检查接收方后在系统中重新启用")
        return lines
    }

    static func quotaLines(_ quota: QuotaAtRiskPayload) -> [String] {
        var lines = ["采购单位：" + RobotText.name(quota.buyerName, id: quota.buyerID)]
        if let share = quota.share { lines.append("扶贫产品占比 " + RobotText.percent(share) + "，目标 " + RobotText.percent(quota.target)) }
        if let gap = quota.gapFen { lines.append("还需采购扶贫产品 " + RobotText.yuan(fen: gap)) }
        if !quota.matches.isEmpty {
            lines.append(
                "可确认：" + quota.matches.prefix(2).map { matchProduct($0, withPrice: false) }.joined(separator: "；")
                    + (quota.matches.count > 2 ? "等\(quota.matches.count)项" : "")
            )
        }
        return lines
    }

    static func slowMovingLines(_ product: ProductSlowMovingPayload) -> [String] {
        let unit = RobotText.unit(product.unit.rawValue) ?? ""
        return [
            "产品：" + productWithCounty(product), "供应方：" + RobotText.name(product.supplierName, id: product.supplierID),
            "近\(product.observedWeeks)周销量 \(product.takenVolume)\(unit)，周产能 \(product.weeklyCapacity)\(unit)",
            "请各中心协同销售（滞销共卖）",
        ]
    }

    static func weeklyLines(_ report: ReportWeeklyPayload) -> [String] {
        [
            "周次：\(report.week.year)年第\(report.week.week)周",
            "销售额 " + RobotText.yuan(fen: report.totals.salesAmountFen) + "，其中扶贫产品 " + RobotText.yuan(fen: report.totals.povertyAmountFen),
            "未达目标单位 \(report.targetsAtRisk) 个",
        ]
    }
}
