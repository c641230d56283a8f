import ChanxiaoCore
import ChanxiaoReports
import Foundation
import GRDB

/// What the weekly job needs besides the week, from the configuration.
public struct WeeklyRunSettings: Sendable {
    public var reports: ReportSettings
    public var policy: ShareTargetPolicy
    public var slowMoving: SlowMovingRule
    public var zone: TimeZone

    public init(reports: ReportSettings, policy: ShareTargetPolicy, slowMoving: SlowMovingRule, zone: TimeZone) {
        self.reports = reports
        self.policy = policy
        self.slowMoving = slowMoving
        self.zone = zone
    }
}

/// What one run of the weekly job did.
public struct WeeklyRunSummary: Sendable, Equatable {
    public var week: IsoWeek
    /// The week the report covers: the one before.
    public var reportWeek: IsoWeek
    public var salesRecorded: Int
    public var buyersAtRisk: Int
    /// Products newly flagged slow-moving (announced) and flagged in all.
    public var newlySlowMoving: Int
    public var slowMoving: Int
    /// Figures the job could not make exactly (`FigureOutOfRange`): a buyer's share left out of
    /// the at-risk check, or the `report.weekly` event not sent. The rest of the job ran.
    public var refused: [FigureOutOfRange] = []
}

extension AppDatabase {
    /// Whether the weekly job has run for `week`.
    public func hasWeeklyRun(_ week: IsoWeek) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM report_run WHERE week = ?)", arguments: [week.description]) ?? false
        }
    }

    /// The weekly job of `week`, once, in one transaction: records the sales of accepted matches
    /// whose week is over (when configured), checks every buyer's share at the checkpoint (the
    /// Sunday before) and announces those at risk, flags slow-moving products and announces new
    /// ones to the buyer networks, and files the report of the week before as `report.weekly`.
    /// Returns nil when the week's job already ran.
    public func runWeekly(_ week: IsoWeek, settings: WeeklyRunSettings, trigger: String, context: WriteContext) async throws -> WeeklyRunSummary? {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM report_run WHERE week = ?)", arguments: [week.description]) == true {
                return nil
            }
            let outbox = try Outbox(db, context: context)
            let reportWeek = week.adding(weeks: -1)
            var summary = WeeklyRunSummary(week: week, reportWeek: reportWeek, salesRecorded: 0, buyersAtRisk: 0, newlySlowMoving: 0, slowMoving: 0)
            if settings.reports.salesFromMatches {
                summary.salesRecorded = try Self.recordSalesFromMatches(before: week, db: db, context: context)
            }

            let checkpoint = reportWeek.sunday
            let (alerts, refused) = try Self.quotaAlerts(
                db,
                from: settings.reports.targetPeriod.start(of: checkpoint),
                to: checkpoint,
                matchesFrom: week,
                policy: settings.policy,
                settings: settings.reports
            )
            summary.buyersAtRisk = alerts.count
            summary.refused += refused
            if outbox.wants(.quotaAtRisk), !alerts.isEmpty {
                let matches = alerts.flatMap(\.matches).map(\.match)
                let names = try EventNames(db, counties: matches.map(\.countyCode), products: matches.map(\.productID))
                for alert in alerts { try outbox.emit(.quotaAtRisk(alert, names: names, at: context.now), db: db) }
            }

            let (flagged, announced) = try Self.updateSlowMovingFlags(week, rule: settings.slowMoving, db: db, context: context)
            summary.slowMoving = flagged
            summary.newlySlowMoving = announced.count
            try Self.announceSlowMoving(announced, networks: settings.reports.slowMovingNetworks, outbox: outbox, db: db)

            if outbox.wants(.reportWeekly) {
                // The country's report, and one for each region an endpoint is scoped to.
                let regions: [String?] = [nil] + outbox.regions(wanting: .reportWeekly).map(Optional.some)
                for region in regions {
                    do {
                        let report = try Self.weeklyReport(
                            db,
                            week: reportWeek,
                            policy: settings.policy,
                            settings: settings.reports,
                            zone: settings.zone,
                            within: region.flatMap { Jurisdiction(regions: [$0]) }
                        )
                        try outbox.emit(.reportWeekly(report, at: context.now), db: db)
                    } catch let failure as FigureOutOfRange {
                        summary.refused.append(failure)
                    }
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO report_run (week, finished_at, sales_recorded, buyers_at_risk, slow_moving, trigger) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    week.description, Timestamp.string(from: context.now), summary.salesRecorded, summary.buyersAtRisk,
                    summary.slowMoving, trigger,
                ]
            )
            try Self.audit(
                db,
                context,
                action: "report.weekly",
                id: week.description,
                detail: .object([
                    "sales_recorded": .int(Int64(summary.salesRecorded)), "buyers_at_risk": .int(Int64(summary.buyersAtRisk)),
                    "slow_moving": .int(Int64(summary.slowMoving)), "newly_slow_moving": .int(Int64(summary.newlySlowMoving)),
                    "figures_refused": .array(summary.refused.map { .string($0.description) }),
                ])
            )
            return summary
        }
    }

    /// The last day of the last week whose weekly report was filed (the job of week W files the
    /// report of W − 1), or nil before the first run. Sales up to it are closed to all but admins.
    static func closedThrough(_ db: Database) throws -> CalendarDate? {
        guard let text = try String.fetchOne(db, sql: "SELECT MAX(week) FROM report_run"), let week = IsoWeek(text) else { return nil }
        return week.adding(weeks: -1).sunday
    }

    /// A sale for every accepted match of a week before `week` that has none yet, dated the
    /// match week's Sunday, at the matched price. A match whose amount would exceed what one sale
    /// may hold (`Quantity.valueFen`, only possible for matches made from records stored before
    /// that range) is left without a sale rather than recorded out of range.
    static func recordSalesFromMatches(before week: IsoWeek, db: Database, context: WriteContext) throws -> Int {
        let matches = try Row.fetchAll(
            db,
            sql: """
                SELECT match.* FROM match LEFT JOIN sale ON sale.match_id = match.id
                WHERE match.status = 'accepted' AND match.week < ? AND sale.id IS NULL ORDER BY match.week, match.id
                """,
            arguments: [week.description]
        ).map(Match.init(row:))
        let kinds: [String: BuyerKind] = try Outbox.lookup(db, table: "buyer", ids: matches.map(\.buyerID)) {
            BuyerKind(rawValue: $0["kind"]) ?? .budgetUnit
        }
        // The matched price is the sale's price: no plausibility check against today's price. The
        // job records what the buyer accepted, in weeks it is itself closing, whoever started it:
        // it writes as the system does, not under the starter's role.
        var context = context
        context.rules.salePriceFactor = 0
        context.role = .admin
        var recorded = 0
        for match in matches {
            let amount = Int128(match.volume) * Int128(match.unitPriceFen)
            guard Quantity.valueFen.contains(Int(clamping: amount)), Quantity.volume.contains(match.volume) else { continue }
            // `sal-<match id>` names the sale of a match; clients choose sale ids too, so when one
            // has taken it the sale gets a new id (`match_id` still ties it to its match, once).
            var id = "sal-\(match.id)"
            if try Stored<Sale>.exists(db, key: id) { id = CatalogKind.sale.newID(at: context.now) }
            var sale = Sale(
                id: id,
                buyerID: match.buyerID,
                productID: match.productID,
                category: nil,
                volume: match.volume,
                amountFen: Int(amount),
                soldOn: match.week.sunday,
                channel: SalesChannel(buyerKind: kinds[match.buyerID] ?? .budgetUnit),
                note: "recorded from accepted match \(match.id)",
                matchID: match.id,
                createdAt: context.now,
                updatedAt: context.now
            )
            try sale.resolve(in: db, context: context, replacing: nil)
            try Stored(sale).insert(db)
            recorded += 1
        }
        return recorded
    }

    /// Flags the products slow-moving in `week` that are on offer (in season, certified, not
    /// blacklisted) and clears the others. Returns how many are flagged and those newly flagged.
    static func updateSlowMovingFlags(
        _ week: IsoWeek,
        rule: SlowMovingRule,
        db: Database,
        context: WriteContext
    ) throws
        -> (flagged: Int, new: [SlowMovingProduct])
    {
        let blacklisted = try String.fetchSet(db, sql: "SELECT id FROM supplier WHERE blacklisted = 1")
        let onOffer = try all(Product.self, db: db).filter {
            $0.isInSeason(month: week.monday.month) && $0.isCertified(on: week.monday) && !blacklisted.contains($0.supplierID)
        }
        let slow = try slowMovingProducts(in: week, rule: rule, products: onOffer, db: db)
        let earlier = try String.fetchSet(db, sql: "SELECT product_id FROM slow_moving_flag")
        let current = Set(slow.map(\.product.id))
        for gone in earlier.subtracting(current) {
            try db.execute(sql: "DELETE FROM slow_moving_flag WHERE product_id = ?", arguments: [gone])
        }
        var new: [SlowMovingProduct] = []
        for item in slow {
            if earlier.contains(item.product.id) {
                try db.execute(
                    sql: """
                        UPDATE slow_moving_flag SET checked_week = ?, taken_volume = ?, threshold_volume = ?, observed_weeks = ? WHERE product_id = ?
                        """,
                    arguments: [week.description, item.takenVolume, item.thresholdVolume, item.observedWeeks, item.product.id]
                )
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO slow_moving_flag (product_id, since_week, checked_week, taken_volume, threshold_volume, observed_weeks, flagged_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        item.product.id, week.description, week.description, item.takenVolume, item.thresholdVolume, item.observedWeeks,
                        Timestamp.string(from: context.now),
                    ]
                )
                new.append(item)
            }
        }
        return (slow.count, new)
    }

    /// `product.slow_moving` for each product, to every buyer of the sharing networks.
    static func announceSlowMoving(_ items: [SlowMovingProduct], networks: [String], outbox: Outbox, db: Database) throws {
        guard outbox.wants(.productSlowMoving), !items.isEmpty else { return }
        let members = try Row.fetchAll(db, sql: "SELECT id, network FROM buyer WHERE network IS NOT NULL ORDER BY id")
            .filter { networks.isEmpty || networks.contains($0["network"] as String) }
        let buyers = members.map { $0["id"] as String }
        let names = Set(members.map { $0["network"] as String }).sorted()
        let lookups = try EventNames(db, suppliers: items.map(\.product.supplierID), counties: items.map(\.product.countyCode))
        for item in items {
            try outbox.emit(
                .productSlowMoving(
                    item,
                    supplierName: lookups.suppliers[item.product.supplierID],
                    countyName: lookups.counties[item.product.countyCode],
                    networks: names,
                    buyers: buyers,
                    at: outbox.now
                ),
                db: db
            )
        }
    }

    /// The products flagged slow-moving by the last weekly check, with their figures.
    public func slowMovingFlags() async throws -> [(item: SlowMovingProduct, since: IsoWeek)] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM slow_moving_flag ORDER BY product_id")
            let products = Dictionary(
                uniqueKeysWithValues: try Stored<Product>.fetchAll(db, keys: rows.map { $0["product_id"] as String })
                    .map { ($0.entity.id, $0.entity) }
            )
            return rows.compactMap { row in
                guard let product = products[row["product_id"]], let week = IsoWeek(row["checked_week"] as String),
                    let since = IsoWeek(row["since_week"] as String)
                else { return nil }
                return (
                    SlowMovingProduct(
                        product: product,
                        week: week,
                        observedWeeks: row["observed_weeks"],
                        takenVolume: row["taken_volume"],
                        thresholdVolume: row["threshold_volume"]
                    ), since
                )
            }
        }
    }
}
