import ChanxiaoCore
import GRDB

extension Venue: StoredEntity {
    public static let table = "venue"
    public static let dependents: [Dependent] = [
        .catalog(.fair, "venue_id"),
        Dependent(
            table: "rotation",
            column: "venue_id",
            singular: "rotation",
            plural: "rotations",
            advice: "rotations are the record of what was featured; keep the venue"
        ),
    ]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            kind: try ColumnValue.enumeration(row, "kind"),
            regionCode: row["region_code"],
            network: row["network"],
            featuredWeeklyVolume: row["featured_weekly_volume"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["kind"] = kind.rawValue
        container["region_code"] = regionCode
        container["network"] = network
        container["featured_weekly_volume"] = featuredWeeklyVolume
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("kind", .text(let kind)): return "kind = \(kind)"
        case ("region_code", .text(let code)): return "region_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        case ("network", .text(let network)): return "network = \(network)"
        default: return "0"
        }
    }
}

extension LivestreamHost: StoredEntity {
    public static let table = "host"
    public static let dependents = [
        Dependent(
            table: "livestream",
            column: "host_id",
            singular: "livestream",
            plural: "livestreams",
            advice: "livestreams are the record of what was broadcast; remove the host's availability instead"
        )
    ]

    public init(row: Row) throws {
        func windows<T>(_ column: String, _ parse: (String) -> T?) throws -> [T] {
            let texts: [String] = try ColumnValue.jsonArray(row, column)
            return try texts.map { text in
                guard let value = parse(text) else { throw ColumnValue.corrupt(column, text) }
                return value
            }
        }
        self.init(
            id: row["id"],
            name: row["name"],
            platforms: try windows("platforms", LivestreamPlatform.init(rawValue:)),
            availability: try windows("availability", WeeklyWindow.init),
            unavailable: try windows("unavailable", DatedWindow.init),
            extraAvailability: try windows("extra_availability", DatedWindow.init),
            maxSessionsPerDay: row["max_sessions_per_day"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["platforms"] = ColumnValue.json(platforms.map(\.rawValue))
        container["availability"] = ColumnValue.json(availability.map(\.description))
        container["unavailable"] = ColumnValue.json(unavailable.map(\.description))
        container["extra_availability"] = ColumnValue.json(extraAvailability.map(\.description))
        container["max_sessions_per_day"] = maxSessionsPerDay
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("platform", .text(let platform)): return "EXISTS (SELECT 1 FROM json_each(host.platforms) WHERE value = \(platform))"
        default: return "0"
        }
    }
}

extension Fair: StoredEntity {
    public static let table = "fair"
    public static let dependents = [
        Dependent(
            table: "fair_application",
            column: "fair_id",
            singular: "application",
            plural: "applications",
            advice: "applications are the record of who asked for booths; keep the fair"
        )
    ]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            venueID: row["venue_id"],
            startsOn: try ColumnValue.date(row, "starts_on"),
            endsOn: try ColumnValue.date(row, "ends_on"),
            boothCount: row["booth_count"],
            minPovertyShare: row["min_poverty_share"],
            maxBoothsPerApplicant: row["max_booths_per_applicant"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["venue_id"] = venueID
        container["starts_on"] = startsOn.description
        container["ends_on"] = endsOn.description
        container["booth_count"] = boothCount
        container["min_poverty_share"] = minPovertyShare
        container["max_booths_per_applicant"] = maxBoothsPerApplicant
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("venue_id", .text(let id)): return "venue_id = \(id)"
        case ("active_on", .date(let date)): return "starts_on <= \(date.description) AND ends_on >= \(date.description)"
        default: return "0"
        }
    }
}
