import ChanxiaoCore
import Foundation
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test(
        "formats UTC with milliseconds",
        arguments: [
            (0.0, "1970-01-01T00:00:00.000Z"),
            (1_605_999_000.125, "2020-11-21T22:50:00.125Z"),
            (1_598_889_600, "2020-08-31T16:00:00.000Z"),
            (1_790_000_000.5, "2026-09-21T14:13:20.500Z"),
            (0.9999, "1970-01-01T00:00:00.999Z"),  // truncated, not rounded
            (-1, "1969-12-31T23:59:59.000Z"),
            (-0.001, "1969-12-31T23:59:59.999Z"),
            (-62_135_596_800, "0001-01-01T00:00:00.000Z"),
            (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
        ]
    )
    func format(seconds: Double, text: String) {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test(
        "parses RFC 3339 with Z, an offset, a space, or no fraction",
        arguments: [
            ("2020-11-21T22:50:00.125Z", 1_605_999_000.125),
            ("2020-11-21T22:50:00Z", 1_605_999_000),
            ("2020-11-21t22:50:00z", nil),
            ("2020-11-21T22:50:00z", 1_605_999_000),
            ("2020-11-21 22:50:00Z", 1_605_999_000),
            ("2020-11-22T06:50:00+08:00", 1_605_999_000),
            ("2020-11-22T06:50:00.125+08:00", 1_605_999_000.125),
            ("2020-11-21T17:20:00-05:30", 1_605_999_000),
            ("2020-11-21T22:50:00+00:00", 1_605_999_000),
            ("2020-11-21T22:50:00.5Z", 1_605_999_000.5),
            ("2020-11-21T22:50:00.123456789Z", 1_605_999_000.123456789),
            ("1970-01-01T00:00:00.000Z", 0),
            ("1969-12-31T23:59:59.999Z", -0.001),
        ] as [(String, Double?)]
    )
    func parse(text: String, seconds: Double?) throws {
        guard let seconds else {
            #expect(Timestamp.date(from: text) == nil)
            return
        }
        let date = try #require(Timestamp.date(from: text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(
        "refuses what is not a timestamp",
        arguments: [
            "", "2020-11-21", "2020-11-21T22:50:00", "2020-11-21T22:50Z", "2020-11-21T22:50:00.125",
            "2020-11-21T24:00:00Z", "2020-11-21T23:60:00Z", "2020-11-21T23:00:61Z", "2020-02-30T00:00:00Z",
            "2020-11-21T22:50:00+0800", "2020-11-21T22:50:00+08", "2020-11-21T22:50:00+08:00:00", "2020-11-21T22:50:00+24:00",
            "2020-11-21T22:50:00+08:60", "2020-11-21T22:50:00Zx", "2020-11-21T22:50:00ZZ", "2020-11-21T22:50:00.Z",
            "2020-11-21X22:50:00Z", "2020-11-21T22-50-00Z", "2020-11-21T2a:50:00Z", "2020-11-21T22:50:00 Z",
            " 2020-11-21T22:50:00Z", "20201121T225000Z", "1605999000",
            // Outside the years 0001–9999 once in UTC: stored as text, they would sort wrongly.
            "9999-12-31T23:59:59-14:00", "9999-12-31T23:00:00-01:00", "0001-01-01T00:00:00+00:01", "0001-01-01T08:00:00+14:00",
        ]
    )
    func invalid(text: String) {
        #expect(Timestamp.date(from: text) == nil)
    }

    @Test(
        "string → date → string is the identity for every millisecond",
        arguments: [
            "1970-01-01T00:00:00", "2020-08-31T16:00:00", "2038-01-19T03:14:08", "2099-12-31T23:59:59", "1900-06-15T12:00:00",
            "0001-01-01T00:00:00", "9999-12-31T23:59:59",
        ]
    )
    func roundTripEveryMillisecond(second: String) throws {
        for millisecond in 0..<1000 {
            let text = second + "." + String(millisecond + 1000).dropFirst() + "Z"
            let date = try #require(Timestamp.date(from: text))
            let written = Timestamp.string(from: date)
            if written != text {
                Issue.record("\(text) wrote back as \(written)")
                return
            }
        }
    }

    @Test("date → string → date keeps the millisecond", arguments: [0.0, 1_600_000_000, 2_200_000_000, -2_000_000_000])
    func roundTripFromDates(base: Double) throws {
        for millisecond in stride(from: 0, to: 1000, by: 7) {
            let date = Date(timeIntervalSince1970: base + Double(millisecond) / 1000)
            let text = Timestamp.string(from: date)
            let parsed = try #require(Timestamp.date(from: text))
            #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_5, "\(text)")
            #expect(Timestamp.string(from: parsed) == text)
        }
    }

    @Test("offsets name the same instant as Z")
    func offsets() throws {
        let utc = try #require(Timestamp.date(from: "2020-09-01T00:00:00Z"))
        for text in [
            "2020-09-01T08:00:00+08:00", "2020-08-31T20:00:00-04:00", "2020-09-01T05:45:00+05:45",
            "2020-09-01T00:00:00-00:00", "2020-09-01T23:59:00+23:59", "2020-08-31T00:01:00-23:59",
        ] {
            let date = try #require(Timestamp.date(from: text))
            #expect(date == utc, "\(text)")
            #expect(Timestamp.string(from: date) == "2020-09-01T00:00:00.000Z")
        }
    }
}
