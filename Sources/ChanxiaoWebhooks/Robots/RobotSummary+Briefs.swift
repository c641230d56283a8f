import ChanxiaoCore
import Foundation

/// The digest line of each event type: its key facts on one line, after its label.
extension RobotSummary {
    static func brief(_ data: EventData, zone: TimeZone) -> String {
        switch data {
        case .matchProposed(let match):
            matchBrief(match) + "，\(RobotText.time(match.expiresAt, zone: zone)) 前确认"
        case .matchAccepted(let match), .matchDeclined(let match), .matchExpired(let match):
            matchBrief(match)
        case .matchCancelled(let cancelled):
            matchBrief(cancelled.match) + reasonBrief(cancelled.reason)
        case .rotationPublished(let rotation):
            RobotText.name(rotation.venueName, id: rotation.venueID) + "，\(rotation.fromWeek.year)年第\(rotation.fromWeek.week)周起共\(rotation.weeks)周"
        case .slotChanged(let change):
            RobotText.name(change.venueName, id: change.venueID) + "，" + changeName(change.change)
                + (change.slots.isEmpty ? "" : "，" + slotList(change.slots, total: change.slots.count, shown: 2))
        case .slotWithdrawn(let withdrawn):
            RobotText.name(withdrawn.venueName, id: withdrawn.venueID) + "，" + slotList([withdrawn.slot], total: 1, shown: 1)
                + reasonBrief(withdrawn.reason) + (withdrawn.candidate.map { "，可替换为" + slotList([$0], total: 1, shown: 1) } ?? "")
        case .livestreamScheduled(let session):
            livestreamBrief(session, zone: zone)
        case .livestreamReminder(let reminder):
            RobotText.lead(minutes: reminder.startsInMinutes) + "，" + livestreamBrief(reminder.livestream, zone: zone)
        case .livestreamCancelled(let cancelled):
            livestreamBrief(cancelled.livestream, zone: zone) + reasonBrief(cancelled.reason)
                + (cancelled.stillEligibleProductIDs.isEmpty ? "" : "，\(cancelled.stillEligibleProductIDs.count)款产品仍可上播")
        case .fairBoothAssigned(let booths):
            [RobotText.name(booths.fairName, id: booths.fairID), applicant(booths), boothList(booths.booths, requested: booths.boothsRequested)]
                .joined(separator: "，")
        case .boothReleased(let released):
            [RobotText.name(released.fairName, id: released.fairID), applicant(released), "释放" + boothNumbers(released.releasedBooths)]
                .joined(separator: "，") + reasonBrief(released.reason)
        case .supplierBlacklisted(let supplier):
            supplierWithCounty(name: supplier.supplierName, id: supplier.supplierID, countyName: supplier.countyName, countyCode: supplier.countyCode)
        case .endpointDisabled(let endpoint):
            self.endpoint(endpoint)
        case .quotaAtRisk(let quota):
            RobotText.name(quota.buyerName, id: quota.buyerID) + (quota.share.map { "，占比 " + RobotText.percent($0) } ?? "")
                + "，目标 " + RobotText.percent(quota.target)
        case .productSlowMoving(let product):
            productWithCounty(product)
        case .reportWeekly(let report):
            "\(report.week.year)年第\(report.week.week)周" + (report.region.map { "（行政区划 \(RobotText.plain($0))）" } ?? "")
        }
    }

    /// "黄金茶（保靖县）200 斤/周 → 湖南省直机关食堂".
    static func matchBrief(_ match: MatchPayload) -> String {
        matchProduct(match, withPrice: false) + " → " + RobotText.name(match.buyerName, id: match.buyerID)
    }

    /// "，原因：虚报产地", cut short for a digest line; empty without a reason.
    static func reasonBrief(_ reason: String?) -> String {
        RobotText.shown(reason, limit: 30).map { "，原因：" + $0 } ?? ""
    }

    /// "11月24日 19:00，主播李佳（抖音）".
    static func livestreamBrief(_ session: LivestreamPayload, zone: TimeZone) -> String {
        RobotText.time(session.startsAt, zone: zone) + "，主播" + host(session)
    }
}
