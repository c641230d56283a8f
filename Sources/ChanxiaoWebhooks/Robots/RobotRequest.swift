import ChanxiaoCore
import Foundation

/// What a chat robot made of a delivery, read from its 2xx response body: the robots answer
/// HTTP 200 even when they refuse a message, and say why in the body.
public enum RobotOutcome: Sendable, Equatable {
    case delivered
    /// Refused (bad key, bad signature, keyword missing…): the text says why; the attempt failed and
    /// is retried on the schedule like any other failure, in case the cause is fixed meanwhile.
    case rejected(String)
    /// Refused for now because the robot's frequency limit was reached: send again later.
    case rateLimited(String)
}

/// The requests of the chat robots (WeCom, DingTalk, Feishu) and the reading of their answers.
/// Pure: the delivery worker does the sending.
public enum RobotRequest {
    /// WeCom refuses markdown content over 4096 bytes of UTF-8.
    public static let weComContentBytes = 4096
    /// DingTalk's markdown text is kept to this many bytes of UTF-8.
    public static let dingTalkTextBytes = 5000
    /// Feishu refuses request bodies over 20 KB.
    public static let feishuBodyBytes = 20 * 1024

    /// The JSON body for `events` (one event: its summary; several: one digest), cut to the
    /// robot's size limit at a line, or failing that a character, with a last line saying what
    /// was left out. A Feishu body carries `timestamp` and `sign` when a secret is given.
    /// For `.standard` (which the delivery worker sends as stored) it gives the events' JSON.
    public static func body(format: WebhookFormat, events: [RobotEvent], secret: String?, now: Date, zone: TimeZone) -> [UInt8] {
        let message = RobotSummary.message(events, zone: zone)
        var writer = JSONWriter(capacity: 1024)
        switch format {
        case .standard:
            if events.count == 1 { writeEvent(events[0], to: &writer) } else { writer.array(events) { writeEvent($1, to: &$0) } }
        case .wecom:
            let content = fitted(message, lineBreak: "\n", budget: weComContentBytes, measure: \.utf8.count)
            writer.raw("{\"msgtype\":\"markdown\",\"markdown\":")
            writer.object([("content", .string(content))])
            writer.raw("}")
        case .dingtalk:
            // DingTalk drops single line breaks; an empty line between lines always shows.
            let text = fitted(message, lineBreak: "\n\n", budget: dingTalkTextBytes, measure: \.utf8.count)
            writer.raw("{\"msgtype\":\"markdown\",\"markdown\":")
            writer.object([("title", .string(message.title)), ("text", .string(text))])
            writer.raw("}")
        case .feishu:
            let signature = nonEmpty(secret).map {
                RobotSigning.feishu(secret: $0, timestampSeconds: Int64(now.timeIntervalSince1970.rounded(.down)))
            }
            // The limit is on the whole body, where the content is JSON-escaped.
            let overhead = feishuCard(title: message.title, content: "", signature: signature).count
            let content = fitted(message, lineBreak: "\n", budget: feishuBodyBytes - overhead) { JSONWriter.encode(.string($0)).count - 2 }
            return feishuCard(title: message.title, content: content, signature: signature)
        }
        return writer.bytes
    }

