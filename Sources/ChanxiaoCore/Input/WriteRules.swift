/// Rules from the configuration that writes are checked against where the data they need is at
/// hand (inside the store's write transactions).
public struct WriteRules: Sendable, Equatable {
    /// A sale of a catalog product may cost at most this many times volume × the product's
    /// unit price, and at least that divided by it (`sales.price_factor`); 0 turns it off.
    public var salePriceFactor: Double

    public init(salePriceFactor: Double = 3) {
        self.salePriceFactor = salePriceFactor
    }
}
