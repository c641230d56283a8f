import ChanxiaoCore
import ChanxiaoFixtures
import Foundation

/// Records at the edges of every accepted range, and combinations of them, to be planted through
/// the API (JSON, as the token that may write them) and CSV imports: what a hostile or careless
/// client can store. `HostileDataTests` then reads them back through every route and job.
///
/// Every value here is one the API accepts; a planting request that is refused fails the test,
/// so the generator and the validation rules cannot drift apart unnoticed.
struct HostilePlanting {
    /// One POST that stores records.
    struct Step {
        var uri: String
        var caller: Caller
        var json: String?
        var csv: String?
        /// What is planted, for a failure message.
        var what: String
    }

    var steps: [Step] = []
    /// Planted products are listed since before any planted sale.
    static let listedSince = "2000-01-01"

    /// A row of the official list for a planted product's cells (number and end in 9 and 10),
    /// by a national authority, which covers every county. One number names one product, so
    /// the product's id makes the planted number its own.
    static func listing(_ cells: [String]) -> String {
        csvLine([cells[0], "\(cells[9])-\(cells[0])", "national", "", "国家乡村振兴局", listedSince, cells[10]])
    }
    /// The week, the day and the period the sweep reads reports for.
    var salesWeek = IsoWeek(year: 2020, week: 35)!
    private var random: FuzzRandom
    private var serial = 0

    /// TestApp's clock says 2020-09-01: sales may be dated up to the next day.
    static let lastSaleDay = CalendarDate("2020-09-02")!
    /// Ten years back from the last sale day: the longest period a report covers.
    static let tenYearsFrom = CalendarDate("2010-09-03")!

    /// Text that tries each way stored text can hurt a reader: spreadsheet formulas, markdown
    /// and HTML for the chat robots, bidirectional overrides, line and tab characters are
    /// refused by the reader, so the rest: long CJK, emoji, quotes and separators.
    static let texts = [
        "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2-2", "@SUM(A1:A9)", "'=quoted", "**粗体** [链接](http://x.example)",
        "<at id=all></at>", "\u{202E}txet desrever", "名称,带逗号;分号\"引号\"", "😀🍚🍵", "a\u{200B}b", "｜表格｜",
    ]

    init(seed: UInt64) {
        random = FuzzRandom(seed: seed)
    }

    private mutating func id(_ prefix: String) -> String {
        serial += 1
        return "h-\(prefix)-\(serial)"
    }

    private mutating func text(_ maxLength: Int) -> String {
        switch random.below(4) {
        case 0: String(repeating: "长", count: maxLength)
        case 1: String(random.pick(Self.texts).unicodeScalars.prefix(maxLength))
        case 2: String((random.pick(Self.texts) + String(repeating: "字", count: maxLength)).unicodeScalars.prefix(maxLength))
        default: "名" + String(random.below(1000))
        }
    }

    /// An integer in `range`, mostly at its edges.
    private mutating func edge(_ range: ClosedRange<Int>) -> Int {
        switch random.below(4) {
        case 0: range.lowerBound
        case 1, 2: range.upperBound
        default: random.int(in: range)
        }
    }

    /// `"text"` with JSON escapes.
    static func quoted(_ text: String) -> String {
        String(decoding: JSONWriter.encode(.string(text)), as: UTF8.self)
    }

    static func csvLine(_ cells: [String]) -> String {
        CSVWriter.line(cells)
    }

    /// Builds the steps of one case: `scale` multiplies how many records of each kind.
    mutating func plant(scale: Int) {
        var counties: [String] = []
        for _ in 0..<(1 + random.below(2 * scale)) {
            let code = "4590\(String(format: "%02d", 1 + random.below(98)))"
            if !counties.contains(code) { counties.append(code) }
        }
        for code in counties {
            steps.append(
                Step(
                    uri: "/v1/counties",
                    caller: .admin,
                    json: """
                        {"code":"\(code)","name":\(Self.quoted(text(64))),"city":\(Self.quoted(text(64))),"province":\(Self.quoted(text(64))),
                         "poverty_status":"\(random.pick(["deep", "national", "provincial"]))","poor_population":\(edge(0...100_000_000)),
                         "paired_region_codes":["440300","440304","419001"]}
                        """,
                    what: "county \(code)"
                )
            )
        }
        // Supplier A (TestApp's token) and new suppliers, some of them in the new counties.
        var suppliers = ["sup-a"]
        for code in counties {
            let supplier = id("sup")
            suppliers.append(supplier)
            steps.append(
                Step(
                    uri: "/v1/suppliers",
                    caller: .admin,
                    json: """
                        {"id":"\(supplier)","name":\(Self.quoted(text(128))),"county_code":"\(code)","kind":"cooperative"}
                        """,
                    what: "supplier \(supplier)"
                )
            )
        }
        plantProducts(suppliers: suppliers, scale: scale)
        plantBuyersAndDemands(scale: scale)
        plantSales(scale: scale)
        plantSchedulingRecords(counties: counties + ["451026"], scale: scale)
    }

