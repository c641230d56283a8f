import ChanxiaoCore
import ChanxiaoServer
import HTTPTypes
import Testing

/// Bad input never yields a 500: each case gets its 4xx and a problem naming the field.
@Suite struct ErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?
        var contentType: String? = "application/json"
        var status: Int
        var type: String
        var fields: [String] = []
        var description: String { "\(method) \(uri) \(body ?? "")" }
    }

    static let cases: [Case] = [
        Case(
            method: .post,
            uri: "/v1/products",
            body: #"{"supplier_id":"sup-a","name":"x","category":"rice","unit":"kg","unit_price_fen":1,"weekly_capacity":1}"#,
            status: 422,
            type: "validation",
            fields: ["category"]
        ),
        Case(
            method: .post,
            uri: "/v1/demands",
            body: #"{"buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":0,"max_unit_price_fen":-5,"starts_on":"2020-09-07"}"#,
            status: 422,
            type: "validation",
            fields: ["weekly_volume", "max_unit_price_fen"]
        ),
        Case(
            method: .post,
            uri: "/v1/products",
            body: #"{"supplier_id":"sup-a","name":"x","category":"fruit","unit":"kg","unit_price_fen":1,"weekly_capacity":1,"season_months":[13]}"#,
            status: 422,
            type: "validation",
            fields: ["season_months[0]"]
        ),
        Case(
            method: .post,
            uri: "/v1/counties",
            body: #"{"code":"45012","name":"x","poverty_status":"deep"}"#,
            status: 422,
            type: "validation",
            fields: ["code"]
        ),
        Case(
            method: .post,
            uri: "/v1/products",
            body: #"{"supplier_id":"sup-ghost","name":"x","category":"tea","unit":"box","unit_price_fen":1,"weekly_capacity":1}"#,
            status: 422,
            type: "validation",
            fields: ["supplier_id"]
        ),
        Case(
            method: .post,
            uri: "/v1/demands",
            body:
                #"{"buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":1,"max_unit_price_fen":1,"starts_on":"2020-09-07","ends_on":"2020-09-06"}"#,
            status: 422,
            type: "validation",
            fields: ["ends_on"]
        ),
        Case(
            method: .post,
            uri: "/v1/demands",
            body: #"{"buyer_id":"buy-a","category":"tea","unit":"box","weekly_volume":"10","max_unit_price_fen":true,"starts_on":20200907}"#,
            status: 422,
            type: "validation",
            fields: ["weekly_volume", "max_unit_price_fen", "starts_on"]
        ),
        Case(
            method: .post,
            uri: "/v1/buyers",
            body: #"{"name":"x","kind":"canteen","region_code":"440304","colour":"red","created_at":"2020-01-01"}"#,
            status: 422,
            type: "validation",
            fields: ["colour", "created_at"]
        ),
        Case(method: .patch, uri: "/v1/counties/451026", body: #"{"code":"451027"}"#, status: 422, type: "validation", fields: ["code"]),
        Case(method: .patch, uri: "/v1/products/prd-a", body: #"{"county_code":"341125"}"#, status: 422, type: "validation", fields: ["county_code"]),
        Case(method: .patch, uri: "/v1/products/prd-a", body: #"{"name":null}"#, status: 422, type: "validation", fields: ["name"]),
        Case(method: .post, uri: "/v1/counties", body: #"{"code":"450124","name":"x""#, status: 400, type: "bad-request"),
        Case(method: .post, uri: "/v1/counties", body: #"[1,2]"#, status: 400, type: "bad-request"),
        Case(method: .post, uri: "/v1/counties", body: "", status: 400, type: "bad-request"),
        Case(method: .post, uri: "/v1/counties", body: #"{"code":"450124"}"#, contentType: "text/plain", status: 415, type: "unsupported-media-type"),
        Case(method: .post, uri: "/v1/counties", body: #"{"code":"450124"}"#, contentType: nil, status: 415, type: "unsupported-media-type"),
        Case(
            method: .post,
            uri: "/v1/counties",
            body: #"{"name":""# + String(repeating: "县", count: 2000) + #""}"#,
            status: 413,
            type: "payload-too-large"
        ),
        Case(method: .get, uri: "/v1/products?categry=fruit", status: 400, type: "bad-request", fields: ["categry"]),
        Case(method: .get, uri: "/v1/products?limit=0", status: 400, type: "bad-request", fields: ["limit"]),
        Case(method: .get, uri: "/v1/products?cursor=%%%", status: 400, type: "bad-request", fields: ["cursor"]),
        Case(method: .get, uri: "/v1/demands?active_on=2020-02-30", status: 400, type: "bad-request", fields: ["active_on"]),
        Case(method: .get, uri: "/v1/audit?kind=spaceship", status: 400, type: "bad-request", fields: ["kind"]),
        Case(method: .get, uri: "/v1/counties/999999", status: 404, type: "not-found"),
        Case(method: .get, uri: "/v1/nothing-here", status: 404, type: "not-found"),
        Case(method: .delete, uri: "/v1/counties/451026", status: 409, type: "conflict"),
        Case(
            method: .post,
            uri: "/v1/import/products?mode=merge",
            body: "a\n1\n",
            contentType: "text/csv",
            status: 400,
            type: "bad-request",
            fields: ["mode"]
        ),
        Case(method: .post, uri: "/v1/import/products", body: "a\n1\n", contentType: "application/json", status: 415, type: "unsupported-media-type"),
        Case(
            method: .post,
            uri: "/v1/import/products",
            body: "a\n1\n",
            contentType: "text/csv; charset=gbk",
            status: 415,
            type: "unsupported-media-type"
        ),
        Case(method: .get, uri: "/v1/export/products?format=xlsx", status: 400, type: "bad-request", fields: ["format"]),
        Case(method: .get, uri: "/v1/audit?kind=county&kind=product", status: 400, type: "bad-request", fields: ["kind"]),
        Case(method: .get, uri: "/v1/audit?cursor=djE6cHJkLWE", status: 400, type: "bad-request", fields: ["cursor"]),
        Case(method: .put, uri: "/v1/counties/451026", body: "{}", status: 405, type: "method-not-allowed"),
        Case(method: .delete, uri: "/v1/counties", status: 405, type: "method-not-allowed"),
    ]

    @Test(arguments: cases)
    func problem(_ testCase: Case) async throws {
        let app = try await TestApp { $0.server.maxBodyBytes = 2048 }
        let response = try await app.send(
            testCase.method,
            testCase.uri,
            json: testCase.contentType == "application/json" ? testCase.body : nil,
            body: testCase.contentType == "application/json" ? nil : testCase.body,
            contentType: testCase.contentType
        )
        #expect(Int(response.status.code) == testCase.status, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.object["type"] == .string("urn:chanxiao:problem:\(testCase.type)"))
        #expect(response.object["status"] == .int(Int64(testCase.status)))
        #expect(response.object["title"]?.string?.isEmpty == false)
        #expect(Set(response.errorFields) == Set(testCase.fields), "\(response.text)")
    }

    @Test func aWrongMethodNamesTheAllowedOnes() async throws {
        let app = try await TestApp()
        let response = try await app.send(.put, "/v1/products/prd-a", json: "{}")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET, PATCH, DELETE")
    }

    @Test func everyProblemOfAnInputIsListed() async throws {
        let app = try await TestApp()
        let response = try await app.send(.post, "/v1/products", json: "{}")
        #expect(response.status == .unprocessableContent)
        // The id is generated, so the six other required fields are missing.
        #expect(Set(response.errorFields) == ["supplier_id", "name", "category", "unit", "unit_price_fen", "weekly_capacity"])
        #expect(response.object["error_count"] == .int(6))
        #expect(response.object["detail"] == .string("6 problems"))
    }
}
