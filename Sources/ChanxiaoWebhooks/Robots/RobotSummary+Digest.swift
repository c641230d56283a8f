import ChanxiaoCore
import Foundation

extension RobotSummary {
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
            if let index = counts.firstIndex(where: { $0.type == event.type }) { counts[index].count += 1 } else { counts.append((event.type, 1)) }
        }
        if counts.count > 1 { head.append(counts.map { "\(label($0.type)) \($0.count)条" }.joined(separator: "、")) }
        let items = events.map { "- " + line($0, zone: zone) }
        return Message(title: title, lines: head + items, fixedLines: head.count, eventCount: events.count)
    }
}
