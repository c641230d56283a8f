import ChanxiaoCore

extension WeeklyFigures {
    public var jsonFields: [(name: String, value: JSONValue)] {
        [
            ("matched_volume", matched.json), ("accepted_volume", accepted.json), ("sales_volume", sold.json),
            ("sales_amount_fen", JSONValue(salesAmountFen)), ("poverty_amount_fen", JSONValue(povertyAmountFen)),
            ("livestreams", JSONValue(livestreams)), ("new_outlets", JSONValue(newOutlets)),
        ]
    }
}

extension WeeklyReport {
    /// The report as the API's JSON: docs/reports.md defines each member.
    public var json: [(name: String, value: JSONValue)] {
        [
            ("week", .string(week.description)), ("from", .string(week.monday.description)), ("to", .string(week.sunday.description)),
            ("regions", .array(regions.map(JSONValue.string))),
            ("totals", .record(totals.jsonFields)),
            (
                "counties",
                .array(
                    counties.map { line in
                        .record(
                            [("county_code", .string(line.code)), ("county_name", .string(line.name)), ("city", JSONValue(line.city))]
                                + line.figures.jsonFields + [("featured_at", .array(line.featuredAt.map(JSONValue.string)))]
                        )
                    }
                )
            ),
            (
                "networks",
                .array(
                    networks.map { line in
                        .record(
                            [("network", JSONValue(line.network)), ("buyers", JSONValue(line.buyers))] + line.figures.jsonFields
                                + [("buyers_at_risk", JSONValue(line.buyersAtRisk))]
                        )
                    }
                )
            ),
            (
                "featured",
                .array(
                    featured.map { item in
                        .record([
                            ("venue_id", .string(item.venueID)), ("venue_name", .string(item.venueName)),
                            ("county_code", .string(item.countyCode)), ("county_name", .string(item.countyName)),
                            ("product_id", .string(item.productID)), ("product_name", .string(item.productName)),
                        ])
                    }
                )
            ),
            (
                "livestreams",
                .array(
                    livestreams.map { session in
                        .record([
                            ("livestream_id", .string(session.id)), ("title", JSONValue(session.title)), ("host_name", .string(session.hostName)),
                            ("starts_at", .string(Timestamp.string(from: session.startsAt))),
                            ("county_codes", .array(session.countyCodes.map(JSONValue.string))),
                        ])
                    }
                )
            ),
            (
                "new_outlets",
                .array(
                    newOutlets.map { outlet in
                        .record([
                            ("outlet_id", .string(outlet.id)), ("name", .string(outlet.name)), ("kind", .string(outlet.kind.rawValue)),
                            ("county_code", .string(outlet.countyCode)), ("opened_on", .string(outlet.openedOn.description)),
                        ])
                    }
                )
            ),
            (
                "targets_at_risk",
                .record([
                    ("from", .string(targetFrom.description)), ("to", .string(week.sunday.description)), ("margin", .double(atRiskMargin)),
                    (
                        "buyers",
                        .array(
                            atRisk.map { item in
                                .record(
                                    [
                                        ("buyer_id", .string(item.buyerID)), ("buyer_name", .string(item.buyerName)),
                                        ("network", JSONValue(item.network)),
                                    ]
                                        + item.figures.jsonFields
                                )
                            }
                        )
                    ),
                    ("figures_refused", .array(refused.map { .string($0.description) })),
                ])
            ),
        ]
    }
}
