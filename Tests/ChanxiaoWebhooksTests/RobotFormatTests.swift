import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoWebhooks

@Suite("RobotRequest")
struct RobotFormatTests {
    typealias F = RobotEventFixtures

    static let robots: [WebhookFormat] = [.wecom, .dingtalk, .feishu]

    /// The markdown a body carries and the limit it must respect (bytes of the markdown, or of
    /// the whole body for Feishu).
    static func content(of body: [UInt8], format: WebhookFormat) throws -> (title: String?, markdown: String) {
        let object = try #require(try? JSONValue.parseObject(Data(body)), "not a JSON object: \(String(decoding: body, as: UTF8.self))")
        switch format {
        case .wecom:
            #expect(object["msgtype"] == .string("markdown"))
            return (nil, try #require(object["markdown"]?.objectValue?["content"]?.string))
        case .dingtalk:
            #expect(object["msgtype"] == .string("markdown"))
            let markdown = try #require(object["markdown"]?.objectValue)
            return (markdown["title"]?.string, try #require(markdown["text"]?.string))
        case .feishu:
            #expect(object["msg_type"] == .string("interactive"))
            let card = try #require(object["card"]?.objectValue)
            let title = try #require(card["header"]?.objectValue?["title"]?.objectValue)
            #expect(title["tag"] == .string("plain_text"))
            let element = try #require(card["elements"]?.array?.first?.objectValue)
            #expect(element["tag"] == .string("markdown"))
            return (title["content"]?.string, try #require(element["content"]?.string))
        case .standard:
            Issue.record("not a robot")
            return (nil, "")
        }
    }

    static func lineBreak(_ format: WebhookFormat) -> String { format == .dingtalk ? "\n\n" : "\n" }

    @Test(
        "bodies of 1, 5 and 300 events are valid JSON and UTF-8 within each robot's limit",
        arguments: robots,
        [1, 5, 300]
    )
    func sizes(format: WebhookFormat, count: Int) throws {
        let events = F.burst(count)
        let body = RobotRequest.body(format: format, events: events, secret: "SEC123", now: F.now, zone: F.shanghai)
        #expect(String(validating: body, as: UTF8.self) != nil)
        let (title, markdown) = try Self.content(of: body, format: format)
        switch format {
        case .wecom: #expect(markdown.utf8.count <= 4096)
        case .dingtalk: #expect(markdown.utf8.count <= 5000)
        default: #expect(body.count <= 20 * 1024)
        }
        let digest = RobotSummary.digest(events, zone: F.shanghai)
        if format != .wecom { #expect(title == digest.title) }
        let lines = markdown.components(separatedBy: Self.lineBreak(format))
        if count < 300 {
            // Nothing cut: the whole digest, lines joined the robot's way.
            #expect(lines == digest.markdown.components(separatedBy: "\n"))
        } else {
            // Cut at a line, and the last line says how many events are left to see.
            let items = lines.filter { $0.hasPrefix("- ") }
            let footer = try #require(lines.last)
            #expect(footer == "…（共300条，余下\(300 - items.count)条请到系统查看）")
            #expect(items.count >= 20, "only \(items.count) lines fit")
            #expect(Array(lines.prefix(lines.count - 1)) == Array(digest.markdown.components(separatedBy: "\n").prefix(lines.count - 1)))
        }
    }

    @Test("every event type fits every robot alone", arguments: robots)
    func singles(format: WebhookFormat) throws {
        for (label, event) in F.events(F.Naming().hostile) {
            let robot = F.robot(event)
            let body = RobotRequest.body(format: format, events: [robot], secret: nil, now: F.now, zone: F.shanghai)
            let (_, markdown) = try Self.content(of: body, format: format)
            let summary = RobotSummary.summary(robot, zone: F.shanghai)
            #expect(markdown.components(separatedBy: Self.lineBreak(format)) == summary.markdown.components(separatedBy: "\n"), "\(label)")
        }
    }

    @Test("the WeCom body is exactly msgtype then markdown.content")
    func weComShape() {
        let event = F.robot(F.events()[0].event)
        let body = String(decoding: RobotRequest.body(format: .wecom, events: [event], secret: nil, now: F.now, zone: F.shanghai), as: UTF8.self)
        #expect(body.hasPrefix(#"{"msgtype":"markdown","markdown":{"content":"**新的产销匹配建议**\n采购方：湖南省直机关食堂\n"#))
        #expect(body.hasSuffix(#"请在 11月20日 18:00 前确认"}}"#))
    }

    @Test("the Feishu body carries timestamp and sign of RobotSigning.feishu only with a secret")
    func feishuSignature() throws {
        let event = F.robot(F.events()[0].event)
        let now = Date(timeIntervalSince1970: 1_763_000_000.75)
        let signed = RobotRequest.body(format: .feishu, events: [event], secret: "feishu-secret", now: now, zone: F.shanghai)
        let object = try JSONValue.parseObject(Data(signed))
        let expected = RobotSigning.feishu(secret: "feishu-secret", timestampSeconds: 1_763_000_000)
        #expect(object["timestamp"] == .string("1763000000"))
        #expect(object["sign"] == .string(expected.sign))
        #expect(String(decoding: signed, as: UTF8.self).hasPrefix(#"{"timestamp":"1763000000","sign":""#))

        for secret in [nil, ""] as [String?] {
            let unsigned = RobotRequest.body(format: .feishu, events: [event], secret: secret, now: now, zone: F.shanghai)
            let plain = try JSONValue.parseObject(Data(unsigned))
            #expect(plain["timestamp"] == nil && plain["sign"] == nil)
            #expect(String(decoding: unsigned, as: UTF8.self).hasPrefix(#"{"msg_type":"interactive","card":{"header":"#))
        }
    }

    static let heading = "**通知（10条）**"
    static let items = "一二三四五六七八九十".map { "- \($0)" }

    @Test(
        "a message whose lines do not fit is cut at a line, or else at a character, with a footer",
        arguments: [
            (1000, ([heading] + items).joined(separator: "\n")),
            (80, heading + "\n- 一\n…（共10条，余下9条请到系统查看）"),
            (75, heading + "\n…（共10条，余下10条请到系统查看）"),
            (60, "**通知\n…（共10条，余下10条请到系统查看）"),  // 10 bytes for the heading: "（" would need 11
        ]
    )
    func fitting(budget: Int, expected: String) {
        let message = RobotSummary.Message(title: "通知", lines: [Self.heading] + Self.items, fixedLines: 1, eventCount: 10)
        let text = RobotRequest.fitted(message, lineBreak: "\n", budget: budget, measure: \.utf8.count)
        #expect(text == expected)
        #expect(text.utf8.count <= budget)
    }

    @Test("cutting never exceeds the budget nor splits a character")
    func fittingSweep() {
        let message = RobotSummary.message(F.burst(40), zone: F.shanghai)
        for budget in stride(from: 60, through: 3000, by: 37) {
            let text = RobotRequest.fitted(message, lineBreak: "\n", budget: budget, measure: \.utf8.count)
            #expect(text.utf8.count <= budget, "budget \(budget)")
            #expect(text.hasSuffix("请到系统查看）"), "budget \(budget)")
        }
    }

    static let dingTalkNow = Date(timeIntervalSince1970: 1_763_000_000.123_4)

    @Test(
        "DingTalk URLs with a secret carry timestamp and sign and keep their query",
        arguments: [
            ("https://oapi.dingtalk.com/robot/send?access_token=abc", "https://oapi.dingtalk.com/robot/send?access_token=abc&"),
            ("https://example.com/hook", "https://example.com/hook?"),
            ("https://example.com/hook?", "https://example.com/hook?"),
            ("https://example.com/hook?a=1&", "https://example.com/hook?a=1&"),
        ]
    )
    func dingTalkURL(base: String, prefix: String) {
        let signed = RobotSigning.dingTalk(secret: "SECabc", timestampMilliseconds: 1_763_000_000_123)
        let url = RobotRequest.url(format: .dingtalk, base: base, secret: "SECabc", now: Self.dingTalkNow)
        #expect(url == prefix + "timestamp=1763000000123&sign=" + signed.sign)
        // The sign is percent-encoded: base64's "+", "/" and "=" would not survive a query.
        #expect(URLComponents(string: url)?.queryItems?.first { $0.name == "sign" }?.value?.hasSuffix("=") == true)
    }

    @Test("a fragment stays last")
    func dingTalkFragment() {
        let url = RobotRequest.url(format: .dingtalk, base: "https://example.com/hook?t=1#x", secret: "s", now: Self.dingTalkNow)
        #expect(url.hasPrefix("https://example.com/hook?t=1&timestamp=1763000000123&sign=") && url.hasSuffix("#x"))
    }

    @Test(
        "URLs without a DingTalk secret are left alone",
        arguments: [
            (WebhookFormat.dingtalk, nil as String?), (.dingtalk, ""), (.wecom, "s"), (.feishu, "s"), (.standard, "s"),
        ]
    )
    func unsignedURL(format: WebhookFormat, secret: String?) {
        let base = "https://example.com/hook?key=k"
        #expect(RobotRequest.url(format: format, base: base, secret: secret, now: Self.dingTalkNow) == base)
    }

    static let outcomes: [(WebhookFormat, String, RobotOutcome)] = [
        (.wecom, #"{"errcode":0,"errmsg":"ok"}"#, .delivered),
        (.wecom, #"{"errcode":"0","errmsg":"ok"}"#, .delivered),
        (.wecom, #"{"errcode":45009,"errmsg":"api freq out of limit"}"#, .rateLimited("errcode 45009: api freq out of limit")),
        (.wecom, #"{"errcode":93000,"errmsg":"invalid webhook url"}"#, .rejected("errcode 93000: invalid webhook url")),
        (.wecom, #"{"errcode":130101,"errmsg":"x"}"#, .rejected("errcode 130101: x")),
        (.wecom, #"{"errmsg":"ok"}"#, .rejected(#"the robot's answer has no errcode: {"errmsg":"ok"}"#)),
        (.wecom, "", .rejected("the robot answered with an empty body")),
        (
            .wecom, "<html>502 Bad Gateway</html>",
            .rejected("the robot answered with something other than a JSON object: <html>502 Bad Gateway</html>")
        ),
        (.wecom, "[0]", .rejected("the robot answered with something other than a JSON object: [0]")),
        (.dingtalk, #"{"errcode":0,"errmsg":"ok"}"#, .delivered),
        (
            .dingtalk, #"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#,
            .rateLimited("errcode 130101: send too fast, exceed 20 times per minute")
        ),
        (.dingtalk, #"{"errcode":310000,"errmsg":"keywords not in content"}"#, .rejected("errcode 310000: keywords not in content")),
        (.dingtalk, #"{"errcode":45009,"errmsg":"x"}"#, .rejected("errcode 45009: x")),
        (.dingtalk, #"{"errcode":300001}"#, .rejected("errcode 300001: (no message)")),
        (.dingtalk, "ok", .rejected("the robot answered with something other than a JSON object: ok")),
        (.feishu, #"{"code":0,"data":{},"msg":"success"}"#, .delivered),
        (.feishu, #"{"Extra":null,"StatusCode":0,"StatusMessage":"success"}"#, .delivered),
        (.feishu, #"{"code":9499,"msg":"too many request"}"#, .rateLimited("code 9499: too many request")),
        (.feishu, #"{"code":11232,"msg":"frequency limited"}"#, .rateLimited("code 11232: frequency limited")),
        (
            .feishu, #"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"#,
            .rejected("code 19021: sign match fail or timestamp is not within one hour from current time")
        ),
        (.feishu, #"{"StatusCode":19024,"StatusMessage":"Key Words Not Found"}"#, .rejected("code 19024: Key Words Not Found")),
        (.feishu, #"{"msg":"success"}"#, .rejected(#"the robot's answer has no code: {"msg":"success"}"#)),
        (.feishu, "{\"code\":", .rejected("the robot answered with something other than a JSON object: {\"code\":")),
        (.standard, "", .delivered),
        (.standard, "anything at all", .delivered),
    ]

    @Test("a 2xx answer is read by each robot's codes", arguments: outcomes)
    func outcome(format: WebhookFormat, body: String, expected: RobotOutcome) {
        #expect(RobotRequest.outcome(format: format, body: Array(body.utf8)) == expected)
    }

    @Test("an answer's text stays on one short line")
    func outcomeText() {
        let long = #"{"errcode":1,"errmsg":"a\nb"# + String(repeating: "x", count: 500) + #""}"#
        guard case .rejected(let text) = RobotRequest.outcome(format: .wecom, body: Array(long.utf8)) else {
            Issue.record("not rejected")
            return
        }
        #expect(!text.contains("\n") && text.count <= 200 && text.hasPrefix("errcode 1: a b"))
    }

    @Test(
        "rate limits per format",
        arguments: [
            (WebhookFormat.wecom, [20.0, 60.0]), (.dingtalk, [20, 60]), (.feishu, [5, 1, 100, 60]), (.standard, []),
        ]
    )
    func limits(format: WebhookFormat, flat: [Double]) {
        #expect(RobotRequest.limits(format).flatMap { [Double($0.count), $0.perSeconds] } == flat)
    }

    @Test("the standard format gives the events' JSON")
    func standardBody() throws {
        let events = F.burst(2)
        let one = RobotRequest.body(format: .standard, events: [events[0]], secret: nil, now: F.now, zone: F.shanghai)
        #expect(RobotEvent(payload: one)?.data == events[0].data)
        let two = try JSONValue.parse(Data(RobotRequest.body(format: .standard, events: events, secret: nil, now: F.now, zone: F.shanghai)))
        #expect(two.array?.count == 2)
    }
}
