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
        ]
        for (name, fields) in expected {
            let schema = try #require(schemas[name] as? [String: Any], "schema \(name)")
            let properties = try #require(schema["properties"] as? [String: Any], "\(name).properties")
            #expect(Set(properties.keys) == Set(fields), "\(name)")
        }
    }
}
