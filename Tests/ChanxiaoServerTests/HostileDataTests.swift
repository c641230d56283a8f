import ChanxiaoCore
import ChanxiaoFixtures
import ChanxiaoRuntime
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

/// Hostile *stored* data: records at the edges of every accepted range, planted through the API
/// and CSV imports by the tokens that may write them, then read back through every read route
/// and every job. Nothing may crash (a trap kills the test process), answer 5xx, or write a
/// figure that is not exact: every integer in every JSON answer is within ±(2^53 − 1), the
/// county table, the shares and the weekly totals equal sums made here from the records
/// listed back, and a figure beyond the limit is refused with a 422 problem naming it.
///
/// Quick by default (a few seeds, in `swift test`); `CHANXIAO_FUZZ_CASES=N` runs N seeds,
/// `CHANXIAO_FUZZ_REPLAY=<seed>` one (docs/reliability.md).
@Suite(.serialized) struct HostileDataTests {
    static let seeds = FuzzSettings.seeds(quick: 3)

    @Test(arguments: seeds)
    func recordsAtTheEdgesAreSafeEverywhere(seed: UInt64) async throws {
        var planting = HostilePlanting(seed: seed)
        // From the seed alone, so that CHANXIAO_FUZZ_REPLAY gives the same case.
        planting.plant(scale: 1 + Int(seed % 3))
        let app = try await TestApp(schedules: .planned)
        try await Self.plant(planting, in: app, seed: seed)
        try await HostileSweep(app: app, seed: seed).run(salesWeek: planting.salesWeek)
    }

    /// Many sales at the largest amount: their sum passes 2^53 − 1 fen, so the share, the county
    /// table and the weekly report refuse with 422 instead of writing a rounded or wrapped
    /// figure, and the weekly job still runs (leaving that buyer out, and saying so).
    @Test func sumsBeyondTheLimitAreRefusedNotWrapped() async throws {
        var planting = HostilePlanting(seed: 1)
        // 9,500 of the product (9.5 × 10^15 fen for county 451026) and 500 off the catalog.
        planting.plantManySales(count: 10_000)
        let app = try await TestApp(schedules: .planned)
        try await Self.plant(planting, in: app, seed: 1)
        let week = planting.salesWeek
        for uri in [
            "/v1/buyers/buy-b/share?from=\(week.monday)&to=\(week.sunday)", "/v1/reports/weekly?week=\(week)",
            "/v1/reports/counties?from=\(week.monday)&to=\(week.sunday)", "/v1/reports/counties.csv?from=\(week.monday)&to=\(week.sunday)",
        ] {
            let response = try await app.send(.get, uri)
            #expect(response.status.code == 422, "\(uri): \(response.text)")
            #expect(response.object["type"]?.string == "urn:chanxiao:problem:figure-out-of-range", "\(uri)")
            #expect(!response.errorFields.isEmpty, "\(uri) names the figure")
        }
        // A region without the county still reports.
        #expect(try await app.send(.get, "/v1/reports/counties?from=\(week.monday)&to=\(week.sunday)&region=341125").status == .ok)
        let run = try await app.send(.post, "/v1/reports/weekly/run?week=\(week.adding(weeks: 1))", as: .organizer)
        #expect(run.status == .created, "\(run.text)")
        let refused = run.object["figures_refused"]?.array?.compactMap(\.string) ?? []
        #expect(refused.contains { $0.contains("buyer buy-b") }, "\(refused)")
        // The full sweep runs over the random cases; ten thousand rows would make it slow here.
        let sweep = HostileSweep(app: app, seed: 1)
        try await sweep.jobs(ids: ["fairs": [], "venues": []], salesWeek: week)
        for uri in sweep.uris("/v1/reports/weekly", ids: [:], salesWeek: week) + sweep.uris("/v1/reports/counties.csv", ids: [:], salesWeek: week) {
            try await sweep.check(.get, uri, as: .organizer)
        }
    }

    /// One buyer's purchases of a year pass the limit while each week's stay within it: the
    /// weekly report still answers, leaving that buyer out of the at-risk table and naming it.
    @Test func oneBuyersYearBeyondTheLimitLeavesTheWeeklyReportStanding() async throws {
        var planting = HostilePlanting(seed: 2)
        planting.plantManySales(count: 9_100, offCatalog: true, weeks: 2)
        let app = try await TestApp(schedules: .planned)
        try await Self.plant(planting, in: app, seed: 2)
        let report = try await app.send(.get, "/v1/reports/weekly?week=\(planting.salesWeek)")
        #expect(report.status == .ok, "\(report.text.prefix(500))")
        let refused = report.object["targets_at_risk"]?.objectValue?["figures_refused"]?.array?.compactMap(\.string) ?? []
        #expect(refused.contains { $0.contains("buyer buy-b") }, "\(refused)")
        let markdown = try await app.send(.get, "/v1/reports/weekly?week=\(planting.salesWeek)&format=markdown")
        #expect(markdown.text.contains("未列入：buyer buy-b"))
    }

