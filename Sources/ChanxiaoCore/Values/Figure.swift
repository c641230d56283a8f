/// The integer figures chanxiao reports — sums of money in fen, of volumes, and what is derived
/// from them — are exact, and stay within ±(2^53 − 1): the integers every JSON reader holds
/// exactly, JavaScript's doubles included. A figure that would go beyond is refused with
/// `FigureOutOfRange` rather than written rounded, wrapped or trapped on.
///
/// Every figure is kept within the limit at every step, so adding two figures never overflows
/// `Int` before the check; products of two stored values (price × volume) are computed in 128 bits.
public enum Figure {
    /// 2^53 − 1 = 9,007,199,254,740,991.
    public static let limit = 9_007_199_254_740_991

    /// `value` as a reported figure, or `FigureOutOfRange` naming `figure` of `subject`.
    public static func checked(_ value: Int128, _ figure: String, of subject: String) throws(FigureOutOfRange) -> Int {
        guard value <= Int128(limit), value >= -Int128(limit) else { throw FigureOutOfRange(figure: figure, subject: subject) }
        return Int(value)
    }

    public static func checked(_ value: Int, _ figure: String, of subject: String) throws(FigureOutOfRange) -> Int {
        try checked(Int128(value), figure, of: subject)
    }

    /// `a + b` as a figure.
    public static func sum(_ a: Int, _ b: Int, _ figure: String, of subject: String) throws(FigureOutOfRange) -> Int {
        try checked(Int128(a) + Int128(b), figure, of: subject)
    }

    /// `a × b` as a figure (an amount from a volume and a unit price).
    public static func product(_ a: Int, _ b: Int, _ figure: String, of subject: String) throws(FigureOutOfRange) -> Int {
        try checked(Int128(a) * Int128(b), figure, of: subject)
    }
}

/// A figure that cannot be reported exactly: it would exceed `Figure.limit`. It names the figure
/// and what it is of, so that whoever reads the refusal can narrow the request (a shorter
/// period, one region) or find the records to correct.
public struct FigureOutOfRange: Error, Sendable, Equatable, CustomStringConvertible {
    /// The member as reports name it, e.g. `capacity_amount_fen`.
    public var figure: String
    /// What it is of, e.g. `county 451026` or `the totals`.
    public var subject: String

    public init(figure: String, subject: String) {
        self.figure = figure
        self.subject = subject
    }

    public var description: String {
        "\(figure) of \(subject) would exceed \(Figure.limit), the largest figure chanxiao reports exactly"
    }
}
