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
        guard bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
        else { return "may contain only letters, digits and _ . : -" }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8) // Crockford base32, lower case

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

    public static func generate(prefix: String, millisecondsSince1970: UInt64) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(prefix: prefix, millisecondsSince1970: millisecondsSince1970, using: &generator)
    }
}
