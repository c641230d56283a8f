extension Duration {
    /// The duration in seconds, fractions included: for rates, latencies and monotonic stamps.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
