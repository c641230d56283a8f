import ChanxiaoCore
import ChanxiaoServer
import HTTPTypes
import Testing

@Suite struct BulkAPITests {
    @Test func importIsAllOrNothingAndListsEveryBadRow() async throws {
        let app = try await TestApp()
        let csv = """
            code,name,province,city,poverty_status,poor_population,paired_region_codes
            450124,马山县,,南宁市,national,30000,440300;440304
            450125,上林县,,南宁市,poor,x,
            4501,短码,,,national,,
            """
        let rejected = try await app.send(.post, "/v1/import/counties", body: csv, contentType: "text/csv; charset=utf-8")
        #expect(rejected.status == .unprocessableContent)
        #expect(rejected.object["error_count"] == .int(3))
        guard case .array(let errors)? = rejected.object["errors"] else {
            Issue.record("no errors")
            return
        }
        let rows = errors.compactMap { $0.objectValue?["row"]?.int }
        #expect(rows == [3, 3, 4])
        #expect(try await app.send(.get, "/v1/counties/450124").status == .notFound)

        let fixed = csv.replacingOccurrences(of: "poor,x", with: "national,").replacingOccurrences(of: "4501,短码,,,national,,\n", with: "")
            .replacingOccurrences(of: "\n4501,短码,,,national,,", with: "")
        let accepted = try await app.send(.post, "/v1/import/counties", body: fixed, contentType: "text/csv")
        #expect(accepted.status == .ok, "\(accepted.text)")
        #expect(accepted.object["created"] == .int(2))
        let county = try await app.send(.get, "/v1/counties/450124")
        #expect(county.object["paired_region_codes"] == .array([.string("440300"), .string("440304")]))
        #expect(county.object["province"] == .string("广西壮族自治区"))
    }

    @Test func theNumberOfListedErrorsIsCapped() async throws {
        let app = try await TestApp { $0.importing.maxReportedErrors = 2 }
        let csv = "code,name,poverty_status\n" + (0..<5).map { "45012\($0),县,unknown" }.joined(separator: "\n")
        let response = try await app.send(.post, "/v1/import/counties", body: csv, contentType: "text/csv")
        #expect(response.status == .unprocessableContent)
        #expect(response.errorFields.count == 2)
        #expect(response.object["error_count"] == .int(5))
        #expect(response.object["detail"] == .string("5 problems; the first 2 are listed"))
    }

    @Test func exportIsTheImportFormat() async throws {
        let app = try await TestApp()
        let exported = try await app.send(.get, "/v1/export/demands", as: .organizer)
        #expect(exported.status == .ok)
        #expect(exported.headers[.contentType] == "text/csv; charset=utf-8")
        #expect(exported.text.hasPrefix("id,buyer_id,category,unit,weekly_volume,max_unit_price_fen,starts_on,ends_on,cold_chain\r\n"))
        #expect(exported.text.contains("dem-b,buy-b,aquatic,kg,50,7000,2020-09-01,2020-09-30,true\r\n"))

        let reimported = try await app.send(.post, "/v1/import/demands?mode=upsert", body: exported.text, contentType: "text/csv")
        #expect(reimported.object["unchanged"] == .int(2))
        let again = try await app.send(.post, "/v1/import/demands", body: exported.text, contentType: "text/csv")
        #expect(again.status == .unprocessableContent)  // insert mode: the ids exist
    }

    @Test func largeUploadsAreRefused() async throws {
        let app = try await TestApp { $0.server.maxImportBytes = 1024 }
        let csv = "code,name,poverty_status\n" + String(repeating: "450124,马山县,national\n", count: 100)
        let response = try await app.send(.post, "/v1/import/counties", body: csv, contentType: "text/csv")
        #expect(response.status == .contentTooLarge)
        #expect(response.isProblem)
    }
}
