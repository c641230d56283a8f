import ChanxiaoCore
import Foundation

/// Volumes per unit: matching never converts units, and neither do reports.
public struct Volumes: Sendable, Equatable {
    public private(set) var byUnit: [MeasureUnit: Int] = [:]

    public init(_ byUnit: [MeasureUnit: Int] = [:]) {
        self.byUnit = byUnit.filter { $0.value != 0 }
    }

    /// Adds `volume` of `unit`; `figure` and `subject` name the total in a refusal.
    public mutating func add(_ volume: Int, _ unit: MeasureUnit?, _ figure: String, of subject: String) throws(FigureOutOfRange) {
        guard let unit, volume != 0 else { return }
        byUnit[unit] = try Figure.sum(byUnit[unit] ?? 0, volume, "\(figure).\(unit.rawValue)", of: subject)
    }

    public func adding(_ other: Volumes, _ figure: String, of subject: String) throws(FigureOutOfRange) -> Volumes {
        var sum = self
        for (unit, volume) in other.byUnit { try sum.add(volume, unit, figure, of: subject) }
        return sum
    }

    public var isEmpty: Bool { byUnit.isEmpty }

    /// `{"kg": 1200, "box": 30}` in the units' declared order.
    public var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: byUnit.map { ($0.key.rawValue, JSONValue.int(Int64($0.value))) }))
    }

    /// `1,200 kg + 30 box`, or `—`.
    public var text: String {
        let parts = MeasureUnit.allCases.compactMap { unit in byUnit[unit].map { "\(ReportNumber.grouped($0)) \(unit.rawValue)" } }
        return parts.isEmpty ? "—" : parts.joined(separator: " + ")
    }
}

/// The figures a weekly report gives for a county, a network and the whole.
public struct WeeklyFigures: Sendable, Equatable {
    /// Volume of the week's current matches (proposed, accepted, declined or expired; not superseded or cancelled).
    public var matched = Volumes()
    public var accepted = Volumes()
    public var sold = Volumes()
    public var salesAmountFen = 0
    public var povertyAmountFen = 0
    /// Scheduled livestream sessions that started in the week.
    public var livestreams = 0
    public var newOutlets = 0

    public init() {}

    public var isEmpty: Bool {
        matched.isEmpty && accepted.isEmpty && sold.isEmpty && salesAmountFen == 0 && livestreams == 0 && newOutlets == 0
    }

    /// Adds a group of sales: their volume, amount, and whether they are poverty products.
    public mutating func addSales(volume: Int, unit: MeasureUnit?, amountFen: Int, poverty: Bool, of subject: String) throws(FigureOutOfRange) {
        try sold.add(volume, unit, "sales_volume", of: subject)
        salesAmountFen = try Figure.sum(salesAmountFen, amountFen, "sales_amount_fen", of: subject)
        if poverty { povertyAmountFen = try Figure.sum(povertyAmountFen, amountFen, "poverty_amount_fen", of: subject) }
    }

    /// These figures and `other`'s together.
    public func adding(_ other: WeeklyFigures, of subject: String) throws(FigureOutOfRange) -> WeeklyFigures {
        var sum = WeeklyFigures()
        sum.matched = try matched.adding(other.matched, "matched_volume", of: subject)
        sum.accepted = try accepted.adding(other.accepted, "accepted_volume", of: subject)
        sum.sold = try sold.adding(other.sold, "sales_volume", of: subject)
        sum.salesAmountFen = try Figure.sum(salesAmountFen, other.salesAmountFen, "sales_amount_fen", of: subject)
        sum.povertyAmountFen = try Figure.sum(povertyAmountFen, other.povertyAmountFen, "poverty_amount_fen", of: subject)
        sum.livestreams = livestreams + other.livestreams
        sum.newOutlets = newOutlets + other.newOutlets
        return sum
    }
}

/// The weekly progress report (周报, seed 003 §六(三)) of one ISO week.
public struct WeeklyReport: Sendable, Equatable {
    public struct CountyLine: Sendable, Equatable {
        public var code: String
        public var name: String
        public var city: String?
        public var figures: WeeklyFigures
        /// Venues featuring the county this week (一县一品一周).
        public var featuredAt: [String]

        public init(code: String, name: String, city: String?, figures: WeeklyFigures, featuredAt: [String] = []) {
            self.code = code
            self.name = name
            self.city = city
            self.figures = figures
            self.featuredAt = featuredAt
        }
    }

