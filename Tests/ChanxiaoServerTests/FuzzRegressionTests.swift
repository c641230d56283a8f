import ChanxiaoCore
import ChanxiaoServer
import HTTPTypes
import Testing

/// What `reliability/api_fuzz.sh` (schemathesis against docs/openapi.yaml) and the probes made
/// while setting it up found: each input now gets a 4xx problem naming the field, where it
/// crashed the daemon or was accepted against the schema.
@Suite struct FuzzRegressionTests {
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var json: String?
        var status: Int
        var type: String
        var fields: [String]
        var description: String { "\(method) \(uri) \(json ?? "")" }
    }

    /// 63 letters, then "é" written as e and two combining acute accents: 64 graphemes, 66 code points.
    static let longName = String(repeating: "a", count: 63) + #"e\u0301\u0301"#

    static let cases: [Case] = [
        // Weeks at either end of the calendar crashed the daemon: the weekly report reads the week
        // after, the weekly job and matching the weeks before, a rotation the weeks it runs.
        Case(method: .get, uri: "/v1/reports/weekly?week=9999-W52", status: 400, type: "bad-request", fields: ["week"]),
        Case(method: .get, uri: "/v1/reports/weekly?week=9999-W52&format=csv", status: 400, type: "bad-request", fields: ["week"]),
        Case(method: .post, uri: "/v1/reports/weekly/run?week=0001-W01", status: 400, type: "bad-request", fields: ["week"]),
        Case(method: .post, uri: "/v1/match-runs", json: #"{"week":"0001-W01"}"#, status: 422, type: "validation", fields: ["week"]),
        Case(method: .post, uri: "/v1/match-runs", json: #"{"week":"0001-W03","dry_run":true}"#, status: 422, type: "validation", fields: ["week"]),
        Case(
            method: .post,
            uri: "/v1/rotations",
            json: #"{"venue_id":"ven-x","from_week":"9999-W52","weeks":4}"#,
            status: 422,
            type: "validation",
            fields: ["from_week"]
        ),
        Case(
            method: .post,
            uri: "/v1/rotations",
            json: #"{"venue_id":"ven-x","from_week":"0001-W01","weeks":4}"#,
            status: 422,
            type: "validation",
            fields: ["from_week"]
        ),
        // A null read-only or unknown member of a merge patch vanished, and the patch answered 200.
        Case(method: .patch, uri: "/v1/demands/dem-a", json: #"{"ends_onn":null}"#, status: 422, type: "validation", fields: ["ends_onn"]),
        Case(
            method: .patch,
            uri: "/v1/demands/dem-a",
            json: #"{"created_at":null,"ends_on":null}"#,
            status: 422,
            type: "validation",
            fields: ["created_at"]
        ),
        Case(method: .patch, uri: "/v1/products/prd-a", json: #"{"county_code":null}"#, status: 422, type: "validation", fields: ["county_code"]),
        // Report parameters: every bad one is listed, not only the first.
        Case(method: .get, uri: "/v1/reports/weekly?week=2020-W00&format=pdf", status: 400, type: "bad-request", fields: ["week", "format"]),
        Case(
            method: .get,
            uri: "/v1/reports/counties?from=2020-02-30&region=999999&month=9",
            status: 400,
            type: "bad-request",
            fields: ["from", "region", "month"]
        ),
        // Path parameters are named too.
        Case(
            method: .patch,
            uri: "/v1/rotations/rot-x/slots/0000-W01",
            json: #"{"county_code":"451026"}"#,
            status: 400,
            type: "bad-request",
            fields: ["week"]
        ),
        Case(method: .post, uri: "/v1/fairs/fair-x/booths/abc/release", status: 400, type: "bad-request", fields: ["number"]),
        // A livestream without products is refused with the other field errors, not after the host was looked up.
        Case(
            method: .post,
            uri: "/v1/livestreams",
            json: #"""
                {"host_id":"nobody","platform":"douyin","starts_at":"2020-09-19T19:00:00+08:00","ends_at":"2020-09-19T20:00:00+08:00","product_ids":null}
                """#,
            status: 422,
            type: "validation",
            fields: ["product_ids"]
        ),
        // Lengths count code points, as the schemas' maxLength does; graphemes let 66 through as 64.
        Case(
            method: .post,
            uri: "/v1/counties",
            json: #"{"code":"450124","name":"\#(longName)","poverty_status":"deep"}"#,
            status: 422,
            type: "validation",
            fields: ["name"]
        ),
        // The same for text filters: 199 graphemes, 201 code points.
        Case(
            method: .get,
            uri: "/v1/counties?q=" + String(repeating: "a", count: 198) + "e%CC%81%CC%81",
            status: 400,
            type: "bad-request",
            fields: ["q"]
        ),
        // A bad owner filter is listed with the other bad parameters, not only once they pass.
        Case(method: .get, uri: "/v1/webhook-endpoints?owner=nobody&enabled=maybe", status: 400, type: "bad-request", fields: ["owner", "enabled"]),
        // An instant past year 9999 in UTC was stored as 10000-…, which sorts before every other:
        // "since" the end of time listed everything.
        Case(method: .get, uri: "/v1/webhook-messages?since=9999-12-31T23:59:59-14:00", status: 400, type: "bad-request", fields: ["since"]),
    ]

    @Test(arguments: cases)
    func problem(_ testCase: Case) async throws {
        let app = try await TestApp()
        let response = try await app.send(testCase.method, testCase.uri, json: testCase.json)
        #expect(Int(response.status.code) == testCase.status, "\(response.text)")
        #expect(response.isProblem)
        #expect(response.object["type"] == .string("urn:chanxiao:problem:\(testCase.type)"))
        #expect(Set(response.errorFields) == Set(testCase.fields), "\(response.text)")
    }

    /// A null read-only or unknown member of a webhook endpoint's merge patch is refused like the
    /// catalog's, instead of vanishing behind a 200.
    @Test(arguments: [(#"{"id":null}"#, "id"), (#"{"signed":null}"#, "signed"), (#"{"secrett":null}"#, "secrett")])
    func aNullMemberThatCannotBeWrittenIsRefused(patch: String, field: String) async throws {
        let app = try await TestApp()
        let created = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"{"id":"whe-a","url":"https://example.com/hook","event_types":["*"]}"#
        )
        #expect(created.status == .created, "\(created.text)")
        let response = try await app.send(.patch, "/v1/webhook-endpoints/whe-a", json: patch)
        #expect(response.status == .unprocessableContent, "\(response.text)")
        #expect(response.errorFields == [field], "\(response.text)")
        // A null writable member still resets it.
        let reset = try await app.send(.patch, "/v1/webhook-endpoints/whe-a", json: #"{"description":null}"#)
        #expect(reset.status == .ok, "\(reset.text)")
    }

    /// The first and last weeks that may be named still work, without reaching past the calendar.
    @Test func theEdgesOfThePlannableWeeksWork() async throws {
        let app = try await TestApp()
        #expect(try await app.send(.get, "/v1/reports/weekly?week=9997-W52").status == .ok)
        #expect(try await app.send(.post, "/v1/reports/weekly/run?week=0002-W01").status == .created)
        let run = try await app.send(.post, "/v1/match-runs", json: #"{"week":"0002-W01","dry_run":true}"#)
        #expect(run.status == .ok, "\(run.text)")
    }

    /// docs/openapi.yaml lets optional members be null or "" in a request (they take their
    /// defaults), because that is what the daemon does; keep it so.
    @Test func optionalMembersLeftEmptyOrNullTakeTheirDefaults() async throws {
        let app = try await TestApp()
        let response = try await app.send(
            .post,
            "/v1/products",
            json: #"""
                {"id":"","supplier_id":"sup-a","name":"x","category":"tea","unit":"box","unit_price_fen":1,"weekly_capacity":1,
                 "min_order":null,"season_months":null,"cold_chain":null}
                """#
        )
        #expect(response.status == .created, "\(response.text)")
        #expect(response.object["id"]?.string?.hasPrefix("prd_") == true)
        #expect(response.object["min_order"] == .int(1))
        #expect(response.object["cold_chain"] == .bool(false))
        #expect(response.object["certificate_no"] == .null)

        // Division codes too: an empty region_code was refused as "must be a 6-digit … code".
        let outlet = try await app.send(
            .post,
            "/v1/outlets",
            json: #"""
                {"name":"x","kind":"counter","county_code":"451026","opened_on":"2020-08-01","region_code":"","closed_on":""}
                """#
        )
        #expect(outlet.status == .created, "\(outlet.text)")
        #expect(outlet.object["region_code"] == .null)
    }
}
