import ChanxiaoCore
import Foundation

/// What an event shows whose stored data does not read as this version's shape of its type
/// (written by another version, or damaged): its type's title and when it happened. Guessing
/// at members that did not read could show a wrong name or figure, so the message sends the
/// reader to the system, where the message can be read whole.
extension RobotSummary {
    static let unreadableNote = "内容无法识别，请到系统查看"

    static func unreadableCard(_ event: RobotEvent, zone: TimeZone) -> (title: String, lines: [String]) {
        (title(event.type), ["通知时间：" + RobotText.time(event.timestamp, zone: zone), unreadableNote])
    }

    static func unreadableBrief(_ event: RobotEvent, zone: TimeZone) -> String {
        RobotText.time(event.timestamp, zone: zone) + "，" + unreadableNote
    }
}
