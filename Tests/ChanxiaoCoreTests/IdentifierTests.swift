import ChanxiaoCore
import Foundation
import Testing

@Suite("Identifier")
struct IdentifierTests {
    static let tooLong = String(repeating: "a", count: 65)

    @Test(
        "problem(with:)",
        arguments: [
            ("sup_01", nil),
            ("a", nil),
            ("9", nil),
            ("ACME-2020.v1:rice", nil),
            ("a_b-c.d:e", nil),
            (String(repeating: "a", count: 64), nil),
            ("", "must be 1 to 64 characters"),
            (tooLong, "must be 1 to 64 characters"),
            ("_a", "must start with a letter or digit"),
            ("-a", "must start with a letter or digit"),
            (".a", "must start with a letter or digit"),
            (":a", "must start with a letter or digit"),
            ("米", "must start with a letter or digit"),
            ("a b", "may contain only letters, digits and _ . : -"),
            ("a/b", "may contain only letters, digits and _ . : -"),
            ("a?b", "may contain only letters, digits and _ . : -"),
            ("a#", "may contain only letters, digits and _ . : -"),
            ("a%20", "may contain only letters, digits and _ . : -"),
            ("a\n", "may contain only letters, digits and _ . : -"),
            ("a米", "may contain only letters, digits and _ . : -"),
            ("é", "must start with a letter or digit"),
        ] as [(String, String?)]
    )
    func problem(text: String, expected: String?) {
        #expect(Identifier.problem(with: text) == expected)
    }

    @Test("a long non-ASCII identifier is measured in bytes")
    func measuredInBytes() {
        // 22 three-byte characters after one letter: 67 bytes.
        #expect(Identifier.problem(with: "a" + String(repeating: "米", count: 22)) == "must be 1 to 64 characters")
    }

    /// A deterministic generator so that the random part of ids can be asserted.
    struct Counter: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 1
            return state
        }
    }

    static let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")

    @Test("generate: prefix, underscore, 10 time characters and 16 random ones", arguments: ["sup", "prd", "dem", "cty", "buy"])
    func format(prefix: String) throws {
        var generator = Counter(state: 0)
        let id = Identifier.generate(prefix: prefix, millisecondsSince1970: 1_600_000_000_000, using: &generator)
        #expect(id.hasPrefix(prefix + "_"))
        let body = id.dropFirst(prefix.count + 1)
        #expect(body.count == 26)
        #expect(body.allSatisfy { Self.alphabet.contains($0) })
        #expect(Identifier.problem(with: id) == nil)
        // The random part takes the low five bits of each draw: 1, 2, … 16.
        #expect(body.suffix(16) == "123456789abcdefg")
    }

    @Test(
        "the time part is the milliseconds in Crockford base32",
        arguments: [
            (UInt64(0), "0000000000"),
            (UInt64(1), "0000000001"),
            (UInt64(31), "000000000z"),
            (UInt64(32), "0000000010"),
            (UInt64(1_600_000_000_000), "01ej3px000"),
            ((UInt64(1) << 50) - 1, "zzzzzzzzzz"),
        ]
    )
    func timePart(milliseconds: UInt64, expected: String) {
        var generator = Counter(state: 0)
        let id = Identifier.generate(prefix: "x", millisecondsSince1970: milliseconds, using: &generator)
        #expect(id.dropFirst(2).prefix(10) == expected)
    }

    @Test("ids sort in order of creation time")
    func sortsByTime() {
        var generator = SystemRandomNumberGenerator()
        var times: [UInt64] = [0, 1, 31, 32, 1023, 1024, 999_999, 1_600_000_000_000, 1_600_000_000_001, 1_700_000_000_000, 4_102_444_800_000]
        var state: UInt64 = 12345
        for _ in 0..<200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            times.append(state >> 22)  // < 2^42 ms, about year 2109
        }
        let sortedTimes = Array(Set(times)).sorted()
        let ids = sortedTimes.map { Identifier.generate(prefix: "prd", millisecondsSince1970: $0, using: &generator) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test("a date gives its milliseconds, an offset adds to them, and a date before 1970 counts as 1970")
    func fromDates() {
        var generator = Counter(state: 0)
        let epoch = Identifier.generate(prefix: "x", at: Date(timeIntervalSince1970: -86_400), using: &generator)
        #expect(epoch.dropFirst(2).prefix(10) == "0000000000")
        let later = Identifier.generate(prefix: "x", at: Date(timeIntervalSince1970: 1_600_000_000), offset: 33, using: &generator)
        #expect(later.dropFirst(2).prefix(10) == "01ej3px011")
    }

    @Test("the default generator gives different ids in the same millisecond")
    func randomPart() {
        let ids = (0..<50).map { _ in Identifier.generate(prefix: "dem", at: Date(timeIntervalSince1970: 1_600_000_000)) }
        #expect(Set(ids).count == 50)
        #expect(Set(ids.map { $0.prefix(14) }) == ["dem_01ej3px000"])
    }
}
