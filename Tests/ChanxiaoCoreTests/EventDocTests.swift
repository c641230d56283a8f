import ChanxiaoCore
import Foundation
import Testing

/// The event sections of docs/webhooks.md, read from their stable structure: a `### ` heading
/// naming the types (or a first paragraph naming them, for the match events), a
/// `| member | meaning |` table with the members in backticks in the first column, and a JSON
/// example whose `data` members sit on lines of their own, indented by four spaces.
struct WebhooksDocSection {
    struct Row {
        var members: [String]
        var meaning: String
    }

    var heading: String
    var types: [EventType]
    var rows: [Row]
    /// The `type` of the JSON example, and its `data` members in order.
    var exampleType: EventType?
    var exampleMembers: [String]

    /// The members documented for `type`, in order: a row whose meaning begins "`<type>` only"
    /// belongs to that type alone.
    func members(of type: EventType) -> [String] {
        rows.filter { row in
            guard let only = Self.backticked(row.meaning).first.flatMap(EventType.init(rawValue:)), row.meaning.hasPrefix("`\(only.rawValue)` only")
            else { return true }
            return only == type
        }.flatMap(\.members)
    }

    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/webhooks.md").path

    static func read() throws -> [WebhooksDocSection] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## Event types") else { return [] }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        var sections: [WebhooksDocSection] = []
        var index = start + 1
        while index < end {
            guard lines[index].hasPrefix("### ") else {
                index += 1
                continue
            }
            let next = lines[(index + 1)..<end].firstIndex { $0.hasPrefix("### ") } ?? end
            sections.append(section(heading: lines[index], body: Array(lines[(index + 1)..<next])))
            index = next
        }
        return sections
    }

    static func section(heading: String, body: [String]) -> WebhooksDocSection {
        var types = backticked(heading).compactMap(EventType.init(rawValue:))
        if types.isEmpty {
            let paragraph = body.drop { $0.isEmpty }.prefix { !$0.isEmpty }.joined(separator: " ")
            types = backticked(paragraph).compactMap(EventType.init(rawValue:))
        }
        var rows: [Row] = []
        if let header = body.firstIndex(of: "| member | meaning |") {
            for line in body[(header + 2)...].prefix(while: { $0.hasPrefix("|") }) {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 3 else { continue }
                rows.append(Row(members: backticked(cells[1]), meaning: cells[2...].joined(separator: "|")))
            }
        }
        var exampleType: EventType?
        var exampleMembers: [String] = []
        if let open = body.firstIndex(of: "```json") {
            let example = body[(open + 1)...].prefix { $0 != "```" }
            exampleType = example.first { $0.hasPrefix("  \"type\": ") }.flatMap { line in
                line.split(separator: "\"").dropFirst(3).first.flatMap { EventType(rawValue: String($0)) }
            }
            for line in example.drop(while: { !$0.hasPrefix("  \"data\": {") }).dropFirst() where line.hasPrefix("    \"") {
                if let name = line.split(separator: "\"").dropFirst().first { exampleMembers.append(String(name)) }
            }
        }
        return WebhooksDocSection(heading: heading, types: types, rows: rows, exampleType: exampleType, exampleMembers: exampleMembers)
    }

    /// The texts between backticks.
    static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The members a meaning lists as `` `{a, b, c}` `` for a nested object, when the first
    /// object in backticks is such a list (not an example such as `{"weeks": [a, b]}`, nor a path
    /// such as `/v1/matches/{id}`).
    static func nestedMembers(_ meaning: String) -> [String]? {
        guard let open = meaning.range(of: "`{"), let close = meaning[open.upperBound...].range(of: "}`") else { return nil }
        let names = meaning[open.upperBound..<close.lowerBound].components(separatedBy: ", ")
        guard names.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 == "_" || ("a"..."z").contains($0) } }) else { return nil }
        return names
    }
}

@Suite("docs/webhooks.md")
struct EventDocTests {
    typealias F = EventPayloadFixtures

    static let sections = (try? WebhooksDocSection.read()) ?? []

    /// The fixture of each type with every nullable member set.
    static func complete(_ type: EventType) -> EventData? {
        F.all.first { $0.data.type == type && !$0.label.hasSuffix("bare") }?.data
    }

    @Test("every event type has one section with a member table")
    func everyTypeDocumented() {
        #expect(!Self.sections.isEmpty, "no event sections read from \(WebhooksDocSection.path)")
        for type in EventType.allCases {
            let documenting = Self.sections.filter { $0.types.contains(type) && !$0.rows.isEmpty }
            #expect(documenting.count == 1, "\(type.rawValue): \(documenting.map(\.heading))")
        }
    }

    @Test("each type writes its members in the documented order", arguments: EventType.allCases)
    func memberOrder(type: EventType) throws {
        let section = try #require(Self.sections.first { $0.types.contains(type) })
        let data = try #require(Self.complete(type))
        #expect(data.members.map(\.name) == section.members(of: type))
    }

    @Test("each section's JSON example lists the members in the table's order")
    func examplesFollowTables() throws {
        for section in Self.sections {
            let type = try #require(section.exampleType, "\(section.heading) has no example")
            #expect(section.exampleMembers == section.members(of: type), "\(section.heading)")
        }
    }

    @Test("nested objects have the documented members, in alphabetical order")
    func nestedObjects() throws {
        var checked = 0
        for section in Self.sections {
            for type in section.types {
                let members = try #require(Self.complete(type)).members
                for row in section.rows {
                    guard row.members.count == 1, let documented = WebhooksDocSection.nestedMembers(row.meaning) else { continue }
                    let value = members.first { $0.name == row.members[0] }?.value
                    let object = value?.objectValue ?? value?.array?.first?.objectValue
                    let written = try #require(object, "\(type.rawValue).\(row.members[0]) has no nested object in the fixture")
                    #expect(documented == documented.sorted(), "\(type.rawValue).\(row.members[0])")
                    #expect(written.keys.sorted() == documented, "\(type.rawValue).\(row.members[0])")
                    checked += 1
                }
            }
        }
        #expect(checked >= 7)  // slots twice, products twice, matches, totals, featured, links
    }
}
