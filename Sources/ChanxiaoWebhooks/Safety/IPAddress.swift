import Foundation

/// An IP address as the SSRF guard judges it: IPv4 as its 32-bit value, IPv6 as its 16 bytes.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    /// Exactly 16 bytes; use `init?(v6:)` to have that checked.
    case v6([UInt8])

    public init?(v6 bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self = .v6(bytes)
    }

    /// Dotted decimal for IPv4; RFC 5952 for IPv6 (lowercase, no leading zeros, the longest
    /// run of two or more zero groups as `::`, IPv4-mapped addresses as `::ffff:a.b.c.d`).
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dotted(value)
        case .v6(let bytes):
            guard bytes.count == 16 else { return "<malformed IPv6 address of \(bytes.count) bytes>" }
            return Self.compressed(bytes)
        }
    }

    // MARK: Parsing URL hosts

    /// The address a URL host names literally, or nil when it is a hostname (to be judged after
    /// DNS resolution) or no valid host at all.
    ///
    /// Why so lenient: resolvers (`inet_aton`, `getaddrinfo`) and URL parsers (WHATWG) accept
    /// disguised IPv4 forms — `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1` all mean
    /// 127.0.0.1 — so the guard must read them the same way or an attacker walks around it.
    public static func parseHost(_ host: String) -> IPAddress? {
        if host.hasPrefix("[") {
            guard host.count >= 2, host.hasSuffix("]") else { return nil }
            return parseV6(Substring(host).dropFirst().dropLast())
        }
        if host.contains(":") { return parseV6(Substring(host)) }
        return parseV4(normalizedV4Host(host))
    }

    /// Undo what a URL parser would undo before reading a host as IPv4: percent-encoding,
    /// full-width digits and ideographic full stops (`１２７。０。０。１`), letter case.
    private static func normalizedV4Host(_ host: String) -> String {
        var text = host.contains("%") ? (host.removingPercentEncoding ?? host) : host
        if !text.utf8.allSatisfy({ $0 < 0x80 }) {
            text = text.precomposedStringWithCompatibilityMapping.replacingOccurrences(of: "\u{3002}", with: ".")
        }
        return text.lowercased()
    }

    /// IPv4 by the WHATWG URL host rules, which agree with `inet_aton`: one to four parts, each
    /// decimal, `0x` hex or `0`-prefixed octal; the last part fills the remaining bytes.
    private static func parseV4(_ text: String) -> IPAddress? {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }  // one trailing dot is allowed
        // A host whose last label is not a number is a domain name (`1.2.3.4.example`, `0x.example`).
        guard let last = parts.last, !last.isEmpty,
            last.utf8.allSatisfy({ (0x30...0x39).contains($0) }) || v4Number(last) != nil
        else { return nil }
        guard parts.count <= 4 else { return nil }
        var numbers: [UInt64] = []
        for part in parts {
            guard let number = v4Number(part) else { return nil }
            numbers.append(number)
        }
        let leading = numbers.dropLast()
        guard leading.allSatisfy({ $0 <= 255 }) else { return nil }
        let lastNumber = numbers[numbers.count - 1]
        guard lastNumber < (UInt64(1) << (8 * (5 - numbers.count))) else { return nil }
        var value = lastNumber
        for (index, number) in leading.enumerated() {
            value += number << (8 * (3 - index))
        }
        return .v4(UInt32(value))
    }

    /// One IPv4 part: `0x…` hex (`0x` alone is 0), `0…` octal, else decimal. Nil when not a
    /// number or above 2^32 - 1 (no part may exceed that).
    private static func v4Number(_ part: Substring) -> UInt64? {
        var digits = part.utf8[...]
        var radix: UInt64 = 10
        if digits.starts(with: "0x".utf8) {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == UInt8(ascii: "0") {
            radix = 8
            digits = digits.dropFirst()
        } else if digits.isEmpty {
            return nil
        }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = hexDigit(byte), UInt64(digit) < radix else { return nil }
            value = value * radix + UInt64(digit)
            guard value <= UInt64(UInt32.max) else { return nil }
        }
        return value
    }

    /// IPv6 text (RFC 4291 §2.2) with an optional trailing dotted IPv4 and an optional zone id
    /// (`%25eth0` or `%eth0`), which is dropped: the zone picks an interface, not an address.
    private static func parseV6(_ text: Substring) -> IPAddress? {
        var text = text
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        let chars = Array(text.utf8)
        let colon = UInt8(ascii: ":")
        var groups: [UInt16] = []
        var compressAt: Int?
        var index = 0
        if chars.starts(with: [colon, colon]) {
            compressAt = 0
            index = 2
        }
        while index < chars.count {
            guard groups.count < 8 else { return nil }
            let start = index
            var value: UInt16 = 0
            while index < chars.count, index - start < 5, let digit = hexDigit(chars[index]) {
                value = value &* 16 &+ UInt16(digit)
                index += 1
            }
            if index < chars.count, chars[index] == UInt8(ascii: ".") {
                // The last 32 bits written as dotted decimal (`::ffff:127.0.0.1`).
                guard groups.count <= 6, let v4 = dottedQuad(chars[start...]) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                index = chars.count
                break
            }
            guard index > start, index - start <= 4 else { return nil }
            groups.append(value)
            if index == chars.count { break }
            guard chars[index] == colon else { return nil }
            index += 1
            if index < chars.count, chars[index] == colon {
                guard compressAt == nil else { return nil }
                compressAt = groups.count
                index += 1
            } else if index == chars.count {
                return nil  // a single trailing colon
            }
        }
        if let compressAt {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: compressAt)
        }
        guard groups.count == 8 else { return nil }
        return .v6(groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    }

    /// Strict `a.b.c.d` (decimal, four parts), as inside IPv6 text.
    private static func dottedQuad(_ chars: ArraySlice<UInt8>) -> UInt32? {
        let parts = chars.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            let number = part.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - 0x30) }
            guard number <= 255 else { return nil }
            value = value << 8 | number
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }

    // MARK: Formatting

    static func dotted(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    private static func compressed(_ bytes: [UInt8]) -> String {
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return "::ffff:" + dotted(bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        // The longest run of zero groups, the first on a tie; a lone zero group stays "0".
        var best: Range<Int>?
        var runStart: Int?
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart == nil { runStart = index }
            } else if let start = runStart {
                if index - start >= 2, index - start > (best?.count ?? 0) { best = start..<index }
                runStart = nil
            }
        }
        let hex = { (range: Range<Int>) in groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard let best else { return hex(0..<8) }
        return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<8)
    }
}
