import ChanxiaoCore
import ChanxiaoServer
import Foundation
import HTTPTypes
import Testing

/// The calendar feeds read back by a real iCalendar parser: Python's `icalendar` package, run by
/// `Tests/Scripts/ics_check.py`. Without python3 or the package the test fails and says what to
/// install; it never skips.
@Suite struct CalendarRoundTripTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/ics_check.py")

    struct CheckerFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes each feed to a temporary file and returns what the parser read from each, in order.
    static func parse(_ feeds: [String]) throws -> [[String: JSONValue]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-ics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [URL] = []
        for (n, feed) in feeds.enumerated() {
            let file = directory.appendingPathComponent("feed-\(n).ics")
            try Data(feed.utf8).write(to: file)
            files.append(file)
        }
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw CheckerFailure(description: "the ICS checker is missing at \(script.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + files.map(\.path)
        let errorFile = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        do {
            try process.run()
        } catch {
            throw CheckerFailure(description: "could not start /usr/bin/env python3 for the ICS round trip: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        switch process.terminationStatus {
        case 0: break
        case 127:
            throw CheckerFailure(
                description: "python3 is not installed, and the ICS round trip needs it with the icalendar package (pip install icalendar): \(stderr)"
            )
        case 2:
            throw CheckerFailure(
                description:
                    "the ICS round trip needs the Python package icalendar: pip install icalendar (\(stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
            )
        default:
            throw CheckerFailure(
                description: "icalendar could not read a feed (exit \(process.terminationStatus)): \(stderr)\n\(feeds.joined(separator: "\n----\n"))"
            )
        }
        let report = try JSONValue.parseObject(data)
        let parsed = report["files"]?.objects ?? []
        guard parsed.count == feeds.count else { throw CheckerFailure(description: "the checker reported \(parsed.count) of \(feeds.count) files") }
        return parsed
    }

    static func events(_ file: [String: JSONValue]) -> [String: [String: JSONValue]] {
        Dictionary((file["events"]?.objects ?? []).compactMap { event in event["uid"]?.string.map { ($0, event) } }, uniquingKeysWith: { a, _ in a })
    }

    /// What every feed must be, whatever it holds.
    static func checkWellFormed(_ file: [String: JSONValue], _ name: String) {
        #expect(file["errors"] == .array([]), "\(name): \(file["errors"] ?? .null)")
        #expect(file["crlf"] == .bool(true), "\(name): lines end in CRLF")
        #expect((file["max_line_octets"]?.int ?? 999) <= 75, "\(name): lines are folded at 75 octets")
        #expect(file["calendar"]?.objectValue?["version"] == .string("2.0"), "\(name)")
        #expect(file["calendar"]?.objectValue?["method"] == .string("PUBLISH"), "\(name)")
        let uids = (file["events"]?.objects ?? []).compactMap { $0["uid"]?.string }
        #expect(Set(uids).count == uids.count, "\(name): UIDs are unique")
        #expect(uids.count == file["events"]?.array?.count, "\(name): every event has a UID")
    }

    static func instant(_ value: JSONValue?) -> Date? { value?.string.flatMap(Timestamp.date(from:)) }

    @Test func feedsReadBackAsTheAPIReportedThem() async throws {
        let app = try await TestApp(schedules: .catalog)
        let created = try await app.send(.post, "/v1/rotations", as: .organizer, json: SchedulingAPITests.fourWeeks)
        let id = try #require(created.object["id"]?.string, "\(created.text)")
        let rotation = try await app.send(.post, "/v1/rotations/\(id)/publish", as: .organizer)
        try #require(rotation.status == .ok)
        let plan = try await app.send(
            .post,
            "/v1/livestream-plans",
            as: .organizer,
            json: #"{"rotation_id":"\#(id)","sessions_per_slot":2,"duration_minutes":90}"#
        )
        try #require(plan.status == .created, "\(plan.text)")
        let sessions = plan.object["sessions"]?.objects ?? []
        let slots = rotation.object["slots"]?.objects ?? []
        try #require(slots.count == 4 && sessions.count == 8)
        let hosts = Array(Set(sessions.compactMap { $0["host_id"]?.string })).sorted()
        let productNames = Dictionary(
            uniqueKeysWithValues: try await app.send(.get, "/v1/products?limit=100").items.compactMap { product in
                product["id"]?.string.flatMap { id in product["name"]?.string.map { (id, $0) } }
            }
        )

        func fetchAll() async throws -> [String] {
            var feeds: [String] = []
            for uri in ["/v1/venues/ven-center/calendar.ics"] + hosts.map({ "/v1/hosts/\($0)/calendar.ics" }) {
                let response = try await app.send(.get, uri, as: .buyerA)
                try #require(response.status == .ok, "\(uri): \(response.text)")
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                feeds.append(response.text)
            }
            return feeds
        }
        let first = try Self.parse(try await fetchAll())
        for (n, file) in first.enumerated() { Self.checkWellFormed(file, n == 0 ? "venue" : hosts[n - 1]) }

        // The venue: one all-day event per published week, Monday to the next Monday, plus the
        // rotation's livestreams.
        let venue = Self.events(first[0])
        #expect(venue.count == slots.count + sessions.count)
        for slot in slots {
            let week = try #require(slot["week"]?.string.flatMap { IsoWeek($0) })
            let event = try #require(venue["featured-ven-center-\(week)@chanxiao"], "\(week)")
            #expect(event["all_day"] == .bool(true))
            #expect(event["dtstart"] == .string(week.monday.description))
            #expect(event["dtend"] == .string(week.monday.adding(days: 7).description))
            #expect(event["sequence"] == slot["sequence"])
            #expect(event["status"] == .string("CONFIRMED"))
            let product = try #require(slot["product_id"]?.string)
            #expect(event["summary"]?.string?.contains(productNames[product] ?? product) == true, "\(event)")
        }
        // Livestreams: the same instants as the API, in the configured zone.
        func checkSessions(_ events: [String: [String: JSONValue]], _ sessions: [[String: JSONValue]], _ name: String) throws {
            for session in sessions {
                let sessionID = try #require(session["id"]?.string)
                let event = try #require(events["livestream-\(sessionID)@chanxiao"], "\(name): \(sessionID)")
                #expect(event["all_day"] == .bool(false))
                #expect(event["floating"] == .bool(false), "\(name): a timed event carries its zone")
                #expect(event["tzid"] == .string("Asia/Shanghai"))
                #expect(Self.instant(event["dtstart"]) == Self.instant(session["starts_at"]), "\(name): \(event) vs \(session)")
                #expect(Self.instant(event["dtend"]) == Self.instant(session["ends_at"]), "\(name): \(event) vs \(session)")
                #expect(Self.instant(event["dtstart_utc"]) == Self.instant(session["starts_at"]))
                #expect(event["sequence"] == session["sequence"])
                #expect(event["status"] == .string("CONFIRMED"))
                let product = session["product_ids"]?.array?.first?.string ?? ""
                #expect(event["summary"]?.string?.contains(productNames[product] ?? product) == true, "\(event)")
            }
        }
        try checkSessions(venue, sessions, "venue")
        // Each host: exactly its sessions.
        for (n, host) in hosts.enumerated() {
            let own = sessions.filter { $0["host_id"]?.string == host }
            let events = Self.events(first[n + 1])
            #expect(events.count == own.count, "\(host)")
            try checkSessions(events, own, host)
        }

        // Fetched again, nothing moves: the same UIDs, sequences and times.
        let again = try Self.parse(try await fetchAll())
        for (a, b) in zip(first, again) { #expect(Self.events(a) == Self.events(b)) }

        // A swap: the same UIDs, the two weeks' SEQUENCE raised, their dates kept.
        let swapped = try await app.send(.post, "/v1/rotations/\(id)/swap", as: .organizer, json: #"{"weeks":["2020-W38","2020-W40"]}"#)
        try #require(swapped.status == .ok, "\(swapped.text)")
        let after = try Self.parse(try await fetchAll())
        Self.checkWellFormed(after[0], "venue after the swap")
        let venueAfter = Self.events(after[0])
        #expect(Set(venueAfter.keys) == Set(venue.keys))
        for week in SchedulingAPITests.weeks {
            let uid = "featured-ven-center-\(week)@chanxiao"
            let before = venue[uid]?["sequence"]?.int ?? -1
            let now = venueAfter[uid]?["sequence"]?.int ?? -1
            #expect(now == (["2020-W38", "2020-W40"].contains(week) ? before + 1 : before), "\(week): SEQUENCE \(before) → \(now)")
            #expect(venueAfter[uid]?["dtstart"] == venue[uid]?["dtstart"])
        }
        let newSlots = Dictionary(
            uniqueKeysWithValues: (swapped.object["slots"]?.objects ?? []).compactMap { slot in slot["week"]?.string.map { ($0, slot) } }
        )
        for week in ["2020-W38", "2020-W40"] {
            let product = newSlots[week]?["product_id"]?.string ?? ""
            #expect(venueAfter["featured-ven-center-\(week)@chanxiao"]?["summary"]?.string?.contains(productNames[product] ?? product) == true)
        }

        // A cancelled session stays in the feeds, as CANCELLED with a higher SEQUENCE.
        let cancelledID = try #require(sessions.first?["id"]?.string)
        #expect(try await app.send(.post, "/v1/livestreams/\(cancelledID)/cancel", as: .organizer).status == .ok)
        let cancelled = try Self.parse(try await fetchAll())
        let event = Self.events(cancelled[0])["livestream-\(cancelledID)@chanxiao"]
        #expect(event?["status"] == .string("CANCELLED"))
        #expect(event?["sequence"] == .int(1))
        let host = try #require(sessions.first?["host_id"]?.string)
        #expect(Self.events(cancelled[1 + hosts.firstIndex(of: host)!])["livestream-\(cancelledID)@chanxiao"]?["status"] == .string("CANCELLED"))
    }
}
