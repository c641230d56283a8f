import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoScheduling

@Suite struct ICalendarTests {
    static let stamp = SF.at("2020-09-01", "08:00")

    static func feed(_ events: [CalendarEvent], zone: TimeZone = SF.zone, name: String = "一县一品一周") -> String {
        ICalendar.feed(name: name, events: events, zone: zone, now: stamp)
    }

    static func event(
        _ summary: String = "贵州省黔东南州 · 从江香猪",
        time: CalendarEvent.Time = .allDay(SF.date("2020-09-14"), SF.date("2020-09-15")),
        description: String? = nil,
        location: String? = nil
    ) -> CalendarEvent {
        CalendarEvent(
            uid: "rotation-1-2020-W38@chanxiao",
            sequence: 2,
            time: time,
            summary: summary,
            description: description,
            location: location,
            stamp: stamp
        )
    }

    /// The logical lines of a feed: CRLF-separated, folded lines joined again.
    static func unfold(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The physical lines as bytes, split at CRLF.
    static func physicalLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
                lines.append(current)
                current = []
                i += 2
                continue
            }
            current.append(bytes[i])
            i += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    @Test(arguments: [
        ("a,b", "a\\,b"), ("a;b", "a\\;b"), ("a\\b", "a\\\\b"), ("line 1\nline 2", "line 1\\nline 2"), ("crlf\r\nend", "crlf\\nend"),
        ("cr\rend", "cr\\nend"), ("\\n is not a newline", "\\\\n is not a newline"), ("全角，；不转义", "全角，；不转义"),
        ("a:b \"quoted\"", "a:b \"quoted\""), (",;\\\n", "\\,\\;\\\\\\n"),
    ])
    func escaping(_ raw: String, _ escaped: String) {
        #expect(ICalendar.escape(raw) == escaped)
        let lines = Self.unfold(Self.feed([Self.event(raw, description: raw, location: raw)]))
        #expect(lines.contains("SUMMARY:" + escaped))
        #expect(lines.contains("DESCRIPTION:" + escaped))
        #expect(lines.contains("LOCATION:" + escaped))
    }

    /// Lines of every length, in ASCII, Chinese (3 octets), emoji (4) and combining marks, at
    /// every alignment: no physical line over 75 octets, each valid UTF-8 on its own, and
    /// unfolding gives the line back.
    @Test(arguments: 0..<6)
    func foldingKeepsCharactersWhole(shift: Int) {
        let pieces = ["一县一品一周，", "消费扶贫", "🍊", "e\u{301}", "ASCII text ", "从江香猪；榕江西瓜", "👨‍👩‍👧"]
        for length in stride(from: 1, through: 120, by: 7) {
            var summary = String(repeating: "x", count: shift)
            var n = length
            while summary.utf8.count < length * 3 {
                summary += pieces[n % pieces.count]
                n += 3
            }
            let text = Self.feed([Self.event(summary)])
            for line in Self.physicalLines(text) {
                #expect(line.count <= 75, "\(line.count) octets: \(String(decoding: line, as: UTF8.self))")
                #expect(String(validating: line, as: UTF8.self) != nil, "a line splits a UTF-8 character")
            }
            #expect(Self.unfold(text).contains("SUMMARY:" + ICalendar.escape(summary)))
        }
    }

    @Test func foldExamples() {
        let short = String(repeating: "a", count: 75)
        #expect(ICalendar.fold(short) == short)
        #expect(ICalendar.fold(short + "b") == short + "\r\n b")
        // Continuation lines hold 74 octets after their space.
        let long = String(repeating: "a", count: 75 + 74 + 1)
        #expect(ICalendar.fold(long) == String(repeating: "a", count: 75) + "\r\n " + String(repeating: "a", count: 74) + "\r\n a")
        // 25 Chinese characters are 75 octets: they fit; 26 do not, and the 26th moves whole.
        let chinese = String(repeating: "扶", count: 25)
        #expect(ICalendar.fold(chinese) == chinese)
        #expect(ICalendar.fold("a" + chinese) == "a" + String(repeating: "扶", count: 24) + "\r\n 扶")
    }

