import ChanxiaoDemo
import Foundation

// Support for the property-based fuzz suites: a seeded generator, the case count and seed from
// the environment, a breadcrumb for crashes, shrinking and printable reproductions.
// ChanxiaoConfigTests keeps a minimal copy of `FuzzRandom` and `FuzzSettings` (a test target
// cannot import another); change both together.

/// ChanxiaoDemo's SplitMix64 (Steele, Lea and Flood, 2014): one word of state, so a case is named by its seed
/// alone. The helpers below are our own rather than `Int.random(in:using:)`, whose algorithm the
/// standard library may change: a printed seed must replay the same case on any toolchain.
struct FuzzRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// 0..<bound (Lemire's multiply-high; the bias is far below anything a test could notice).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        if width == UInt64.max { return Int(bitPattern: UInt(next())) }
        return range.lowerBound &+ Int(bitPattern: UInt(next().multipliedFullWidth(by: width &+ 1).high))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < p
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// Index chosen with the given relative weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        var roll = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }

    /// An independent generator, so that adding draws to one part of a case does not change the others.
    mutating func split() -> FuzzRandom {
        FuzzRandom(seed: next())
    }
}

/// How many cases to run and from which seeds. `CHANXIAO_FUZZ_CASES=N` sets the count (the long
/// pre-release run); `CHANXIAO_FUZZ_SEED` moves the whole series; `CHANXIAO_FUZZ_REPLAY=<seed>`
/// runs the one case a failure printed.
enum FuzzSettings {
    static let defaultBaseSeed: UInt64 = 0xC4A7_5EED_2020_0915

    static func caseCount(quick: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment["CHANXIAO_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? quick
    }

    static func seeds(quick: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> [UInt64] {
        if let replay = environment["CHANXIAO_FUZZ_REPLAY"].flatMap(parseSeed) { return [replay] }
        let base = baseSeed(environment: environment)
        return (0..<caseCount(quick: quick, environment: environment)).map { caseSeed(base: base, index: $0) }
    }

    static func baseSeed(environment: [String: String] = ProcessInfo.processInfo.environment) -> UInt64 {
        environment["CHANXIAO_FUZZ_SEED"].flatMap(parseSeed) ?? defaultBaseSeed
    }

    /// Seeds far apart for neighbouring indices, so that case n+1 is not case n shifted.
    static func caseSeed(base: UInt64, index: Int) -> UInt64 {
        var random = FuzzRandom(seed: base ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        return random.next()
    }

    static func parseSeed(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("0x") { return UInt64(trimmed.dropFirst(2).replacingOccurrences(of: "_", with: ""), radix: 16) }
        return UInt64(trimmed)
    }

    static func hex(_ seed: UInt64) -> String {
        "0x" + String(seed, radix: 16)
    }
}

/// The case being run, written to a file before it runs: a crash (a trap cannot be caught) then
/// leaves its seed and input behind. Removed when the suite ends normally.
struct FuzzBreadcrumb {
    let url: URL

    init(suite: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-fuzz-\(suite)-current-case.txt")
    }

    func record(_ text: String) {
        try? Data(text.utf8).write(to: url)
    }

    func clear() {
        try? FileManager.default.removeItem(at: url)
    }
}

enum FuzzShrink {
    /// A smaller input that still fails: first whole lines go, then ever smaller runs of bytes,
    /// each step kept while `stillFails` holds. At most `budget` attempts, so a slow property
    /// cannot make a failing run take forever.
    static func bytes(_ input: [UInt8], budget: Int = 400, stillFails: ([UInt8]) async -> Bool) async -> [UInt8] {
        var current = input
        var attempts = 0

        // Lines, last first (trailing rows rarely matter), keeping each line's own terminator.
        var lines = splitLines(current)
        var index = lines.count - 1
        while index >= 0, attempts < budget {
            var candidate = lines
            candidate.remove(at: index)
            attempts += 1
            if await stillFails(candidate.flatMap { $0 }) {
                lines = candidate
            }
            index -= 1
        }
        current = lines.flatMap { $0 }

        // Runs of bytes, halving the run length each round.
        var chunk = max(1, current.count / 2)
        while chunk >= 1, attempts < budget {
            var start = 0
            while start < current.count, attempts < budget {
                var candidate = current
                candidate.removeSubrange(start..<min(start + chunk, current.count))
                attempts += 1
                if await stillFails(candidate) { current = candidate } else { start += chunk }
            }
            if chunk == 1 { break }
            chunk /= 2
        }
        return current
    }

    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        for byte in bytes {
            line.append(byte)
            if byte == UInt8(ascii: "\n") { lines.append(line); line = [] }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

enum FuzzReproduction {
    /// Swift source for `bytes`: a string literal when they are UTF-8, else a byte array. Long
    /// inputs are cut, saying so.
    static func literal(_ bytes: [UInt8], limit: Int = 4000) -> String {
        let shown = Array(bytes.prefix(limit))
        let cut = bytes.count > limit ? " /* first \(limit) of \(bytes.count) bytes */" : ""
        if let text = String(validating: shown, as: UTF8.self) {
            return "Array(\(text.debugDescription).utf8)" + cut
        }
        return "[" + shown.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]" + cut
    }
}
