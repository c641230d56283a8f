import ChanxiaoCore

/// The hard rules for featuring a product at a venue in a week (一县一品一周): a certified
/// poverty product through the week, of a supplier not blacklisted, in season every day of the
/// week, with a weekly capacity of at least the venue's featured volume.
public enum FeatureRules {
    /// Why a product cannot be featured, in the order the rules are checked: a later case means
    /// the product came closer to qualifying.
    public enum Problem: Int, Sendable, Comparable, CaseIterable {
        case noProducts, blacklisted, notCertified, outOfSeason, lowCapacity

        public static func < (a: Problem, b: Problem) -> Bool { a.rawValue < b.rawValue }
    }

    public static func problem(_ product: Product, supplier: Supplier?, week: IsoWeek, venue: Venue) -> Problem? {
        let standing = standingProblem(product, supplier: supplier, venue: venue)
        if let standing, standing < .outOfSeason { return standing }
        return weeklyProblem(product, WeekSpan(week)) ?? standing
    }

    /// What a week contributes to the rules: its last day and the months it touches.
    public struct WeekSpan: Sendable {
        public var monday: CalendarDate
        public var sunday: CalendarDate
        public var firstMonth: Int
        public var lastMonth: Int

        public init(_ week: IsoWeek) {
            monday = week.monday
            sunday = week.sunday
            firstMonth = week.monday.month
            lastMonth = week.sunday.month
        }
    }

    /// The rules that hold for every week alike: supplier, a certificate at all, capacity.
    /// Planning checks them once per product, not once per product and week.
    public static func standingProblem(_ product: Product, supplier: Supplier?, venue: Venue) -> Problem? {
        if supplier?.blacklisted ?? true { return .blacklisted }
        if product.certifiedSpans.isEmpty { return .notCertified }
        if product.weeklyCapacity < venue.featuredWeeklyVolume { return .lowCapacity }
        return nil
    }

    /// The rules that depend on the week: certified every day of it, in season every day.
    public static func weeklyProblem(_ product: Product, _ span: WeekSpan) -> Problem? {
        guard product.isCertified(from: span.monday, through: span.sunday) else { return .notCertified }
        if !product.isInSeason(month: span.firstMonth) || !product.isInSeason(month: span.lastMonth) { return .outOfSeason }
        return nil
    }

    public static func describe(_ problem: Problem, week: IsoWeek?, venue: Venue) -> String {
        let when = week.map { " in \($0)" } ?? ""
        switch problem {
        case .noProducts: return "has no products"
        case .blacklisted: return "its suppliers are blacklisted"
        case .notCertified: return "no product is a certified poverty product through the week\(when)"
        case .outOfSeason: return "no certified product is in season\(when)"
        case .lowCapacity: return "no product in season has a weekly capacity of \(venue.featuredWeeklyVolume) (the venue's featured_weekly_volume)"
        }
    }

    /// Why none of a county's products can be featured in `week`: the problem of the product
    /// that came closest.
    public static func countyProblem(_ county: String, catalog: RotationCatalog, week: IsoWeek, venue: Venue) -> Problem? {
        let products = catalog.productsByCounty[county] ?? []
        if products.isEmpty { return .noProducts }
        var closest: Problem?
        for product in products {
            guard let problem = problem(product, supplier: catalog.suppliers[product.supplierID], week: week, venue: venue) else { return nil }
            closest = max(closest ?? problem, problem)
        }
        return closest
    }

    /// Why one product cannot be featured, with its own figures.
    public static func explain(_ problem: Problem, _ product: Product, week: IsoWeek, venue: Venue) -> String {
        switch problem {
        case .noProducts: return "no such product"
        case .blacklisted: return "its supplier \(product.supplierID) is blacklisted"
        case .notCertified:
            guard let latest = product.latestSpan else { return "it is not a certified poverty product" }
            if latest.through < week.sunday { return "its certificate ends on \(latest.through), before \(week.sunday)" }
            return "no listing covers every day from \(week.monday) to \(week.sunday)"
        case .outOfSeason: return "it is in season only in months \(product.seasonMonths.map(String.init).joined(separator: ", "))"
        case .lowCapacity:
            return "its weekly capacity \(product.weeklyCapacity) is below the venue's featured_weekly_volume \(venue.featuredWeeklyVolume)"
        }
    }
}
