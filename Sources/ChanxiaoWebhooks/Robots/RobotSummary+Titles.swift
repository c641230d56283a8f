import ChanxiaoCore

extension RobotSummary {
    /// The title of a one-event message (docs/webhooks.md lists them).
    static func title(_ type: EventType) -> String {
        switch type {
        case .matchProposed: "新的产销匹配建议"
        case .matchAccepted: "产销匹配已确认"
        case .matchDeclined: "产销匹配已拒绝"
        case .matchExpired: "产销匹配已过期"
        case .matchCancelled: "产销匹配已取消"
        case .rotationPublished: "一县一品轮展计划已发布"
        case .slotChanged: "轮展安排有调整"
        case .slotWithdrawn: "轮展周次已撤下"
        case .livestreamScheduled: "直播带货已排期"
        case .livestreamReminder: "直播提醒"
        case .livestreamCancelled: "直播带货已取消"
        case .fairBoothAssigned: "展会展位已分配"
        case .boothReleased: "展会展位已释放"
        case .supplierBlacklisted: "供应商已列入诚信黑名单"
        case .endpointDisabled: "推送地址已停用"
        case .quotaAtRisk: "扶贫产品采购占比未达目标"
        case .productSlowMoving: "滞销产品预警"
        case .reportWeekly: "消费扶贫工作周报"
        }
    }

    /// The short name of a type in a digest's lines and counts.
    static func label(_ type: EventType) -> String {
        switch type {
        case .matchProposed: "匹配建议"
        case .matchAccepted: "匹配确认"
        case .matchDeclined: "匹配拒绝"
        case .matchExpired: "匹配过期"
        case .matchCancelled: "匹配取消"
        case .rotationPublished: "轮展发布"
        case .slotChanged: "轮展调整"
        case .slotWithdrawn: "轮展撤下"
        case .livestreamScheduled: "直播排期"
        case .livestreamReminder: "直播提醒"
        case .livestreamCancelled: "直播取消"
        case .fairBoothAssigned: "展位分配"
        case .boothReleased: "展位释放"
        case .supplierBlacklisted: "黑名单"
        case .endpointDisabled: "推送停用"
        case .quotaAtRisk: "占比预警"
        case .productSlowMoving: "滞销预警"
        case .reportWeekly: "周报"
        }
    }
}
