import ChanxiaoCore
import ChanxiaoReports
import Foundation
import GRDB

extension AppDatabase {
    /// The county statistics table over `from...to`, for the counties in `region` (all when
    /// nil) that `jurisdiction` reaches (a bound organizer's: inside its regions or paired).
    public func countyTable(
        from: CalendarDate,
        to: CalendarDate,
        region: String?,
        within jurisdiction: Jurisdiction? = nil
    ) async throws
        -> CountyTable
    {
        try await read { db in
            let prefix = region.map(ColumnValue.regionPrefix) ?? ""
            var counties = try SQLRequest<Stored<County>>("SELECT * FROM county WHERE code LIKE \(prefix + "%") ORDER BY code").fetchAll(db)
                .map(\.entity)
            if let jurisdiction { counties = counties.filter(jurisdiction.reaches) }
            var rows = Dictionary(
                uniqueKeysWithValues: counties.map { ($0.code, CountyTable.Row(county: $0, note: CountyTable.note(for: $0.povertyStatus))) }
            )

            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT county_code, kind, COUNT(*) AS n FROM outlet
                    WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on >= ?) GROUP BY county_code, kind
                    """,
                arguments: [to.description, from.description]
            ) {
                guard let kind = OutletKind(rawValue: row["kind"]) else { continue }
                rows[row["county_code"]]?.outlets[kind, default: 0] += row["n"] as Int
            }

            for event in try SQLRequest<Stored<SalesEvent>>(
                "SELECT * FROM sales_event WHERE held_on BETWEEN \(from.description) AND \(to.description)"
            )
            .fetchAll(db).map(\.entity) {
                for code in event.countyCodes { rows[code]?.events += 1 }
            }
            // A fair planned here counts once for each county given booths at it.
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT fair.id AS fair_id, application.county_code AS county_code FROM fair
                    JOIN fair_application application ON application.fair_id = fair.id
                    JOIN booth ON booth.application_id = application.id
                    WHERE fair.starts_on <= ? AND fair.ends_on >= ?
                    """,
                arguments: [to.description, from.description]
            ) {
                rows[row["county_code"]]?.events += 1
            }

            for row in try Self.fetchSums(
                db,
                sql: """
                    SELECT county_code, SUM(amount_fen) AS amount FROM sale
                    WHERE poverty_product = 1 AND sold_on BETWEEN ? AND ? AND county_code IS NOT NULL GROUP BY county_code
                    """,
                arguments: [from.description, to.description],
                figure: "poverty_amount_fen",
                of: "a county"
            ) {
                let code: String = row["county_code"]
                rows[code]?.povertyAmountFen = try Figure.checked(row["amount"] as Int, "poverty_amount_fen", of: "county \(code)")
            }

            // Capacity of the products certified at some time in the period, over its days: each
            // product's week at its price, summed in 128 bits (a price × capacity stored before
            // today's ranges may be 10^18), then checked as one figure.
            let days = Int128(to.daysSinceEpoch - from.daysSinceEpoch + 1)
            var weekly: [String: Int128] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT county_code, weekly_capacity, unit_price_fen FROM product WHERE id IN (
                        SELECT product_id FROM certification WHERE counts_through >= ? AND (counts_from IS NULL OR counts_from <= ?)
                    )
                    """,
                arguments: [from.description, to.description]
            ) {
                weekly[row["county_code"], default: 0] += Int128(row["weekly_capacity"] as Int) * Int128(row["unit_price_fen"] as Int)
            }
            for (code, value) in weekly where rows[code] != nil {
                // Rounded half up: (value × days + 3) / 7.
                rows[code]?.capacityAmountFen = try Figure.checked((value * days + 3) / 7, "capacity_amount_fen", of: "county \(code)")
            }
            return try CountyTable(from: from, to: to, rows: Array(rows.values))
        }
    }

}