    static func plant(_ planting: HostilePlanting, in app: TestApp, seed: UInt64) async throws {
        for step in planting.steps {
            let response = try await app.send(
                .post,
                step.uri,
                as: step.caller,
                json: step.json,
                body: step.csv,
                contentType: step.csv == nil ? nil : "text/csv"
            )
            #expect(
                (200..<300).contains(Int(response.status.code)),
                "seed \(FuzzSettings.hex(seed)): planting \(step.what) was refused: \(response.text.prefix(2000))"
            )
        }
    }
}

/// Every read route and every job, over whatever the catalog holds, with the checks above.
struct HostileSweep {
    let app: TestApp
    let seed: UInt64

    var label: String { "seed \(FuzzSettings.hex(seed))" }

    /// Read routes that are not lists and take no parameters.
    static let singleRoutes: Set = [
        "/metrics", "/healthz", "/readyz", "/v1/reports/slow-moving", "/v1/me", "/v1/categories", "/v1/units",
        "/v1/admin/config",
    ]

    func run(salesWeek: IsoWeek) async throws {
        let ids = try await collectionIDs()
        try await jobs(ids: ids, salesWeek: salesWeek)
        for endpoint in app.endpoints where endpoint.method == .get {
            for uri in uris(endpoint.path, ids: ids, salesWeek: salesWeek) {
                for caller in [Caller.admin, .organizer, .buyerA, .supplierA, .calendar] {
                    try await check(.get, uri, as: caller)
                }
            }
        }
        try await exactFigures(salesWeek: salesWeek)
        try await exportsAreInertAndRoundTrip()
    }

    /// The ids of every collection, as the admin lists them.
    func collectionIDs() async throws -> [String: [String]] {
        var ids: [String: [String]] = [:]
        for endpoint in app.endpoints where endpoint.method == .get && !endpoint.path.contains("{") && endpoint.path.hasPrefix("/v1/") {
            guard !Self.singleRoutes.contains(endpoint.path), !endpoint.path.hasPrefix("/v1/reports/") else { continue }
            let items = try await listAll(endpoint.path)
            let key = endpoint.path.split(separator: "/").last.map(String.init) ?? ""
            ids[key] = items.compactMap { ($0["id"] ?? $0["code"])?.string }
        }
        return ids
    }

    func listAll(_ path: String) async throws -> [[String: JSONValue]] {
        var items: [[String: JSONValue]] = []
        var cursor: String?
        repeat {
            let uri = path + "?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await app.send(.get, uri)
            guard response.status == .ok else { return items }
            items += response.items
            cursor = response.object["next_cursor"]?.string
        } while cursor != nil
        return items
    }

    /// Concrete URIs for a route pattern: every id of its collection, and for reports the
    /// periods and weeks at their edges.
    func uris(_ pattern: String, ids: [String: [String]], salesWeek: IsoWeek) -> [String] {
        let from = HostilePlanting.tenYearsFrom
        let to = HostilePlanting.lastSaleDay
        let periods = ["", "?from=\(from)&to=\(to)", "?from=2020-01-01&to=2020-12-31", "?from=\(salesWeek.monday)&to=\(salesWeek.sunday)"]
        switch pattern {
        case "/v1/reports/counties", "/v1/reports/counties.csv":
            return periods.map { pattern + $0 } + [pattern + "?region=450000", pattern + "?region=459000&from=\(from)&to=\(to)"]
        case "/v1/reports/weekly":
            let weeks = [salesWeek, salesWeek.adding(weeks: 1), IsoWeek(year: 2, week: 1)!, IsoWeek(year: 9997, week: 52)!]
            return weeks.flatMap { week in ["json", "markdown", "csv"].map { "\(pattern)?week=\(week)&format=\($0)" } }
        case "/v1/buyers/{id}/share":
            return (ids["buyers"] ?? []).flatMap { id in periods.map { "/v1/buyers/\(id)/share" + $0 } }
        case _ where Self.singleRoutes.contains(pattern):
            return [pattern]
        default:
            break
        }
        let segments = pattern.split(separator: "/").map(String.init)
        guard let parameter = segments.firstIndex(where: { $0.hasPrefix("{") }) else {
            return [pattern + "?limit=500"]
        }
        let collection = segments[parameter - 1]
        let rest = segments[(parameter + 1)...].joined(separator: "/")
        return (ids[collection] ?? []).map { id -> String in
            let head =
                "/" + segments[..<parameter].joined(separator: "/") + "/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
            return rest.isEmpty ? head : head + "/" + rest
        }
    }

