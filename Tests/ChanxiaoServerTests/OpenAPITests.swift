import ChanxiaoCore
import ChanxiaoServer
import Foundation
import Testing
import Yams

/// docs/openapi.yaml is kept in step with the routes and the resources' fields.
@Suite struct OpenAPITests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    func document() throws -> [String: Any] {
        let text = try String(contentsOf: Self.documentURL, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func everyRouteIsDocumentedAndNothingElse() async throws {
        let app = try await TestApp()
        let paths = try #require(try document()["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let registered = Set(app.endpoints.map { "\($0.method.rawValue) \($0.path)" })
        #expect(registered.subtracting(documented).sorted() == [], "routes missing from docs/openapi.yaml")
        #expect(documented.subtracting(registered).sorted() == [], "documented routes that do not exist")
    }

    @Test func resourceSchemasListExactlyTheResponseFields() throws {
        let schemas = try #require((try document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let expected: [(String, [String])] = [
            ("County", County.writableFields + County.readOnlyFields),
            ("Supplier", Supplier.writableFields + Supplier.readOnlyFields),
            ("Product", Product.writableFields + Product.readOnlyFields),
            ("Buyer", Buyer.writableFields + Buyer.readOnlyFields + ["effective_poverty_share_target"]),
            ("Demand", Demand.writableFields + Demand.readOnlyFields),
            ("Venue", Venue.writableFields + Venue.readOnlyFields),
            ("Host", LivestreamHost.writableFields + LivestreamHost.readOnlyFields),
            ("Fair", Fair.writableFields + Fair.readOnlyFields),
            ("Sale", Sale.writableFields + Sale.readOnlyFields),
            ("Outlet", Outlet.writableFields + Outlet.readOnlyFields),
            ("Event", SalesEvent.writableFields + SalesEvent.readOnlyFields),
        ]
        for (name, fields) in expected {
            let schema = try #require(schemas[name] as? [String: Any], "schema \(name)")
            let properties = try #require(schema["properties"] as? [String: Any], "\(name).properties")
            #expect(Set(properties.keys) == Set(fields), "\(name)")
        }
    }

    /// A match as the API answers it (with its names) has exactly the members the contract lists.
    @Test func theMatchSchemaListsExactlyTheMembersOfAMatch() async throws {
        let app = try await TestApp()
        let match = try await app.send(.get, "/v1/matches/\(app.matchID)")
        let schemas = try #require((try document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let schema = try #require(schemas["Match"] as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(match.object.keys))
        #expect(Set(schema["required"] as? [String] ?? []) == Set(match.object.keys))
    }

    /// The ranges the contract states are the ones the parser applies (`Quantity`).
    @Test(arguments: [
        ("Product", "unit_price_fen", Quantity.unitPriceFen), ("Product", "weekly_capacity", Quantity.volume),
        ("Product", "min_order", Quantity.volume), ("Demand", "weekly_volume", Quantity.volume),
        ("Demand", "max_unit_price_fen", Quantity.unitPriceFen), ("Sale", "volume", Quantity.volume), ("Sale", "amount_fen", Quantity.valueFen),
        ("Venue", "featured_weekly_volume", 0...Quantity.volume.upperBound),
    ])
    func rangesAreTheParsersRanges(_ c: (schema: String, field: String, range: ClosedRange<Int>)) throws {
        let schemas = try #require((try document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        for name in [c.schema, c.schema + "Patch"] {
            let property = try #require(
                ((schemas[name] as? [String: Any])?["properties"] as? [String: Any])?[c.field] as? [String: Any],
                "\(name).\(c.field)"
            )
            #expect(property["minimum"] as? Int == c.range.lowerBound, "\(name).\(c.field) minimum")
            #expect(property["maximum"] as? Int == c.range.upperBound, "\(name).\(c.field) maximum")
        }
    }
}

/// The reference documents name what the code has: every problem type in docs/api.md, every
/// metric in docs/operations.md.
@Suite struct ReferenceDocsTests {
    static let root = OpenAPITests.documentURL.deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// `type: "…"` of every problem the server makes, read from its sources.
    static func problemTypes() throws -> Set<String> {
        var types: Set<String> = []
        let sources = root.appendingPathComponent("Sources/ChanxiaoServer")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let pattern = try Regex(#"type: "([a-z-]+)""#)
        for file in files where file.pathExtension == "swift" {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) {
                if let name = match.output[1].substring { types.insert(String(name)) }
            }
        }
        return types
    }

    @Test func everyProblemTypeIsDocumented() throws {
        let types = try Self.problemTypes()
        #expect(types.count >= 12, "\(types.sorted())")
        let api = try Self.text("docs/api.md")
        let contract = try Self.text("docs/openapi.yaml")
        for type in types.sorted() {
            #expect(api.contains("urn:chanxiao:problem:\(type)"), "problem type \(type) missing from docs/api.md")
            #expect(contract.contains("urn:chanxiao:problem:\(type)"), "problem type \(type) missing from docs/openapi.yaml")
        }
    }

    @Test func everyMetricIsDocumented() throws {
        let source = try Self.text("Sources/ChanxiaoRuntime/Metrics/DaemonMetrics.swift")
        let names = Set(try source.matches(of: Regex(#"label: "(chanxiao_[a-z_]+)""#)).compactMap { $0.output[1].substring.map(String.init) })
        #expect(names.count >= 20, "\(names.sorted())")
        let operations = try Self.text("docs/operations.md")
        for name in names.sorted() {
            // The whole name: a metric whose name begins another's is not documented by it.
            #expect(try Regex(name + "(?![a-z_])").firstMatch(in: operations) != nil, "metric \(name) missing from docs/operations.md")
        }
    }
}
