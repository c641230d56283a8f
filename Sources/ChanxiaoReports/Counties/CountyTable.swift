import ChanxiaoCore

/// The county statistics table of seed 002's annex (湖南省2020年消费扶贫月活动开展情况统计表),
/// one row per producer county of the catalog, grouped by city then county, with a 合计 row.
public struct CountyTable: Sendable, Equatable {
    /// The annex's columns, exactly.
    public static let header = [
        "序号", "市县", "设立线上专区数(个)", "设立线下专区数(个)", "设立专馆数(个)", "设立专柜数(个)",
        "开设直播基地(个)", "举办大型产销活动(场)", "销售扶贫产品(万元)", "覆盖贫困人口(人)", "备注",
    ]

    public struct Row: Sendable, Equatable {
        public var county: County
        /// Outlets of each kind open at some time in the period.
        public var outlets: [OutletKind: Int]
        /// Events held in the period: recorded events and fairs with booths for the county.
        public var events: Int
        /// Sales of the county's certified poverty products in the period.
        public var povertyAmountFen: Int
        /// The money value of the county's certified products' capacity over the period.
        public var capacityAmountFen: Int
        public var note: String

        public init(
            county: County,
            outlets: [OutletKind: Int] = [:],
            events: Int = 0,
            povertyAmountFen: Int = 0,
            capacityAmountFen: Int = 0,
            note: String = ""
        ) {
            self.county = county
            self.outlets = outlets
            self.events = events
            self.povertyAmountFen = povertyAmountFen
            self.capacityAmountFen = capacityAmountFen
            self.note = note
        }

        /// Covered poor population, an estimate: the county's registered poor population times
        /// the share of its certified capacity (in money) that was sold, at most all of them.
        public var coveredPopulation: Int {
            CountyTable.coveredPopulation(poor: county.poorPopulation, soldFen: povertyAmountFen, capacityFen: capacityAmountFen)
        }

        /// `百色市 那坡县`, or the county's name when it has no city.
        public var place: String {
            [county.city, county.name].compactMap { $0 }.joined(separator: " ")
        }
    }

    public let from: CalendarDate
    public let to: CalendarDate
    public let rows: [Row]
    /// A 小计 row for each city (市/州) with counties in the table, in table order: the annex is
    /// filled in by city. Counties without a city have none.
    public let subtotals: [Subtotal]
    /// The 合计 row.
    public let totals: Totals

    public struct Subtotal: Sendable, Equatable {
        /// The province's 2-digit code and the city's name, as the rows are grouped.
        public var provinceCode: String
        public var city: String
        public var counties: Int
        public var totals: Totals
    }

    /// Rows in table order: by province code, then city, then county code.
    public init(from: CalendarDate, to: CalendarDate, rows: [Row]) throws(FigureOutOfRange) {
        self.from = from
        self.to = to
        self.rows = rows.sorted {
            (String($0.county.code.prefix(2)), $0.county.city ?? "\u{FFFF}", $0.county.code)
                < (String($1.county.code.prefix(2)), $1.county.city ?? "\u{FFFF}", $1.county.code)
        }
        var totals = Totals()
        var subtotals: [Subtotal] = []
        for row in self.rows {
            try totals.add(row, of: "the totals")
            guard let city = row.county.city else { continue }
            let province = String(row.county.code.prefix(2))
            if subtotals.last?.provinceCode != province || subtotals.last?.city != city {
                subtotals.append(Subtotal(provinceCode: province, city: city, counties: 0, totals: Totals()))
            }
            subtotals[subtotals.count - 1].counties += 1
            try subtotals[subtotals.count - 1].totals.add(row, of: city)
        }
        self.subtotals = subtotals
        self.totals = totals
    }

    /// The 备注 of a county: its poverty status as the plans word it.
    public static func note(for status: PovertyStatus) -> String {
        switch status {
        case .national: "国家扶贫开发工作重点县"
        case .provincial: "省级贫困县"
        case .deep: "深度贫困县"
        case .lifted: "已脱贫摘帽"
        case .none: ""
        }
    }

    public static func coveredPopulation(poor: Int, soldFen: Int, capacityFen: Int) -> Int {
        guard capacityFen > 0, soldFen > 0 else { return 0 }
        if soldFen >= capacityFen { return poor }
        // Rounded down: an estimate must not overstate. (Double: poor × sold could overflow Int.)
        return Int((Double(poor) * Double(soldFen) / Double(capacityFen)).rounded(.down))
    }