    /// One request: never 5xx; a problem for every 4xx; every integer of a JSON answer exact.
    @discardableResult
    func check(_ method: HTTPRequest.Method, _ uri: String, as caller: Caller, json: String? = nil) async throws -> TestResponse {
        let response = try await app.send(method, uri, as: caller, json: json)
        let code = Int(response.status.code)
        #expect(code < 500, "\(label): \(method) \(uri) as \(caller) answered \(code): \(response.text.prefix(1000))")
        if code >= 400 {
            #expect(response.isProblem, "\(label): \(method) \(uri) as \(caller) answered \(code) without a problem")
            if code == 422, response.object["type"]?.string == "urn:chanxiao:problem:figure-out-of-range" {
                #expect(!response.errorFields.isEmpty, "\(label): \(uri) refused a figure without naming it")
            }
        }
        if response.headers[.contentType]?.hasPrefix("application/json") == true || response.isProblem {
            if let value = try? JSONValue.parse(Data(buffer: response.body)) {
                for (path, number) in Self.integers(in: value, path: "") where abs(number) > Int64(Figure.limit) {
                    Issue.record("\(label): \(method) \(uri) wrote \(number) at \(path), beyond ±(2^53 − 1)")
                }
            } else {
                Issue.record("\(label): \(method) \(uri) answered JSON that does not parse")
            }
        }
        return response
    }

    static func integers(in value: JSONValue, path: String) -> [(String, Int64)] {
        switch value {
        case .int(let number): [(path, number)]
        case .array(let items): items.enumerated().flatMap { integers(in: $1, path: "\(path)[\($0)]") }
        case .object(let members): members.flatMap { integers(in: $1, path: path + "." + $0) }
        default: []
        }
    }