    /// Products at the top of each range: the highest price, the largest capacity, the largest
    /// value a week at both, a certificate valid to 9999-12-31. Supplier A plants its own through
    /// the API; the others arrive by CSV import. Several at the top in one county add up.
    private mutating func plantProducts(suppliers: [String], scale: Int) {
        let maxValue = Quantity.valueFen.upperBound
        func product(_ supplier: String) -> [String] {
            let price = random.pick([Quantity.unitPriceFen.upperBound, 10_000, 800, 1, edge(Quantity.unitPriceFen)])
            let capacity = min(Quantity.volume.upperBound, maxValue / price)
            let category = random.pick(["grain_oil", "tea", "fruit"])
            return [
                id("prd"), supplier, text(128), category, "kg", String(price), String(capacity), String(edge(1...capacity)),
                random.chance(0.5) ? "1;2;3;4;5;6;7;8;9;10;11;12" : "", "FP-" + text(20).filter(\.isASCII) + "1",
                random.pick(["9999-12-31", "2030-12-31", "2020-09-01"]), random.chance(0.5) ? "true" : "false",
            ]
        }
        var listed = Self.csvLine(["product_id", "certificate_no", "level", "authority_code", "authority_name", "valid_from", "valid_until"])
        func withoutCertificate(_ cells: [String]) -> [String] { Array(cells[0..<9]) + [cells[11]] }
        for _ in 0..<(1 + random.below(2 * scale)) {
            let cells = product("sup-a")
            steps.append(
                Step(
                    uri: "/v1/products",
                    caller: .supplierA,
                    json: """
                        {"id":"\(cells[0])","supplier_id":"sup-a","name":\(Self.quoted(cells[2])),"category":"\(cells[3])","unit":"kg",
                         "unit_price_fen":\(cells[5]),"weekly_capacity":\(cells[6]),"min_order":\(cells[7]),
                         "season_months":[\(cells[8].replacingOccurrences(of: ";", with: ","))],"cold_chain":\(cells[11])}
                        """,
                    what: "product \(cells[0]) of sup-a"
                )
            )
            listed += Self.listing(cells)
        }
        var csv = Self.csvLine(Product.writableFields)
        for supplier in suppliers.dropFirst() {
            for _ in 0..<(1 + random.below(3 * scale)) {
                let cells = product(supplier)
                csv += Self.csvLine(withoutCertificate(cells))
                listed += Self.listing(cells)
            }
        }
        // Twenty products at the largest value in one county: over ten years their capacity
        // passes what a report can hold exactly; over one year it does not.
        if let crowded = suppliers.dropFirst().first {
            for index in 0..<20 {
                let cells = [
                    id("prd"), crowded, text(128), "tea", "kg", String(Quantity.unitPriceFen.upperBound),
                    String(maxValue / Quantity.unitPriceFen.upperBound), "1", "", "FP-MAX-\(index)", "9999-12-31", "false",
                ]
                csv += Self.csvLine(withoutCertificate(cells))
                listed += Self.listing(cells)
            }
        }
        steps.append(Step(uri: "/v1/import/products", caller: .admin, csv: csv, what: "products by CSV"))
        // Certified by an official list, as only the authorities can.
        steps.append(Step(uri: "/v1/certifications/import", caller: .admin, csv: listed, what: "the official list of the planted products"))
    }