    public struct Totals: Sendable, Equatable {
        public var outlets: [OutletKind: Int] = [:]
        public var events = 0
        public var povertyAmountFen = 0
        public var coveredPopulation = 0

        mutating func add(_ row: Row, of scope: String) throws(FigureOutOfRange) {
            outlets.merge(row.outlets, uniquingKeysWith: +)
            events += row.events
            povertyAmountFen = try Figure.sum(povertyAmountFen, row.povertyAmountFen, "poverty_amount_fen", of: scope)
            coveredPopulation = try Figure.sum(coveredPopulation, row.coveredPopulation, "covered_population", of: scope)
        }
    }

    private static let outletColumns: [OutletKind] = [.zoneOnline, .zoneOffline, .hall, .counter, .livestreamBase]

    /// UTF-8 with a byte-order mark, CRLF line ends: what spreadsheet programs open correctly.
    /// Sales are in 万元 with two decimals; the 合计 row sums the exact amounts, then rounds.
    public var csv: String {
        func figures(_ t: Totals) -> [String] {
            Self.outletColumns.map { String(t.outlets[$0] ?? 0) }
                + [String(t.events), ReportNumber.tenThousandYuan(t.povertyAmountFen), String(t.coveredPopulation)]
        }
        var out = ReportCSV.byteOrderMark + CSVWriter.line(Self.header)
        var subtotals = self.subtotals[...]
        for (index, row) in rows.enumerated() {
            out += CSVWriter.line(
                [String(index + 1), CSVCell.guarded(row.place)] + Self.outletColumns.map { String(row.outlets[$0] ?? 0) }
                    + [
                        String(row.events), ReportNumber.tenThousandYuan(row.povertyAmountFen), String(row.coveredPopulation),
                        CSVCell.guarded(row.note),
                    ]
            )
            // A city's 小计 follows its last county.
            let next = index + 1 < rows.count ? rows[index + 1] : nil
            if let subtotal = subtotals.first, row.county.city == subtotal.city,
                next?.county.city != subtotal.city || next.map({ String($0.county.code.prefix(2)) }) != subtotal.provinceCode
            {
                out += CSVWriter.line(["", CSVCell.guarded("\(subtotal.city) 小计")] + figures(subtotal.totals) + ["\(subtotal.counties) 个县"])
                subtotals = subtotals.dropFirst()
            }
        }
        out += CSVWriter.line(["", "合计"] + figures(totals) + ["\(from) 至 \(to)"])
        return out
    }

    public var json: [(name: String, value: JSONValue)] {
        let t = totals
        func outletJSON(_ counts: [OutletKind: Int]) -> JSONValue {
            .record(Self.outletColumns.map { ($0.rawValue, JSONValue(counts[$0] ?? 0)) })
        }
        return [
            ("from", .string(from.description)), ("to", .string(to.description)),
            (
                "rows",
                .array(
                    rows.map { row in
                        .record([
                            ("county_code", .string(row.county.code)), ("county_name", .string(row.county.name)),
                            ("city", JSONValue(row.county.city)),
                            ("outlets", outletJSON(row.outlets)), ("events", JSONValue(row.events)),
                            ("poverty_amount_fen", JSONValue(row.povertyAmountFen)), ("capacity_amount_fen", JSONValue(row.capacityAmountFen)),
                            ("poor_population", JSONValue(row.county.poorPopulation)), ("covered_population", JSONValue(row.coveredPopulation)),
                            ("note", .string(row.note)),
                        ])
                    }
                )
            ),
            (
                "subtotals",
                .array(
                    subtotals.map { subtotal in
                        .record([
                            ("province_code", .string(subtotal.provinceCode + "0000")), ("city", .string(subtotal.city)),
                            ("counties", JSONValue(subtotal.counties)), ("outlets", outletJSON(subtotal.totals.outlets)),
                            ("events", JSONValue(subtotal.totals.events)), ("poverty_amount_fen", JSONValue(subtotal.totals.povertyAmountFen)),
                            ("covered_population", JSONValue(subtotal.totals.coveredPopulation)),
                        ])
                    }
                )
            ),
            (
                "totals",
                .record([
                    ("outlets", outletJSON(t.outlets)), ("events", JSONValue(t.events)),
                    ("poverty_amount_fen", JSONValue(t.povertyAmountFen)), ("covered_population", JSONValue(t.coveredPopulation)),
                ])
            ),
        ]
    }
}