    /// The jobs: matching (dry and stored) for the weeks the demands run, the weekly job, fair
    /// allocation, livestream and rotation planning, and the schedulers' own rounds.
    func jobs(ids: [String: [String]], salesWeek: IsoWeek) async throws {
        for week in [TestApp.week, TestApp.week.adding(weeks: 1), IsoWeek(year: 2, week: 1)!, IsoWeek(year: 9997, week: 52)!] {
            try await check(.post, "/v1/match-runs", as: .admin, json: #"{"week":"\#(week)","dry_run":true}"#)
            try await check(.post, "/v1/match-runs", as: .organizer, json: #"{"week":"\#(week)"}"#)
        }
        for fair in ids["fairs"] ?? [] { try await check(.post, "/v1/fairs/\(fair)/allocate", as: .organizer, json: "{}") }
        for venue in ids["venues"] ?? [] {
            let counties = (ids["counties"] ?? []).prefix(6).map { "\"\($0)\"" }.joined(separator: ",")
            try await check(
                .post,
                "/v1/rotations",
                as: .organizer,
                json: #"{"venue_id":"\#(venue)","from_week":"2020-W40","weeks":104,"county_codes":[\#(counties)]}"#
            )
        }
        try await check(
            .post,
            "/v1/livestream-plans",
            as: .organizer,
            json: #"{"rotation_id":"rot-pub","sessions_per_slot":28,"duration_minutes":60}"#
        )
        let lines = LogLines()
        await MatchingScheduler(dependencies: app.dependencies, logger: lines.logger).tick()
        await ReportScheduler(dependencies: app.dependencies, logger: lines.logger).tick()
        for entry in lines.entries where entry.level >= .error {
            Issue.record("\(label): a scheduler round failed: \(entry.text)")
        }
        try await check(.post, "/v1/reports/weekly/run?week=\(salesWeek.adding(weeks: 1))", as: .organizer)
    }

    /// The county table, the shares and the weekly totals equal the sums of the records as the
    /// API lists them, added here in 128 bits; or, when a sum passes the limit, they are refused.
    func exactFigures(salesWeek: IsoWeek) async throws {
        let sales = try await listAll("/v1/sales")
        let products = try await listAll("/v1/products")
        func amount(_ sale: [String: JSONValue]) -> Int128 { Int128(sale["amount_fen"]?.int ?? 0) }
        func day(_ item: [String: JSONValue], _ key: String) -> CalendarDate? { item[key]?.string.flatMap(CalendarDate.init) }
        let limit = Int128(Figure.limit)

        for (from, to) in [(HostilePlanting.tenYearsFrom, HostilePlanting.lastSaleDay), (salesWeek.monday, salesWeek.sunday)] {
            let inPeriod = sales.filter { day($0, "sold_on").map { from <= $0 && $0 <= to } ?? false }
            let response = try await check(.get, "/v1/reports/counties?from=\(from)&to=\(to)", as: .admin)
            var poverty: [String: Int128] = [:]
            var weekly: [String: Int128] = [:]
            for sale in inPeriod where sale["poverty_product"]?.bool == true {
                if let county = sale["county_code"]?.string { poverty[county, default: 0] += amount(sale) }
            }
            for product in products where product["certificate_no"] != .null {
                guard let until = day(product, "certified_until"), until >= from, let county = product["county_code"]?.string else { continue }
                weekly[county, default: 0] += Int128(product["unit_price_fen"]?.int ?? 0) * Int128(product["weekly_capacity"]?.int ?? 0)
            }
            let days = Int128(to.daysSinceEpoch - from.daysSinceEpoch + 1)
            let capacity = weekly.mapValues { ($0 * days + 3) / 7 }
            let beyond = poverty.values.contains { $0 > limit } || capacity.values.contains { $0 > limit } || poverty.values.reduce(0, +) > limit
            if beyond {
                #expect(response.status.code == 422, "\(label): county table \(from)…\(to) should refuse a figure beyond the limit")
                continue
            }
            #expect(response.status == .ok, "\(label): county table \(from)…\(to): \(response.text.prefix(500))")
            for row in response.object["rows"]?.objects ?? [] {
                let code = row["county_code"]?.string ?? ""
                #expect(Int128(row["poverty_amount_fen"]?.int ?? -1) == poverty[code, default: 0], "\(label): poverty amount of \(code)")
                #expect(Int128(row["capacity_amount_fen"]?.int ?? -1) == capacity[code, default: 0], "\(label): capacity of \(code)")
            }
            let total = response.object["totals"]?.objectValue?["poverty_amount_fen"]?.int
            #expect(total.map { Int128($0) } == poverty.values.reduce(Int128(0), +), "\(label): county table total")

            for buyer in Set(inPeriod.compactMap { $0["buyer_id"]?.string }).sorted() {
                let mine = inPeriod.filter { $0["buyer_id"]?.string == buyer }
                let totalAmount = mine.reduce(Int128(0)) { $0 + amount($1) }
                let povertyAmount = mine.filter { $0["poverty_product"]?.bool == true }.reduce(Int128(0)) { $0 + amount($1) }
                let share = try await check(.get, "/v1/buyers/\(buyer)/share?from=\(from)&to=\(to)", as: .admin)
                if totalAmount > limit {
                    #expect(share.status.code == 422, "\(label): share of \(buyer) should refuse \(totalAmount)")
                } else if share.status == .ok {
                    #expect(Int128(share.object["total_amount_fen"]?.int ?? -1) == totalAmount, "\(label): share total of \(buyer)")
                    #expect(Int128(share.object["poverty_amount_fen"]?.int ?? -1) == povertyAmount, "\(label): share poverty of \(buyer)")
                } else {
                    // Only a gap beyond the limit (a target near 100%) may refuse an in-range total.
                    #expect(share.errorFields.contains("gap_fen"), "\(label): share of \(buyer): \(share.text.prefix(500))")
                }
            }
        }

        let weekSales = sales.filter { day($0, "sold_on").map { salesWeek.monday <= $0 && $0 <= salesWeek.sunday } ?? false }
        let weekTotal = weekSales.reduce(Int128(0)) { $0 + amount($1) }
        let report = try await check(.get, "/v1/reports/weekly?week=\(salesWeek)", as: .admin)
        if report.status == .ok {
            let totals = report.object["totals"]?.objectValue
            #expect(Int128(totals?["sales_amount_fen"]?.int ?? -1) == weekTotal, "\(label): weekly sales total")
        } else {
            #expect(report.status.code == 422, "\(label): weekly report: \(report.text.prefix(500))")
        }
    }

    /// Catalog exports carry no cell a spreadsheet would run as a formula, and an export imported
    /// back (upsert) changes nothing.
    func exportsAreInertAndRoundTrip() async throws {
        for kind in CatalogKind.allCases {
            let export = try await check(.get, "/v1/export/\(kind.plural)", as: .admin)
            #expect(export.status == .ok, "\(label): export of \(kind.plural)")
            let table = try CSVTable.parse(Array(export.text.utf8))
            for record in table.records {
                for (column, cell) in record.cells {
                    if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                        Issue.record(
                            "\(label): export of \(kind.plural), row \(record.number), \(column) starts with a formula character: \(cell.prefix(40))"
                        )
                    }
                }
            }
            let back = try await app.send(.post, "/v1/import/\(kind.plural)?mode=upsert", as: .admin, body: export.text, contentType: "text/csv")
            #expect(back.status == .ok, "\(label): importing the export of \(kind.plural) back: \(back.text.prefix(1000))")
            #expect(back.object["unchanged"] == back.object["rows"], "\(label): the export of \(kind.plural) came back changed: \(back.text)")
        }
    }
}