    @Test func linesEndWithCRLF() {
        let text = Self.feed([
            Self.event(String(repeating: "长", count: 60), description: "one\ntwo"),
            Self.event(time: .timed(SF.at("2020-09-14", "19:00"), SF.at("2020-09-14", "21:00"))),
        ])
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let bytes = Array(text.utf8)
        for (i, byte) in bytes.enumerated() {
            if byte == 10 { #expect(i > 0 && bytes[i - 1] == 13, "a bare LF at \(i)") }
            if byte == 13 { #expect(i + 1 < bytes.count && bytes[i + 1] == 10, "a bare CR at \(i)") }
        }
        let lines = Self.unfold(text)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2 && lines.filter { $0 == "END:VEVENT" }.count == 2)
    }

    @Test(arguments: [
        ("2020-09-14", "2020-09-15", "20200914", "20200915"), ("2020-12-31", "2021-01-01", "20201231", "20210101"),
        ("2020-02-28", "2020-02-29", "20200228", "20200229"), ("2020-09-14", "2020-09-21", "20200914", "20200921"),
    ])
    func allDayEventsEndTheDayAfter(_ first: String, _ dayAfter: String, _ start: String, _ end: String) {
        let lines = Self.unfold(Self.feed([Self.event(time: .allDay(SF.date(first), SF.date(dayAfter)))]))
        #expect(lines.contains("DTSTART;VALUE=DATE:" + start))
        #expect(lines.contains("DTEND;VALUE=DATE:" + end))
        #expect(lines.contains("TRANSP:TRANSPARENT"))
        // No zone is needed for dates.
        #expect(!lines.contains("BEGIN:VTIMEZONE"))
    }

    @Test func timedEventsInShanghaiCarryTheirZone() throws {
        let lines = Self.unfold(Self.feed([Self.event(time: .timed(SF.at("2020-09-14", "19:00"), SF.at("2020-09-14", "21:30")))]))
        #expect(lines.contains("DTSTART;TZID=Asia/Shanghai:20200914T190000"))
        #expect(lines.contains("DTEND;TZID=Asia/Shanghai:20200914T213000"))
        #expect(lines.contains("TRANSP:OPAQUE"))
        let begin = try #require(lines.firstIndex(of: "BEGIN:VTIMEZONE"))
        let end = try #require(lines.firstIndex(of: "END:VTIMEZONE"))
        let zone = Array(lines[begin...end])
        #expect(zone.contains("TZID:Asia/Shanghai"))
        #expect(zone.contains("TZOFFSETFROM:+0800"))
        #expect(zone.contains("TZOFFSETTO:+0800"))
        #expect(begin < (lines.firstIndex(of: "BEGIN:VEVENT") ?? 0), "the zone comes before the events that use it")
        #expect(lines.contains("X-WR-TIMEZONE:Asia/Shanghai"))
        // DTSTAMP is in UTC: 08:00 in Shanghai is 00:00Z.
        #expect(lines.contains("DTSTAMP:20200901T000000Z"))
        #expect(lines.contains("UID:rotation-1-2020-W38@chanxiao") && lines.contains("SEQUENCE:2"))
        #expect(lines.contains("STATUS:CONFIRMED"))
    }

    /// A late-evening session in Shanghai is on the previous day in UTC; the local form keeps the local day.
    @Test func localTimesKeepTheLocalDay() {
        let lines = Self.unfold(Self.feed([Self.event(time: .timed(SF.at("2020-09-14", "07:00"), SF.at("2020-09-14", "08:30")))]))
        #expect(lines.contains("DTSTART;TZID=Asia/Shanghai:20200914T070000"))
        #expect(lines.contains("DTEND;TZID=Asia/Shanghai:20200914T083000"))
    }

    /// Zones that change offset are written in UTC, without a VTIMEZONE.
    @Test func zonesWithDaylightSavingUseUTC() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let start = LocalTime.instant(SF.date("2020-09-14"), minute: 19 * 60, in: newYork)
        let lines = Self.unfold(Self.feed([Self.event(time: .timed(start, start.addingTimeInterval(3600)))], zone: newYork))
        #expect(lines.contains("DTSTART:20200914T230000Z"))
        #expect(lines.contains("DTEND:20200915T000000Z"))
        #expect(!lines.contains("BEGIN:VTIMEZONE"))
    }

    @Test func cancelledEventsSaySo() {
        var event = Self.event()
        event.cancelled = true
        #expect(Self.unfold(Self.feed([event])).contains("STATUS:CANCELLED"))
    }

    @Test func calendarNameIsEscaped() {
        #expect(Self.unfold(Self.feed([], name: "深圳,福田;中心")).contains("X-WR-CALNAME:深圳\\,福田\\;中心"))
    }

    @Test(arguments: [(28_800, "+0800"), (-18_000, "-0500"), (19_800, "+0530"), (0, "+0000"), (-34_200, "-0930")])
    func offsets(_ seconds: Int, _ text: String) {
        #expect(ICalendar.offsetText(seconds) == text)
    }
}
