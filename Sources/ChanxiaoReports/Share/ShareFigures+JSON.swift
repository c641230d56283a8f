import ChanxiaoCore

extension ShareFigures {
    /// The members every share figure carries in the API, events and reports.
    public var jsonFields: [(name: String, value: JSONValue)] {
        [
            ("poverty_amount_fen", JSONValue(povertyAmountFen)), ("total_amount_fen", JSONValue(totalAmountFen)),
            ("share", JSONValue(share)), ("target", .double(target)), ("gap_fen", JSONValue(gapFen)),
        ]
    }
}

extension ShareTargetPolicy.Resolved {
    public var json: JSONValue {
        .object(["share": .double(share), "source": .string(source), "region_code": JSONValue(regionCode)])
    }
}