    public struct NetworkLine: Sendable, Equatable {
        /// Nil for buyers outside any network.
        public var network: String?
        public var buyers: Int
        public var figures: WeeklyFigures
        public var buyersAtRisk: Int

        public init(network: String?, buyers: Int, figures: WeeklyFigures, buyersAtRisk: Int) {
            self.network = network
            self.buyers = buyers
            self.figures = figures
            self.buyersAtRisk = buyersAtRisk
        }
    }

    public struct Featured: Sendable, Equatable {
        public var venueID: String
        public var venueName: String
        public var countyCode: String
        public var countyName: String
        public var productID: String
        public var productName: String

        public init(venueID: String, venueName: String, countyCode: String, countyName: String, productID: String, productName: String) {
            self.venueID = venueID
            self.venueName = venueName
            self.countyCode = countyCode
            self.countyName = countyName
            self.productID = productID
            self.productName = productName
        }
    }

    public struct Session: Sendable, Equatable {
        public var id: String
        public var title: String?
        public var hostName: String
        public var startsAt: Date
        public var countyCodes: [String]

        public init(id: String, title: String?, hostName: String, startsAt: Date, countyCodes: [String]) {
            self.id = id
            self.title = title
            self.hostName = hostName
            self.startsAt = startsAt
            self.countyCodes = countyCodes
        }
    }

    public struct AtRisk: Sendable, Equatable {
        public var buyerID: String
        public var buyerName: String
        public var network: String?
        public var figures: ShareFigures

        public init(buyerID: String, buyerName: String, network: String?, figures: ShareFigures) {
            self.buyerID = buyerID
            self.buyerName = buyerName
            self.network = network
            self.figures = figures
        }
    }

    public var week: IsoWeek
    /// The regions the report covers (a region-bound organizer's, or the `region` asked for);
    /// empty for the whole country.
    public var regions: [String] = []
    /// The span targets at risk are judged over: the target period up to the week's Sunday.
    public var targetFrom: CalendarDate
    public var counties: [CountyLine]
    public var networks: [NetworkLine]
    public var featured: [Featured]
    public var livestreams: [Session]
    public var newOutlets: [Outlet]
    public var atRisk: [AtRisk]
    public var atRiskMargin: Double
    /// Buyers whose share could not be made exactly (`FigureOutOfRange`): left out of `atRisk`
    /// and named here, rather than refusing the whole report.
    public var refused: [FigureOutOfRange]
    /// The whole: the sum of the network lines (which include sales of no county, off-catalog
    /// purchases), with livestreams and new outlets counted once each.
    public let totals: WeeklyFigures

    public init(
        week: IsoWeek,
        targetFrom: CalendarDate,
        counties: [CountyLine],
        networks: [NetworkLine],
        featured: [Featured],
        livestreams: [Session],
        newOutlets: [Outlet],
        atRisk: [AtRisk],
        atRiskMargin: Double,
        refused: [FigureOutOfRange] = []
    ) throws(FigureOutOfRange) {
        self.week = week
        self.targetFrom = targetFrom
        self.counties = counties
        self.networks = networks
        self.featured = featured
        self.livestreams = livestreams
        self.newOutlets = newOutlets
        self.atRisk = atRisk
        self.atRiskMargin = atRiskMargin
        self.refused = refused
        var total = WeeklyFigures()
        for line in networks { total = try total.adding(line.figures, of: "the totals") }
        // Livestreams and outlets belong to counties, not buyers: count each once.
        total.livestreams = livestreams.count
        total.newOutlets = newOutlets.count
        totals = total
    }
}

/// Number formats shared by the report renderings.
public enum ReportNumber {
    /// `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Fen as yuan with two decimals: `12,345.60`.
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = Int(fen.magnitude)
        return sign + grouped(magnitude / 100) + "." + String(format: "%02d", magnitude % 100)
    }

    /// Fen as 万元 (10,000 yuan) with two decimals, rounded half up: `1.23`, no grouping (a spreadsheet number).
    public static func tenThousandYuan(_ fen: Int) -> String {
        // 1 万元 = 1,000,000 fen; two decimals = 10,000 fen. Rounded without adding first, which
        // could overflow at the top of the range.
        let hundredths = fen / 10_000 + (fen % 10_000 >= 5_000 ? 1 : 0)
        return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))"
    }

    /// A share as a percentage with one decimal: `28.4%`, or `—`.
    public static func percent(_ share: Double?) -> String {
        guard let share else { return "—" }
        return String(format: "%.1f%%", share * 100)
    }
}
