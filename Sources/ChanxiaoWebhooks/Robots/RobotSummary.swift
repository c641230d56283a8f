import ChanxiaoCore
import Foundation

/// Short Chinese markdown for chat robots: a bold title and a few lines, the way a county
/// office or a canteen buyer is told in a work group. Names are shown when the event carries
/// them, ids otherwise, so that a message never needs a call back to the daemon.
///
/// Its parts: the message of one or several events (`+Digest`), the card of each type
/// (`+Cards`) and its digest line (`+Briefs`), the pieces several types share (`+Pieces`),
/// titles and labels (`+Titles`), and what an event whose data this version cannot read shows
/// (`+Unreadable`). `RobotText` has the display conventions.
public enum RobotSummary {
    /// One event: `**title**` and one to four short lines, joined by "\n".
    public static func summary(_ event: RobotEvent, zone: TimeZone) -> (title: String, markdown: String) {
        let card = card(event, zone: zone)
        return (card.title, (["**\(card.title)**"] + card.lines).joined(separator: "\n"))
    }

    /// What several pending events become: one message, so that a burst (a matching run of
    /// hundreds of proposals) is merged rather than dropped by the robot's rate limit. One
    /// event gives its summary.
    public static func digest(_ events: [RobotEvent], zone: TimeZone) -> (title: String, markdown: String) {
        let message = message(events, zone: zone)
        return (message.title, message.lines.joined(separator: "\n"))
    }

    /// The title and lines of one event.
    static func card(_ event: RobotEvent, zone: TimeZone) -> (title: String, lines: [String]) {
        switch event.data {
        case .success(let data): card(data, zone: zone)
        case .failure: unreadableCard(event, zone: zone)
        }
    }

    /// One line for a digest: a short label and the key facts.
    static func line(_ event: RobotEvent, zone: TimeZone) -> String {
        let facts =
            switch event.data {
            case .success(let data): brief(data, zone: zone)
            case .failure: unreadableBrief(event, zone: zone)
            }
        return label(event.type) + "：" + facts
    }
}
