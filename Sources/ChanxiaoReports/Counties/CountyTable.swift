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
    /// The 合计 row.
    public let totals: Totals

    /// Rows in table order: by province code, then city, then county code.
    public init(from: CalendarDate, to: CalendarDate, rows: [Row]) throws(FigureOutOfRange) {
        self.from = from
        self.to = to
        self.rows = rows.sorted {
            (String($0.county.code.prefix(2)), $0.county.city ?? "\u{FFFF}", $0.county.code)
                < (String($1.county.code.prefix(2)), $1.county.city ?? "\u{FFFF}", $1.county.code)
        }
        var totals = Totals()
        for row in rows {
            totals.outlets.merge(row.outlets, uniquingKeysWith: +)
            totals.events += row.events
            totals.povertyAmountFen = try Figure.sum(totals.povertyAmountFen, row.povertyAmountFen, "poverty_amount_fen", of: "the totals")
            totals.coveredPopulation = try Figure.sum(totals.coveredPopulation, row.coveredPopulation, "covered_population", of: "the totals")
        }
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
    }

    private static let outletColumns: [OutletKind] = [.zoneOnline, .zoneOffline, .hall, .counter, .livestreamBase]

    /// UTF-8 with a byte-order mark, CRLF line ends: what spreadsheet programs open correctly.
    /// Sales are in 万元 with two decimals; the 合计 row sums the exact amounts, then rounds.
    public var csv: String {
        var out = ReportCSV.byteOrderMark + CSVWriter.line(Self.header)
        for (index, row) in rows.enumerated() {
            out += CSVWriter.line(
                [String(index + 1), CSVCell.guarded(row.place)] + Self.outletColumns.map { String(row.outlets[$0] ?? 0) }
                    + [
                        String(row.events), ReportNumber.tenThousandYuan(row.povertyAmountFen), String(row.coveredPopulation),
                        CSVCell.guarded(row.note),
                    ]
            )
        }
        let t = totals
        out += CSVWriter.line(
            ["", "合计"] + Self.outletColumns.map { String(t.outlets[$0] ?? 0) }
                + [String(t.events), ReportNumber.tenThousandYuan(t.povertyAmountFen), String(t.coveredPopulation), "\(from) 至 \(to)"]
        )
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
                "totals",
                .record([
                    ("outlets", outletJSON(t.outlets)), ("events", JSONValue(t.events)),
                    ("poverty_amount_fen", JSONValue(t.povertyAmountFen)), ("covered_population", JSONValue(t.coveredPopulation)),
                ])
            ),
        ]
    }
}
