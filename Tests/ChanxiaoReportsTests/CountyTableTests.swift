import ChanxiaoCore
import ChanxiaoReports
import Testing

@Suite struct CountyTableTests {
    static func county(_ code: String, _ name: String, city: String?, poor: Int) -> County {
        County(code: code, name: name, city: city, povertyStatus: .national, poorPopulation: poor)
    }

    // Known small figures: the table cannot refuse them.
    static let table = try! CountyTable(
        from: CalendarDate("2020-09-01")!,
        to: CalendarDate("2020-09-30")!,
        rows: [
            .init(
                county: county("451026", "那坡县", city: "百色市", poor: 10_000),
                outlets: [.counter: 2, .zoneOnline: 1],
                events: 1,
                povertyAmountFen: 1_234_567,
                capacityAmountFen: 4_938_268,
                note: "深度贫困县"
            ),
            .init(
                county: county("341125", "定远县", city: "滁州市", poor: 5_000),
                outlets: [.hall: 1],
                events: 0,
                povertyAmountFen: 9_000_000,
                capacityAmountFen: 3_000_000
            ),
            .init(county: county("451024", "德保县", city: "百色市", poor: 8_000), povertyAmountFen: 0, capacityAmountFen: 1_000),
            .init(county: county("430000", "=HYPERLINK(\"x\")", city: nil, poor: 0)),
        ]
    )

    @Test func theHeaderIsTheAnnexsExactly() throws {
        let parsed = try CSVTable.parse(Array(Self.table.csv.utf8.dropFirst(3)))
        #expect(
            parsed.header == [
                "序号", "市县", "设立线上专区数(个)", "设立线下专区数(个)", "设立专馆数(个)", "设立专柜数(个)",
                "开设直播基地(个)", "举办大型产销活动(场)", "销售扶贫产品(万元)", "覆盖贫困人口(人)", "备注",
            ]
        )
    }

    @Test func itStartsWithAByteOrderMarkAndEndsLinesWithCRLF() {
        let bytes = Array(Self.table.csv.utf8)
        #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        #expect(Self.table.csv.hasSuffix("\r\n"))
    }

    @Test func rowsAreGroupedByCityThenCountyAndTheTotalsAddUp() throws {
        let parsed = try CSVTable.parse(Array(Self.table.csv.utf8.dropFirst(3)))
        let rows = parsed.records.map { record in CountyTable.header.map { record.cells[$0] ?? "" } }
        #expect(
            rows.map { $0[1] } == ["滁州市 定远县", "滁州市 小计", "'=HYPERLINK(\"x\")", "百色市 德保县", "百色市 那坡县", "百色市 小计", "合计"]
        )
        // Counties are numbered; a city's 小计 follows its last county and sums its counties.
        let counties = rows.filter { !$0[0].isEmpty }
        #expect(counties.map { $0[0] } == ["1", "2", "3", "4"])
        let baise = try #require(rows.first { $0[1] == "百色市 小计" })
        #expect(baise[10] == "2 个县")
        for column in [2, 3, 4, 5, 6, 7, 9] {
            let cities = counties.filter { $0[1].hasPrefix("百色市 ") }.map { Int($0[column])! }.reduce(0, +)
            #expect(cities == Int(baise[column])!, "百色市 \(CountyTable.header[column])")
        }
        #expect(Self.table.subtotals.map(\.city) == ["滁州市", "百色市"])
        let total = rows.last!
        for column in [2, 3, 4, 5, 6, 7, 9] {
            #expect(counties.map { Int($0[column])! }.reduce(0, +) == Int(total[column])!, "column \(CountyTable.header[column])")
        }
        // 万元 with two decimals; the total rounds the exact sum, so it is within the rows' rounding.
        let yuan = counties.map { Double($0[8])! }.reduce(0, +)
        #expect(abs(yuan - Double(total[8])!) <= 0.005 * Double(counties.count))
        #expect(total[8] == "10.23")
        #expect(rows.first { $0[1] == "百色市 那坡县" }?[8] == "1.23")
    }

    @Test(arguments: [
        (10_000, 1_234_567, 4_938_268, 2_500),  // a quarter sold → a quarter of the poor
        (10_000, 1_234_566, 4_938_268, 2_499),  // a little less: rounded down, an estimate must not overstate
        (5_000, 9_000_000, 3_000_000, 5_000),  // more than capacity: everyone, no more
        (8_000, 0, 1_000, 0),
        (8_000, 1_000, 0, 0),  // no certified capacity: no estimate
    ])
    func coveredPopulationIsAnEstimateCappedAtThePoorPopulation(poor: Int, sold: Int, capacity: Int, covered: Int) {
        #expect(CountyTable.coveredPopulation(poor: poor, soldFen: sold, capacityFen: capacity) == covered)
    }

    @Test(arguments: [(0, "0.00"), (4_999, "0.00"), (5_000, "0.01"), (1_000_000, "1.00"), (123_456_789, "123.46")])
    func tenThousandYuanRoundsHalfUp(fen: Int, text: String) {
        #expect(ReportNumber.tenThousandYuan(fen) == text)
    }
}
