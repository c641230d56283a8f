import ChanxiaoCore
import ChanxiaoReports
import Foundation
import GRDB

extension AppDatabase {
    /// The weekly report of `week` from the data as it stands; of a jurisdiction's buyers,
    /// venues and counties (inside its regions or paired with them) when one is given.
    public func weeklyReport(
        _ week: IsoWeek,
        policy: ShareTargetPolicy,
        settings: ReportSettings,
        zone: TimeZone,
        within jurisdiction: Jurisdiction? = nil
    ) async throws -> WeeklyReport {
        try await read { db in
            try Self.weeklyReport(db, week: week, policy: policy, settings: settings, zone: zone, within: jurisdiction)
        }
    }

    static func weeklyReport(
        _ db: Database,
        week: IsoWeek,
        policy: ShareTargetPolicy,
        settings: ReportSettings,
        zone: TimeZone,
        within jurisdiction: Jurisdiction? = nil
    ) throws -> WeeklyReport {
        let scope = try jurisdiction.map { try Self.scope($0, db: db) }
        /// SQL keeping the rows of the jurisdiction ("1" for the whole country).
        func inScope(_ condition: (JurisdictionScope) -> SQL) -> SQL { scope.map(condition) ?? "1" }
        let counties = Dictionary(uniqueKeysWithValues: try all(County.self, db: db).map { ($0.code, $0) })
        let buyers = try all(Buyer.self, db: db).filter { buyer in jurisdiction?.covers(buyer.regionCode) ?? true }

        var byCounty: [String: WeeklyFigures] = [:]
        var byNetwork: [String?: WeeklyFigures] = [:]
        func networkName(_ network: String?) -> String { network.map { "network \($0)" } ?? "buyers outside a network" }
        let matchScope = try inScope { ScopedRecord.match.condition($0) }.build(db)
        for row in try fetchSums(
            db,
            sql: """
                SELECT match.county_code, buyer.network, product.unit, match.status = 'accepted' AS accepted, SUM(match.volume) AS volume
                FROM match JOIN product ON product.id = match.product_id JOIN buyer ON buyer.id = match.buyer_id
                WHERE match.week = ? AND match.status NOT IN ('superseded', 'cancelled') AND match.id IN (SELECT id FROM match WHERE \(matchScope.0))
                GROUP BY 1, 2, 3, 4
                """,
            arguments: [week.description] + matchScope.1,
            figure: "matched_volume",
            of: "week \(week)"
        ) {
            let unit = MeasureUnit(rawValue: row["unit"])
            let volume: Int = row["volume"]
            let accepted: Bool = row["accepted"]
            let county: String = row["county_code"]
            let network: String? = row["network"]
            try byCounty[county, default: WeeklyFigures()].matched.add(volume, unit, "matched_volume", of: "county \(county)")
            try byNetwork[network, default: WeeklyFigures()].matched.add(volume, unit, "matched_volume", of: networkName(network))
            if accepted {
                try byCounty[county, default: WeeklyFigures()].accepted.add(volume, unit, "accepted_volume", of: "county \(county)")
                try byNetwork[network, default: WeeklyFigures()].accepted.add(volume, unit, "accepted_volume", of: networkName(network))
            }
        }

        let saleScope = try inScope { Sale.jurisdictionCondition($0) ?? "1" }.build(db)
        for row in try fetchSums(
            db,
            sql: """
                SELECT buyer.network, sale.county_code, sale.unit, sale.poverty_product, SUM(sale.volume) AS volume, SUM(sale.amount_fen) AS amount
                FROM sale JOIN buyer ON buyer.id = sale.buyer_id
                WHERE sale.sold_on BETWEEN ? AND ? AND sale.id IN (SELECT id FROM sale WHERE \(saleScope.0)) GROUP BY 1, 2, 3, 4
                """,
            arguments: [week.monday.description, week.sunday.description] + saleScope.1,
            figure: "sales_amount_fen",
            of: "week \(week)"
        ) {
            let unit = (row["unit"] as String?).flatMap(MeasureUnit.init(rawValue:))
            let volume: Int = row["volume"]
            let amount: Int = row["amount"]
            let poverty: Bool = row["poverty_product"]
            let network: String? = row["network"]
            if let county = row["county_code"] as String? {
                try byCounty[county, default: WeeklyFigures()].addSales(
                    volume: volume,
                    unit: unit,
                    amountFen: amount,
                    poverty: poverty,
                    of: "county \(county)"
                )
            }
            try byNetwork[network, default: WeeklyFigures()].addSales(
                volume: volume,
                unit: unit,
                amountFen: amount,
                poverty: poverty,
                of: networkName(network)
            )
        }

        let start = LocalTime.instant(week.monday, minute: 0, in: zone)
        let end = LocalTime.instant(week.adding(weeks: 1).monday, minute: 0, in: zone)
        let sessions = try Livestream.fetch(
            db,
            """
            SELECT * FROM livestream WHERE status = 'scheduled' AND starts_at >= \(Timestamp.string(from: start))
            AND starts_at < \(Timestamp.string(from: end)) AND \(inScope { ScopedRecord.livestream.condition($0) }) ORDER BY starts_at, id
            """
        )
        let productCounties: [String: String] = try Outbox.lookup(db, table: "product", ids: sessions.flatMap(\.productIDs)) { $0["county_code"] }
        let hosts: [String: String] = try Outbox.lookup(db, table: "host", ids: sessions.map(\.hostID)) { $0["name"] }
        let sessionLines = sessions.map { session in
            WeeklyReport.Session(
                id: session.id,
                title: session.title,
                hostName: hosts[session.hostID] ?? session.hostID,
                startsAt: session.startsAt,
                countyCodes: session.productIDs.compactMap { productCounties[$0] }.uniqued()
            )
        }
        for session in sessionLines {
            for county in session.countyCodes { byCounty[county, default: WeeklyFigures()].livestreams += 1 }
        }

        let outlets = try SQLRequest<Stored<Outlet>>(
            """
            SELECT * FROM outlet WHERE opened_on BETWEEN \(week.monday.description) AND \(week.sunday.description)
            AND \(inScope { Outlet.jurisdictionCondition($0) ?? "1" }) ORDER BY opened_on, id
            """
        )
        .fetchAll(db).map(\.entity)
        for outlet in outlets { byCounty[outlet.countyCode, default: WeeklyFigures()].newOutlets += 1 }

        var featured: [WeeklyReport.Featured] = []
        for venue in try all(Venue.self, db: db) where jurisdiction?.covers(venue.regionCode) ?? true {
            for official in try officialSlots(db, venueID: venue.id) where official.slot.week == week {
                let product = try Stored<Product>.fetchOne(db, key: official.slot.productID)?.entity
                featured.append(
                    WeeklyReport.Featured(
                        venueID: venue.id,
                        venueName: venue.name,
                        countyCode: official.slot.countyCode,
                        countyName: counties[official.slot.countyCode]?.name ?? official.slot.countyCode,
                        productID: official.slot.productID,
                        productName: product?.name ?? official.slot.productID
                    )
                )
            }
        }

        let targetTo = week.sunday
        let targetFrom = settings.targetPeriod.start(of: targetTo)
        let (shares, refused) = try buyerShares(db, buyers: buyers, from: targetFrom, to: targetTo, policy: policy)
        var atRisk: [WeeklyReport.AtRisk] = []
        var riskByNetwork: [String?: Int] = [:]
        var buyersByNetwork: [String?: Int] = [:]
        for buyer in buyers { buyersByNetwork[buyer.network, default: 0] += 1 }
        for (buyer, _, figures) in shares {
            guard settings.isAtRisk(figures) else { continue }
            atRisk.append(WeeklyReport.AtRisk(buyerID: buyer.id, buyerName: buyer.name, network: buyer.network, figures: figures))
            riskByNetwork[buyer.network, default: 0] += 1
        }

        let countyLines = Set(byCounty.keys).union(featured.map(\.countyCode)).sorted().map { code in
            WeeklyReport.CountyLine(
                code: code,
                name: counties[code]?.name ?? code,
                city: counties[code]?.city,
                figures: byCounty[code] ?? WeeklyFigures(),
                featuredAt: featured.filter { $0.countyCode == code }.map(\.venueName)
            )
        }
        let networkLines = Set(buyersByNetwork.keys).union(byNetwork.keys)
            .sorted { ($0 == nil ? 1 : 0, $0 ?? "") < ($1 == nil ? 1 : 0, $1 ?? "") }
            .map { network in
                WeeklyReport.NetworkLine(
                    network: network,
                    buyers: buyersByNetwork[network] ?? 0,
                    figures: byNetwork[network] ?? WeeklyFigures(),
                    buyersAtRisk: riskByNetwork[network] ?? 0
                )
            }
        var report = try WeeklyReport(
            week: week,
            targetFrom: targetFrom,
            counties: countyLines,
            networks: networkLines,
            featured: featured,
            livestreams: sessionLines,
            newOutlets: outlets,
            atRisk: atRisk.sorted { ($0.figures.share ?? 0, $0.buyerID) < ($1.figures.share ?? 0, $1.buyerID) },
            atRiskMargin: settings.atRiskMargin,
            refused: refused
        )
        report.regions = jurisdiction?.regions ?? []
        return report
    }
}
