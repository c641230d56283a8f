import Foundation

/// How many cases to run and from which seeds. `CHANXIAO_FUZZ_CASES=N` sets the count (the long
/// pre-release run); `CHANXIAO_FUZZ_SEED` moves the whole series; `CHANXIAO_FUZZ_REPLAY=<seed>`
/// runs the one case a failure printed.
public enum FuzzSettings {
    public static let defaultBaseSeed: UInt64 = 0xC4A7_5EED_2020_0915

    public static func caseCount(quick: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        environment["CHANXIAO_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? quick
    }

    public static func seeds(quick: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> [UInt64] {
        if let replay = environment["CHANXIAO_FUZZ_REPLAY"].flatMap(parseSeed) { return [replay] }
        let base = baseSeed(environment: environment)
        return (0..<caseCount(quick: quick, environment: environment)).map { caseSeed(base: base, index: $0) }
    }

    public static func baseSeed(environment: [String: String] = ProcessInfo.processInfo.environment) -> UInt64 {
        environment["CHANXIAO_FUZZ_SEED"].flatMap(parseSeed) ?? defaultBaseSeed
    }

    /// Seeds far apart for neighbouring indices, so that case n+1 is not case n shifted.
    public static func caseSeed(base: UInt64, index: Int) -> UInt64 {
        var random = FuzzRandom(seed: base ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        return random.next()
    }

    public static func parseSeed(_ text: String) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasPrefix("0x") { return UInt64(trimmed.dropFirst(2).replacingOccurrences(of: "_", with: ""), radix: 16) }
        return UInt64(trimmed)
    }

    public static func hex(_ seed: UInt64) -> String {
        "0x" + String(seed, radix: 16)
    }
}