    /// The URL to post to: DingTalk with a secret gets `timestamp` (milliseconds) and `sign`
    /// appended to its query; other formats, and DingTalk without a secret, return `base`.
    public static func url(format: WebhookFormat, base: String, secret: String?, now: Date) -> String {
        guard format == .dingtalk, let secret = nonEmpty(secret) else { return base }
        let signed = RobotSigning.dingTalk(secret: secret, timestampMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let query = "timestamp=\(signed.timestamp)&sign=\(signed.sign)"
        // A fragment, never sent but possible in a pasted URL, stays last.
        let (address, fragment) = base.firstIndex(of: "#").map { (String(base[..<$0]), String(base[$0...])) } ?? (base, "")
        let separator = address.hasSuffix("?") || address.hasSuffix("&") ? "" : address.contains("?") ? "&" : "?"
        return address + separator + query + fragment
    }

    /// Reads a 2xx response body. Standard endpoints have delivered on any 2xx; a robot has
    /// only when its code says 0, and an answer without a code is taken as a refusal.
    public static func outcome(format: WebhookFormat, body: [UInt8]) -> RobotOutcome {
        guard format.isRobot else { return .delivered }
        if body.isEmpty { return .rejected("the robot answered with an empty body") }
        guard let object = try? JSONValue.parse(Data(body)).objectValue else {
            return .rejected(oneLine("the robot answered with something other than a JSON object: " + excerpt(body)))
        }
        switch format {
        case .standard:
            return .delivered
        case .wecom, .dingtalk:
            guard let code = code(object["errcode"]) else { return .rejected(oneLine("the robot's answer has no errcode: " + excerpt(body))) }
            if code == 0 { return .delivered }
            let text = oneLine("errcode \(code): " + message(object["errmsg"]))
            // WeCom 45009 and DingTalk 130101: more than 20 messages in a minute.
            let rateLimit: Int64 = format == .wecom ? 45009 : 130101
            return code == rateLimit ? .rateLimited(text) : .rejected(text)
        case .feishu:
            // Current answers carry `code` and `msg`; older ones `StatusCode` and `StatusMessage`.
            guard let code = code(object["code"]) ?? code(object["StatusCode"]) else {
                return .rejected(oneLine("the robot's answer has no code: " + excerpt(body)))
            }
            if code == 0 { return .delivered }
            let text = oneLine("code \(code): " + message(object["msg"] ?? object["StatusMessage"]))
            // 9499 "too many request" and 11232 "frequency limited".
            return code == 9499 || code == 11232 ? .rateLimited(text) : .rejected(text)
        }
    }

    /// How many messages a robot accepts per window; every window must have room before a
    /// send. Standard endpoints have none here.
    public static func limits(_ format: WebhookFormat) -> [RateLimit] {
        switch format {
        case .wecom, .dingtalk: [RateLimit(count: 20, perSeconds: 60)]
        case .feishu: [RateLimit(count: 5, perSeconds: 1), RateLimit(count: 100, perSeconds: 60)]
        case .standard: []
        }
    }
}

// MARK: - Helpers

extension RobotRequest {
    /// Joins the message's lines, keeping as many as fit in `budget` (as `measure` counts) with
    /// a footer saying how many were left out; when even the fixed lines do not fit, cuts them
    /// at a character boundary.
    static func fitted(_ message: RobotSummary.Message, lineBreak: String, budget: Int, measure: (String) -> Int) -> String {
        let whole = message.lines.joined(separator: lineBreak)
        if measure(whole) <= budget { return whole }
        let breakCost = measure(lineBreak)
        let optional = message.lines.dropFirst(message.fixedLines)
        var text = message.lines.prefix(message.fixedLines).joined(separator: lineBreak)
        var used = measure(text)
        var shown = 0
        for line in optional {
            let cost = breakCost + measure(line)
            // A line stays only if the footer announcing the rest still fits after it.
            let footer = message.footer(omitting: optional.count - shown - 1)
            guard used + cost + breakCost + measure(footer) <= budget else { break }
            text += lineBreak + line
            used += cost
            shown += 1
        }
        let tail = lineBreak + message.footer(omitting: optional.count - shown)
        let tailCost = measure(tail)
        if used + tailCost <= budget { return text + tail }
        return prefix(text, fitting: max(0, budget - tailCost), measure: measure) + tail
    }

    /// The longest prefix of whole characters within `budget`.
    static func prefix(_ text: String, fitting budget: Int, measure: (String) -> Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let cost = measure(String(text[index]))
            if used + cost > budget { break }
            used += cost
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    static func feishuCard(title: String, content: String, signature: (timestamp: String, sign: String)?) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{")
        if let signature {
            writer.raw("\"timestamp\":")
            writer.string(signature.timestamp)
            writer.raw(",\"sign\":")
            writer.string(signature.sign)
            writer.raw(",")
        }
        writer.raw("\"msg_type\":\"interactive\",\"card\":{\"header\":{\"title\":")
        writer.object([("tag", .string("plain_text")), ("content", .string(title))])
        writer.raw("},\"elements\":[")
        writer.object([("tag", .string("markdown")), ("content", .string(content))])
        writer.raw("]}}")
        return writer.bytes
    }

    /// The event as stored, its `data` as this version reads it (empty when it did not read).
    static func writeEvent(_ event: RobotEvent, to writer: inout JSONWriter) {
        writer.raw("{\"type\":")
        writer.string(event.type.rawValue)
        writer.raw(",\"timestamp\":")
        writer.string(Timestamp.string(from: event.timestamp))
        writer.raw(",\"data\":")
        writer.object((try? event.data.get())?.members ?? [])
        writer.raw("}")
    }

    static func nonEmpty(_ secret: String?) -> String? {
        guard let secret, !secret.isEmpty else { return nil }
        return secret
    }

    /// A code given as a number, or as digits in a string.
    static func code(_ value: JSONValue?) -> Int64? {
        switch value {
        case .int(let number): number
        case .double(let number) where number.isFinite && number == number.rounded() && abs(number) < 1e15: Int64(number)
        case .string(let text): Int64(text)
        default: nil
        }
    }

    static func message(_ value: JSONValue?) -> String {
        guard let text = value?.string, !text.isEmpty else { return "(no message)" }
        return text
    }

    /// The start of a body, for a reason that goes into logs and the API.
    static func excerpt(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(400), as: UTF8.self)
    }

    /// Text on one line of at most 200 characters.
    static func oneLine(_ text: String) -> String {
        let flat = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return flat.count > 200 ? String(flat.prefix(199)) + "…" : flat
    }
}
