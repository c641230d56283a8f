import Foundation

/// Resource identifiers. Clients may choose them (to keep the ids of the system they import
/// from); otherwise chanxiao makes one: a kind prefix and 26 characters that sort by time,
/// so that lists ordered by id come out in order of creation.
public enum Identifier {
    public static let maxLength = 64

    public static func problem(with text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= maxLength else {
            return "must be 1 to \(maxLength) characters"
        }
        let bytes = Array(text.utf8)
        guard isAlphanumeric(bytes[0]) else { return "must start with a letter or digit" }
        guard
            bytes.allSatisfy({
                isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":")
            })
        else { return "may contain only letters, digits and _ . : -" }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)  // Crockford base32, lower case

    /// The one way chanxiao names what it creates: `prefix_` + 10 characters of the milliseconds
    /// of `date` since 1970 (plus `offset`, so that rows made in one go sort in their order) + 16
    /// random characters. Dates before 1970 count as 1970.
    public static func generate(prefix: String, at date: Date, offset: Int = 0) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(prefix: prefix, at: date, offset: offset, using: &generator)
    }

    public static func generate(prefix: String, at date: Date, offset: Int = 0, using generator: inout some RandomNumberGenerator) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let base = milliseconds.isFinite && milliseconds > 0 ? UInt64(min(milliseconds, 0x1p50)) : 0
        return generate(prefix: prefix, millisecondsSince1970: base &+ UInt64(max(0, offset)), using: &generator)
    }

    /// `prefix_` + 10 characters of milliseconds since 1970 + 16 random characters.
    public static func generate(prefix: String, millisecondsSince1970: UInt64, using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        var time = millisecondsSince1970
        var timeChars = [UInt8](repeating: 0, count: 10)
        for index in stride(from: 9, through: 0, by: -1) {
            timeChars[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        bytes.append(contentsOf: timeChars)
        for _ in 0..<16 {
            bytes.append(alphabet[Int(generator.next() & 31)])
        }
        return prefix + "_" + String(decoding: bytes, as: UTF8.self)
    }
}

extension CatalogKind {
    /// Whether a new resource of this kind without an id (absent, null or blank) gets a
    /// generated one: every kind but counties, which are named by their division code.
    public var generatesIDs: Bool { self != .county }
}