    /// Buyers with share targets at 0, just under 1 and 1; demands at the largest volume and
    /// ceiling, open-ended from the first day of the calendar.
    private mutating func plantBuyersAndDemands(scale: Int) {
        for target in ["0", "0.9999", "1", "0.3"] {
            let buyer = id("buy")
            steps.append(
                Step(
                    uri: "/v1/buyers",
                    caller: .admin,
                    json: """
                        {"id":"\(buyer)","name":\(Self.quoted(text(128))),"kind":"\(random.pick(["canteen", "union", "budget_unit"]))",
                         "region_code":"440304","network":\(Self.quoted(text(64))),"poverty_share_target":\(target),"max_suppliers_per_category":20}
                        """,
                    what: "buyer \(buyer)"
                )
            )
        }
        for _ in 0..<(1 + random.below(2 * scale)) {
            let ceiling = random.pick([Quantity.unitPriceFen.upperBound, 10_000, 1])
            let volume = min(Quantity.volume.upperBound, Quantity.valueFen.upperBound / ceiling)
            let demand = id("dem")
            steps.append(
                Step(
                    uri: "/v1/demands",
                    caller: .buyerA,
                    json: """
                        {"id":"\(demand)","buyer_id":"buy-a","category":"\(random.pick(["grain_oil", "tea", "fruit"]))","unit":"kg",
                         "weekly_volume":\(volume),"max_unit_price_fen":\(ceiling),"starts_on":"\(random.pick(["0001-01-01", "2020-08-31"]))",
                         "ends_on":\(random.chance(0.5) ? "\"9999-12-31\"" : "null"),"cold_chain":false}
                        """,
                    what: "demand \(demand)"
                )
            )
        }
    }

    /// Sales at the largest amount: buyer A's through the API and by CSV (its own), and many
    /// through the organizers' import, dated across ten years and in the report week.
    private mutating func plantSales(scale: Int) {
        let maxAmount = Quantity.valueFen.upperBound
        for _ in 0..<(1 + random.below(2 * scale)) {
            let sale = id("sal")
            steps.append(
                Step(
                    uri: "/v1/sales",
                    caller: .buyerA,
                    json: """
                        {"id":"\(sale)","buyer_id":"buy-a","category":"tea","volume":\(edge(Quantity.volume)),"amount_fen":\(maxAmount),
                         "sold_on":"\(salesWeek.monday)","channel":"canteen","note":\(Self.quoted(text(500)))}
                        """,
                    what: "sale \(sale)"
                )
            )
        }
        // Buyer A's CSV of purchases of its own, and of the catalog rice at a plausible amount.
        var own = Self.csvLine(["buyer_id", "product_id", "category", "volume", "amount_fen", "sold_on", "channel", "note"])
        for index in 0..<(1 + random.below(3 * scale)) {
            let day = random.pick([Self.lastSaleDay, Self.tenYearsFrom, salesWeek.sunday, CalendarDate("0001-01-01")!])
            if index % 2 == 0 {
                let volume = Quantity.volume.upperBound
                own += Self.csvLine(["buy-a", "prd-a", "", String(volume), String(volume * 800), day.description, "canteen", text(500)])
            } else {
                own += Self.csvLine(["buy-a", "", "fruit", String(edge(Quantity.volume)), String(maxAmount), day.description, "other", text(500)])
            }
        }
        steps.append(Step(uri: "/v1/sales", caller: .buyerA, csv: own, what: "buyer A's sales by CSV"))
    }

