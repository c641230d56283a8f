import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoWebhooks

/// Stored payloads whose `data` does not read as this version's shape of their type: written by
/// another version, or damaged. The event keeps its place in a digest and says what its type
/// tells, rather than guessing at members.
@Suite("RobotSummary of unreadable data")
struct RobotUnreadableTests {
    typealias F = RobotEventFixtures

    static let unreadable: [(label: String, payload: String, problem: String)] = [
        (
            "a renamed member", #"{"type":"match.proposed","timestamp":"2026-11-16T02:00:00.000Z","data":{"id":"mat_1","buyer":"湖南省直机关食堂"}}"#,
            "match_id: is missing"
        ),
        (
            "a member of another type", #"{"type":"supplier.blacklisted","timestamp":"2026-11-16T02:00:00.000Z","data":{"supplier_id":7}}"#,
            "supplier_id: must be a string, not a number"
        ),
        (
            "an unknown code",
            #"{"type":"livestream.reminder","timestamp":"2026-11-16T02:00:00.000Z","data":{"livestream_id":"liv_1","host_id":"h","platform":"bilibili"}}"#,
            "platform: must be one of its known values, not \"bilibili\""
        ),
        ("no data", #"{"type":"endpoint.disabled","timestamp":"2026-11-16T02:00:00.000Z"}"#, "endpoint_id: is missing"),
    ]

    @Test("the event parses with its type, its time and why its data does not read", arguments: unreadable)
    func parses(label: String, payload: String, problem: String) throws {
        let event = try #require(RobotEvent(payload: Array(payload.utf8)), "\(label)")
        #expect(event.timestamp == F.now)
        guard case .failure(let error) = event.data else {
            Issue.record("\(label): reads as \(event.data)")
            return
        }
        #expect(error.description == problem)
    }

    @Test("its summary has its type's title, the time of the event and where to look", arguments: unreadable)
    func summary(label: String, payload: String, problem: String) throws {
        let event = try #require(RobotEvent(payload: Array(payload.utf8)))
        let summary = RobotSummary.summary(event, zone: F.shanghai)
        #expect(summary.title == RobotSummary.title(event.type))
        #expect(summary.markdown == "**\(summary.title)**\n通知时间：11月16日 10:00\n内容无法识别，请到系统查看", "\(label)")
    }

    @Test("a digest keeps its line between readable events, and counts it by its type")
    func digest() throws {
        let readable = F.events().map { F.robot($0.event) }
        let unreadable = try #require(RobotEvent(payload: Array(Self.unreadable[0].payload.utf8)))
        let digest = RobotSummary.digest([readable[0], unreadable, readable[4]], zone: F.shanghai)
        let lines = digest.markdown.components(separatedBy: "\n")
        #expect(digest.title == "产销对接通知（3条）")
        #expect(
            lines == [
                "**产销对接通知（3条）**", "匹配建议 2条、轮展发布 1条",
                "- " + RobotSummary.line(readable[0], zone: F.shanghai),
                "- 匹配建议：11月16日 10:00，内容无法识别，请到系统查看",
                "- " + RobotSummary.line(readable[4], zone: F.shanghai),
            ]
        )
    }

    @Test("every robot format sends it")
    func formats() throws {
        let unreadable = try #require(RobotEvent(payload: Array(Self.unreadable[0].payload.utf8)))
        for format in [WebhookFormat.wecom, .dingtalk, .feishu] {
            let body = RobotRequest.body(format: format, events: [unreadable], secret: nil, now: F.now, zone: F.shanghai)
            #expect(String(decoding: body, as: UTF8.self).contains("内容无法识别"), "\(format)")
        }
    }
}
