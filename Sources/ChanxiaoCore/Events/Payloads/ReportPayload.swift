import Foundation

/// The `data` of `report.weekly`: the headline figures of a week and where to fetch the whole
/// report. Built by ChanxiaoReports from a `WeeklyReport`.
public struct ReportWeeklyPayload: EventPayload {
    /// The report's totals; volumes per unit, as matching never converts units.
    public struct Totals: NestedPayload {
        public var matchedVolume: [MeasureUnit: Int]
        public var acceptedVolume: [MeasureUnit: Int]
        public var salesVolume: [MeasureUnit: Int]
        public var salesAmountFen: Int
        public var povertyAmountFen: Int
        public var livestreams: Int
        public var newOutlets: Int

        public init(
            matchedVolume: [MeasureUnit: Int],
            acceptedVolume: [MeasureUnit: Int],
            salesVolume: [MeasureUnit: Int],
            salesAmountFen: Int,
            povertyAmountFen: Int,
            livestreams: Int,
            newOutlets: Int
        ) {
            self.matchedVolume = matchedVolume
            self.acceptedVolume = acceptedVolume
            self.salesVolume = salesVolume
            self.salesAmountFen = salesAmountFen
            self.povertyAmountFen = povertyAmountFen
            self.livestreams = livestreams
            self.newOutlets = newOutlets
        }

        var object: JSONValue {
            .record([
                ("matched_volume", Self.volumes(matchedVolume)), ("accepted_volume", Self.volumes(acceptedVolume)),
                ("sales_volume", Self.volumes(salesVolume)), ("sales_amount_fen", JSONValue(salesAmountFen)),
                ("poverty_amount_fen", JSONValue(povertyAmountFen)), ("livestreams", JSONValue(livestreams)),
                ("new_outlets", JSONValue(newOutlets)),
            ])
        }

        init(reading totals: PayloadReader) throws(PayloadError) {
            try self.init(
                matchedVolume: totals.counts("matched_volume", by: MeasureUnit.self),
                acceptedVolume: totals.counts("accepted_volume", by: MeasureUnit.self),
                salesVolume: totals.counts("sales_volume", by: MeasureUnit.self),
                salesAmountFen: totals.int("sales_amount_fen"),
                povertyAmountFen: totals.int("poverty_amount_fen"),
                livestreams: totals.int("livestreams"),
                newOutlets: totals.int("new_outlets")
            )
        }

        /// `{"box": 90, "kg": 12000}`.
        private static func volumes(_ byUnit: [MeasureUnit: Int]) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: byUnit.map { ($0.key.rawValue, JSONValue($0.value)) }))
        }
    }

    /// An official featured slot of the week (一县一品一周).
    public struct Featured: NestedPayload {
        public var countyName: String
        public var productName: String
        public var venueName: String

        public init(countyName: String, productName: String, venueName: String) {
            self.countyName = countyName
            self.productName = productName
            self.venueName = venueName
        }

        var object: JSONValue {
            .record([("venue_name", .string(venueName)), ("county_name", .string(countyName)), ("product_name", .string(productName))])
        }

        init(reading featured: PayloadReader) throws(PayloadError) {
            try self.init(
                countyName: featured.string("county_name"),
                productName: featured.string("product_name"),
                venueName: featured.string("venue_name")
            )
        }
    }

    /// The paths of `GET /v1/reports/weekly` for the week in each form.
    public struct Links: NestedPayload {
        public var csv: String
        public var json: String
        public var markdown: String

        public init(csv: String, json: String, markdown: String) {
            self.csv = csv
            self.json = json
            self.markdown = markdown
        }

        var object: JSONValue {
            .record([("json", .string(json)), ("markdown", .string(markdown)), ("csv", .string(csv))])
        }

        init(reading links: PayloadReader) throws(PayloadError) {
            try self.init(csv: links.string("csv"), json: links.string("json"), markdown: links.string("markdown"))
        }
    }

    public var week: IsoWeek
    /// The week's Monday and Sunday.
    public var from: CalendarDate
    public var to: CalendarDate
    public var totals: Totals
    /// How many county lines the report has.
    public var counties: Int
    public var featured: [Featured]
    /// How many buyers trail their target at the week's Sunday.
    public var targetsAtRisk: Int
    public var links: Links
    /// The region the report covers (GB/T 2260), for an endpoint scoped to one; null for the
    /// country.
    public var region: String?

    public init(
        week: IsoWeek,
        from: CalendarDate,
        to: CalendarDate,
        totals: Totals,
        counties: Int,
        featured: [Featured],
        targetsAtRisk: Int,
        links: Links,
        region: String? = nil
    ) {
        self.week = week
        self.from = from
        self.to = to
        self.totals = totals
        self.counties = counties
        self.featured = featured
        self.targetsAtRisk = targetsAtRisk
        self.links = links
        self.region = region
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("week", JSONValue(week)), ("from", JSONValue(from)), ("to", JSONValue(to)),
            ("totals", totals.object), ("counties", JSONValue(counties)),
            ("featured", .array(featured.map(\.object))),
            ("targets_at_risk", JSONValue(targetsAtRisk)),
            ("links", links.object), ("region", JSONValue(region)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            week: data.week("week"),
            from: data.day("from"),
            to: data.day("to"),
            totals: Totals(reading: data.object("totals")),
            counties: data.int("counties"),
            featured: data.objects("featured"),
            targetsAtRisk: data.int("targets_at_risk"),
            links: Links(reading: data.object("links")),
            region: data.string(orNull: "region")
        )
    }
}