    /// Venues, hosts, fairs, outlets and events at their edges.
    private mutating func plantSchedulingRecords(counties: [String], scale: Int) {
        let venue = id("ven")
        steps.append(
            Step(
                uri: "/v1/venues",
                caller: .organizer,
                json: """
                    {"id":"\(venue)","name":\(Self.quoted(text(128))),"kind":"center","region_code":"440300","network":\(Self.quoted(text(64))),
                     "featured_weekly_volume":\(Quantity.volume.upperBound)}
                    """,
                what: "venue \(venue)"
            )
        )
        let fair = id("fair")
        steps.append(
            Step(
                uri: "/v1/fairs",
                caller: .organizer,
                json: """
                    {"id":"\(fair)","name":\(Self.quoted(text(128))),"venue_id":"\(venue)","starts_on":"2020-10-01","ends_on":"2021-10-02",
                     "booth_count":10000,"min_poverty_share":1,"max_booths_per_applicant":10000}
                    """,
                what: "fair \(fair)"
            )
        )
        steps.append(
            Step(
                uri: "/v1/fairs/\(fair)/applications",
                caller: .organizer,
                json: """
                    {"applicant_kind":"county","county_code":"451026","product_ids":["prd-a"],"booths_requested":10000}
                    """,
                what: "application of 451026"
            )
        )
        steps.append(
            Step(
                uri: "/v1/fairs/\(fair)/applications",
                caller: .supplierA,
                json: """
                    {"applicant_kind":"supplier","supplier_id":"sup-a","product_ids":["prd-a"],"booths_requested":10000}
                    """,
                what: "application of sup-a"
            )
        )
        let host = id("hst")
        let windows = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { "\"\($0) 00:00-24:00\"" }.joined(separator: ",")
        steps.append(
            Step(
                uri: "/v1/hosts",
                caller: .organizer,
                json: """
                    {"id":"\(host)","name":\(Self.quoted(text(128))),"platforms":["douyin","kuaishou","taobao","wechat_channels","other"],
                     "availability":[\(windows)],"max_sessions_per_day":24}
                    """,
                what: "host \(host)"
            )
        )
        var outlets = Self.csvLine(["name", "kind", "county_code", "opened_on", "closed_on", "operator"])
        var events = Self.csvLine(["name", "kind", "held_on", "county_codes", "note"])
        for _ in 0..<(1 + random.below(3 * scale)) {
            outlets += Self.csvLine([
                text(128), random.pick(["zone_online", "zone_offline", "hall", "counter", "livestream_base"]),
                random.pick(counties), "0001-01-01", random.chance(0.5) ? "9999-12-31" : "", text(128),
            ])
            events += Self.csvLine([
                text(128), random.pick(["fair", "promotion", "signing", "festival"]), Self.lastSaleDay.description,
                counties.joined(separator: ";"), text(500),
            ])
        }
        steps.append(Step(uri: "/v1/import/outlets", caller: .organizer, csv: outlets, what: "outlets by CSV"))
        steps.append(Step(uri: "/v1/import/events", caller: .organizer, csv: events, what: "events by CSV"))
    }

    /// Many sales at the largest amount by one buyer, through the organizers' import, of a
    /// certified product at the highest price (county 451026) and off the catalog, in the
    /// `weeks` up to `salesWeek`: together they pass what a report can hold exactly (2^53 − 1 fen).
    mutating func plantManySales(count: Int, offCatalog allOffCatalog: Bool = false, weeks: Int = 1) {
        let price = Quantity.unitPriceFen.upperBound
        let volume = Quantity.valueFen.upperBound / Quantity.unitPriceFen.upperBound
        steps.append(
            Step(
                uri: "/v1/products",
                caller: .supplierA,
                json: """
                    {"id":"h-prd-top","supplier_id":"sup-a","name":"最高价产品","category":"tea","unit":"kg","unit_price_fen":\(price),
                     "weekly_capacity":\(volume)}
                    """,
                what: "the top-priced product"
            )
        )
        steps.append(
            Step(
                uri: "/v1/certifications/import",
                caller: .admin,
                csv: Self.csvLine(["product_id", "certificate_no", "level", "authority_code", "authority_name", "valid_from", "valid_until"])
                    + Self.csvLine(["h-prd-top", "FP-TOP", "county", "451026", "那坡县扶贫产品认定工作组", Self.listedSince, "9999-12-31"]),
                what: "the top-priced product's listing"
            )
        )
        var csv = Self.csvLine(["buyer_id", "product_id", "category", "volume", "amount_fen", "sold_on", "channel"])
        for index in 0..<count {
            let offCatalog = allOffCatalog || index % 20 == 0
            let week = salesWeek.adding(weeks: -(index % weeks))
            csv += Self.csvLine([
                "buy-b", offCatalog ? "" : "h-prd-top", offCatalog ? "fruit" : "", String(volume),
                String(Quantity.valueFen.upperBound), week.monday.adding(days: index % 7).description, "union",
            ])
        }
        steps.append(Step(uri: "/v1/import/sales", caller: .organizer, csv: csv, what: "\(count) sales by CSV"))
    }
}
