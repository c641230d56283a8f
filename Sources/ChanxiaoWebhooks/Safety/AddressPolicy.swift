/// Which addresses a webhook may connect to: the guard against server-side request forgery.
///
/// A webhook URL is chosen by a user, so without this the daemon could be made to call its own
/// admin port, the cloud metadata service or anything else on the private network. Every
/// address that is not publicly routable is refused unless the operator allowlists it.
/// IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that
/// IPv4 address, since that is where the packets end up.
public struct AddressPolicy: Sendable {
    /// An allowlist entry that is neither an address nor a CIDR range.
    public struct InvalidEntry: Error, Equatable, Sendable, CustomStringConvertible {
        public let entry: String
        public let problem: String
        public var description: String { "address allowlist entry \"\(entry)\" \(problem)" }
    }

    let allowed: [AddressRange]

    /// `allowlist` holds addresses or CIDR ranges: `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    public init(allowlist: [String]) throws {
        allowed = try allowlist.map { try AddressRange.parse(entry: $0).asIPv4IfMapped }
    }

    /// Nil when the address may be connected to; else why not, naming the range, e.g.
    /// "127.0.0.1 is a loopback address (127.0.0.0/8)".
    public func refusal(for address: IPAddress) -> String? {
        if isAllowlisted(address) { return nil }
        switch address {
        case .v4(let value):
            guard let blocked = Self.blockedRange(ofV4: value) else { return nil }
            return "\(address) is \(blocked.kind) (\(blocked.range))"
        case .v6(let bytes):
            guard bytes.count == 16 else { return "\(address) is not a valid address" }
            if let blocked = Self.blockedV6.first(where: { $0.range.contains(address) }) {
                return "\(address) is \(blocked.kind) (\(blocked.range))"
            }
            if let embedding = Self.embedding(in: bytes) {
                if isAllowlisted(.v4(embedding.v4)) { return nil }
                guard let blocked = Self.blockedRange(ofV4: embedding.v4) else { return nil }
                return "\(address) is \(embedding.form.kind) (\(embedding.form.range)) of \(IPAddress.v4(embedding.v4)), "
                    + "which is \(blocked.kind) (\(blocked.range))"
            }
            if !Self.globalUnicastV6.contains(address) {
                return "\(address) is not in the global unicast range (\(Self.globalUnicastV6))"
            }
            return nil
        }
    }

    /// `refusal(for:)` for a URL host that is a literal address, in any of the forms resolvers
    /// accept (`2130706433`, `[::ffff:127.0.0.1]`, …), or `localhost` and the names under it,
    /// which name loopback by definition (RFC 6761) and so are refused unless both 127.0.0.1
    /// and ::1 may be connected to (a resolver may answer either). Nil for other hostnames:
    /// those are judged by the caller after DNS resolution, on every address they resolve to.
    public func refusal(forHost host: String) -> String? {
        if let address = IPAddress.parseHost(host) { return refusal(for: address) }
        let name = host.lowercased().hasSuffix(".") ? String(host.lowercased().dropLast()) : host.lowercased()
        guard name == "localhost" || name.hasSuffix(".localhost"),
            let refusal = ["127.0.0.1", "::1"].compactMap(IPAddress.parseHost).lazy.compactMap(refusal(for:)).first
        else { return nil }
        return "\(name) names loopback: \(refusal)"
    }

    private func isAllowlisted(_ address: IPAddress) -> Bool {
        allowed.contains { $0.contains(address) }
    }

    // MARK: The blocked ranges

    typealias Rule = (range: AddressRange, kind: String)

    /// Most specific first, so that the reason names the narrowest range.
    static let blockedV4: [Rule] = [
        (.cidr("255.255.255.255/32"), "the broadcast address"),
        (.cidr("169.254.169.254/32"), "the cloud metadata address"),
        (.cidr("0.0.0.0/8"), "a \"this network\" address"),
        (.cidr("10.0.0.0/8"), "a private address"),
        (.cidr("172.16.0.0/12"), "a private address"),
        (.cidr("192.168.0.0/16"), "a private address"),
        (.cidr("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (.cidr("127.0.0.0/8"), "a loopback address"),
        (.cidr("169.254.0.0/16"), "a link-local address"),
        (.cidr("192.0.0.0/24"), "an IETF protocol assignment address"),
        (.cidr("192.0.2.0/24"), "a documentation address"),
        (.cidr("198.51.100.0/24"), "a documentation address"),
        (.cidr("203.0.113.0/24"), "a documentation address"),
        (.cidr("198.18.0.0/15"), "a benchmarking address"),
        (.cidr("224.0.0.0/4"), "a multicast address"),
        (.cidr("240.0.0.0/4"), "a reserved address"),
    ]

    /// Checked before the IPv4-carrying forms: `::` and `::1` lie inside ::/96 but are
    /// addresses of their own.
    static let blockedV6: [Rule] = [
        (.cidr("::/128"), "the unspecified address"),
        (.cidr("::1/128"), "the loopback address"),
        (.cidr("64:ff9b:1::/48"), "a local-use NAT64 address"),
        (.cidr("fd00:ec2::254/128"), "the cloud metadata address"),
        (.cidr("fc00::/7"), "a unique local address"),
        (.cidr("fe80::/10"), "a link-local address"),
        (.cidr("fec0::/10"), "a site-local address"),
        (.cidr("ff00::/8"), "a multicast address"),
        (.cidr("2001:db8::/32"), "a documentation address"),
        (.cidr("3fff::/20"), "a documentation address"),
        (.cidr("100::/64"), "a discard-only address"),
        // Includes Teredo (2001::/32), whose embedded IPv4 is obfuscated: refuse it whole.
        (.cidr("2001::/23"), "an IETF protocol assignment address"),
    ]

    /// Everything IANA allocates for unicast lies here; the rest is reserved and never a
    /// legitimate webhook target (the IPv4-carrying forms outside it are judged before).
    static let globalUnicastV6 = AddressRange.cidr("2000::/3")

    static func blockedRange(ofV4 value: UInt32) -> Rule? {
        blockedV4.first { $0.range.contains(.v4(value)) }
    }

    // MARK: IPv6 forms that carry an IPv4 address

    /// An IPv6 address to be judged by the IPv4 address `v4` it carries in the way `form` says.
    struct Embedding {
        var form: Rule
        var v4: UInt32
    }

    static let mapped: Rule = (.cidr("::ffff:0:0/96"), "an IPv4-mapped address")
    static let compatible: Rule = (.cidr("::/96"), "an IPv4-compatible address")
    static let nat64: Rule = (.cidr("64:ff9b::/96"), "a NAT64 address")
    static let sixToFour: Rule = (.cidr("2002::/16"), "a 6to4 address")

    static func embedding(in bytes: [UInt8]) -> Embedding? {
        let address = IPAddress.v6(bytes)
        for form in [mapped, compatible, nat64] where form.range.contains(address) {
            return Embedding(form: form, v4: word(bytes, at: 12))
        }
        if sixToFour.range.contains(address) {
            return Embedding(form: sixToFour, v4: word(bytes, at: 2))  // 2002:AABB:CCDD::/48
        }
        return nil
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}

/// An address and a prefix length: `10.0.0.0/8`, `::1/128`.
struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    let base: IPAddress
    let prefixLength: Int

    var description: String { "\(base)/\(prefixLength)" }

    func contains(_ address: IPAddress) -> Bool {
        switch (base, address) {
        case (.v4(let base), .v4(let value)):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~0 << (32 - prefixLength)
            return base & mask == value & mask
        case (.v6(let base), .v6(let bytes)):
            guard bytes.count == 16 else { return false }
            return Self.samePrefix(base, bytes, bits: prefixLength)
        default:
            return false
        }
    }

    private static func samePrefix(_ a: [UInt8], _ b: [UInt8], bits: Int) -> Bool {
        for index in 0..<16 {
            let bitsHere = min(max(bits - 8 * index, 0), 8)
            guard bitsHere > 0 else { return true }
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
            if a[index] & mask != b[index] & mask { return false }
        }
        return true
    }

    /// A range from configuration: an address alone is its own /32 or /128.
    static func parse(entry: String) throws(AddressPolicy.InvalidEntry) -> AddressRange {
        let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.parseHost(String(parts[0])) else {
            throw .init(entry: entry, problem: "is not an IP address or CIDR range")
        }
        let width: Int
        switch address {
        case .v4: width = 32
        case .v6: width = 128
        }
        var prefixLength = width
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(parts[1]), (0...width).contains(length) else {
                throw .init(entry: entry, problem: "has no prefix length between 0 and \(width)")
            }
            prefixLength = length
        }
        let range = AddressRange(base: address, prefixLength: prefixLength)
        guard range.hasNoHostBits else {
            throw .init(entry: entry, problem: "has bits set beyond its /\(prefixLength) prefix")
        }
        return range
    }

    /// Whether the bits after the prefix are all zero, as a CIDR range must have them.
    private var hasNoHostBits: Bool {
        switch base {
        case .v4(let value):
            return prefixLength == 32 || value & (UInt32.max >> prefixLength) == 0
        case .v6(let bytes):
            return (0..<16).allSatisfy { index in
                let bitsHere = min(max(prefixLength - 8 * index, 0), 8)
                return bitsHere == 8 || bytes[index] & (0xFF >> bitsHere) == 0
            }
        }
    }

    /// An allowlisted `::ffff:a.b.c.d` also allows a.b.c.d, and vice versa (the judge reads
    /// mapped addresses by their IPv4), so keep such entries as IPv4.
    var asIPv4IfMapped: AddressRange {
        guard case .v6(let bytes) = base, prefixLength >= 96, AddressPolicy.mapped.range.contains(base) else { return self }
        let value = bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return AddressRange(base: .v4(value), prefixLength: prefixLength - 96)
    }

    /// A range written in this source; a typo is a programming error.
    static func cidr(_ text: String) -> AddressRange {
        do {
            return try parse(entry: text)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
