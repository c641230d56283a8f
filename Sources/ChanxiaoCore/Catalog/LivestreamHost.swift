import Foundation

/// A livestream presenter (主播; "host" in the API, named apart from Foundation's `Host`).
/// Available in weekly windows of local time, except on the dated windows in `unavailable`,
/// and also in the dated windows of `extra_availability`.
public struct LivestreamHost: CatalogEntity {
    public static let kind = CatalogKind.host
    public static let writableFields = [
        "id", "name", "platforms", "availability", "unavailable", "extra_availability",
        "max_sessions_per_day",
    ]

    public var id: String
    public var name: String
    /// In order of preference: planned sessions go out on the first.
    public var platforms: [LivestreamPlatform]
    public var availability: [WeeklyWindow]
    public var unavailable: [DatedWindow]
    public var extraAvailability: [DatedWindow]
    public var maxSessionsPerDay: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        platforms: [LivestreamPlatform],
        availability: [WeeklyWindow],
        unavailable: [DatedWindow] = [],
        extraAvailability: [DatedWindow] = [],
        maxSessionsPerDay: Int = 2,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.platforms = platforms
        self.availability = availability
        self.unavailable = unavailable
        self.extraAvailability = extraAvailability
        self.maxSessionsPerDay = maxSessionsPerDay
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .none }

    /// The host's free windows on `date` as sorted, disjoint minute ranges of local time.
    public func windows(on date: CalendarDate) -> [Range<Int>] {
        var open = availability.filter { $0.weekday == date.weekday }.map { $0.start..<$0.end }
        open += extraAvailability.filter { $0.date == date }.map { $0.start..<$0.end }
        let closed = unavailable.filter { $0.date == date }.map { $0.start..<$0.end }
        return MinuteRanges.subtract(MinuteRanges.union(open), closed)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("platforms", .array(platforms.map { .string($0.rawValue) })),
            ("availability", .array(availability.map { .string($0.description) })),
            ("unavailable", .array(unavailable.map { .string($0.description) })),
            ("extra_availability", .array(extraAvailability.map { .string($0.description) })),
            ("max_sessions_per_day", JSONValue(maxSessionsPerDay)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> LivestreamHost? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let allowed = LivestreamPlatform.allCases.map(\.rawValue).joined(separator: ", ")
        let platforms = r.list("platforms", maxCount: 10, expected: "one of \(allowed)", LivestreamPlatform.init(rawValue:))
        let weekly = r.list("availability", maxCount: 70, expected: "a weekly window such as 'mon 19:00-22:00'", WeeklyWindow.init)
        let unavailable = r.list(
            "unavailable",
            maxCount: 400,
            expected: "a date 'YYYY-MM-DD' or a dated window 'YYYY-MM-DD HH:MM-HH:MM'",
            DatedWindow.init
        )
        let extra = r.list("extra_availability", maxCount: 400, expected: "a dated window 'YYYY-MM-DD HH:MM-HH:MM'", DatedWindow.init)
        let maxPerDay = r.int("max_sessions_per_day", in: 1...24) ?? 2
        if let platforms, platforms.isEmpty { r.fail("platforms", "must name at least one platform") }
        if let weekly, let extra, weekly.isEmpty, extra.isEmpty {
            r.fail("availability", "must name at least one window (or give extra_availability), e.g. 'mon 19:00-22:00'")
        }
        guard let id, let name, let platforms, let weekly, let unavailable, let extra, !r.hasErrors else { return nil }
        return LivestreamHost(
            id: id,
            name: name,
            platforms: platforms.uniqued(),
            availability: weekly.uniqued(),
            unavailable: unavailable.uniqued(),
            extraAvailability: extra.uniqued(),
            maxSessionsPerDay: maxPerDay,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}

/// Sets of minutes as sorted, disjoint ranges.
public enum MinuteRanges {
    public static func union(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    public static func subtract(_ ranges: [Range<Int>], _ removed: [Range<Int>]) -> [Range<Int>] {
        var result = ranges
        for cut in removed where !cut.isEmpty {
            result = result.flatMap { range -> [Range<Int>] in
                guard range.overlaps(cut) else { return [range] }
                var parts: [Range<Int>] = []
                if range.lowerBound < cut.lowerBound { parts.append(range.lowerBound..<cut.lowerBound) }
                if cut.upperBound < range.upperBound { parts.append(cut.upperBound..<range.upperBound) }
                return parts
            }
        }
        return result
    }

    /// Whether `inner` lies inside one of `ranges`.
    public static func contains(_ ranges: [Range<Int>], _ inner: Range<Int>) -> Bool {
        ranges.contains { $0.lowerBound <= inner.lowerBound && inner.upperBound <= $0.upperBound }
    }
}
