import ChanxiaoDemo

/// ChanxiaoDemo's SplitMix64 (Steele, Lea and Flood, 2014): one word of state, so a case is named by its seed
/// alone. The helpers below are our own rather than `Int.random(in:using:)`, whose algorithm the
/// standard library may change: a printed seed must replay the same case on any toolchain.
public struct FuzzRandom: Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    /// 0..<bound (Lemire's multiply-high; the bias is far below anything a test could notice).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        if width == UInt64.max { return Int(bitPattern: UInt(next())) }
        return range.lowerBound &+ Int(bitPattern: UInt(next().multipliedFullWidth(by: width &+ 1).high))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// Index chosen with the given relative weights.
    public mutating func weighted(_ weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }

    /// An independent generator, so that adding draws to one part of a case does not change the others.
    public mutating func split() -> FuzzRandom {
        FuzzRandom(seed: next())
    }
}
