/// The ranges of the prices, volumes and amounts clients write (docs/api.md, "Ranges"). They are
/// wide for farm produce sold to institutions, and chosen so that what is derived from one record
/// — a week's value at a price, a sale recorded from a match — stays a figure reports can hold
/// exactly (`Figure.limit`); sums over many records are checked where they are made.
public enum Quantity {
    /// The price of one unit (kg, jin, box, bag, bottle, piece): 1 fen to 100,000 yuan.
    public static let unitPriceFen = 1...10_000_000
    /// A product's weekly capacity or minimum order, a demand's weekly volume, a sale's volume,
    /// a venue's featured volume: up to 100 million units.
    public static let volume = 1...100_000_000
    /// A week's value of a product (`unit_price_fen × weekly_capacity`) or of a demand
    /// (`max_unit_price_fen × weekly_volume`), and one sale's amount: up to 10 billion yuan.
    public static let valueFen = 1...1_000_000_000_000

    /// The message for a price × volume beyond `valueFen`.
    public static func valueProblem(price: Int, priceField: String, volume: Int, volumeField: String) -> String? {
        let value = Int128(price) * Int128(volume)
        guard value > Int128(valueFen.upperBound) else { return nil }
        return "\(priceField) × \(volumeField) (\(price) × \(volume)) must not exceed \(valueFen.upperBound) fen (10 billion yuan a week)"
    }
}
