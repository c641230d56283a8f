import ChanxiaoCore
import Foundation

/// Where a configuration value came from, so that an error can say which line or variable to fix.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case file(path: String, line: Int?)
    case environment(String)
    case flag(String)

    public var description: String {
        switch self {
        case .file(let path, let line?): "\(path):\(line)"
        case .file(let path, nil): path
        case .environment(let name): "environment variable \(name)"
        case .flag(let name): "flag --\(name)"
        }
    }
}

/// One problem with one key.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var message: String
    public var source: ConfigSource?

    public init(key: String, message: String, source: ConfigSource?) {
        self.key = key
        self.message = message
        self.source = source
    }

    public var description: String {
        if let source { return "\(key): \(message) (\(source))" }
        return "\(key): \(message)"
    }
}

/// A configuration that cannot be used, with every problem found.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }
    public var description: String {
        "invalid configuration:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

public enum ConfigRedaction {
    /// What a secret's value reads as in listings.
    public static let placeholder = "(redacted)"
}

/// Reads typed values from flattened `section.key` strings, recording which keys were asked
/// for and every problem, like `FieldReader` does for API input.
struct ConfigReader {
    struct Value {
        var text: String?
        var source: ConfigSource?
        /// The items of a YAML list (`[a, b]`); lists from the environment are comma-separated text.
        var items: [String]? = nil
    }

    private var values: [String: Value]
    private(set) var requestedKeys: [String] = []
    /// Each key with the value in force, written canonically, in schema order.
    private(set) var effective: [(key: String, value: String)] = []
    private(set) var issues: [ConfigIssue] = []

    init(values: [String: Value]) {
        self.values = values
    }

    mutating func fail(_ key: String, _ message: String) {
        issues.append(ConfigIssue(key: key, message: message, source: values[key]?.source))
    }

    private mutating func text(_ key: String) -> String? {
        requestedKeys.append(key)
        if values[key]?.items != nil {
            fail(key, "must be a single value, not a list")
            return nil
        }
        return values[key]?.text
    }

    private mutating func record<Value>(_ key: String, _ value: Value) -> Value {
        effective.append((key, "\(value)"))
        return value
    }

    mutating func string(_ key: String, default defaultValue: String) -> String {
        guard let text = text(key) else { return record(key, defaultValue) }
        if text.isEmpty {
            fail(key, "must not be empty")
            return record(key, defaultValue)
        }
        return record(key, text)
    }

    mutating func optionalString(_ key: String, default defaultValue: String?) -> String? {
        let value = text(key).flatMap { $0.isEmpty ? nil : $0 } ?? defaultValue
        effective.append((key, value ?? ""))
        return value
    }

    /// A secret: recorded as `(redacted)` when set, so it shows in no listing and no hash.
    mutating func secret(_ key: String, default defaultValue: String?, minimumLength: Int) -> String? {
        var value = defaultValue
        if let text = text(key), !text.isEmpty {
            if text.count < minimumLength { fail(key, "must be at least \(minimumLength) characters long") } else { value = text }
        }
        effective.append((key, value == nil ? "" : ConfigRedaction.placeholder))
        return value
    }

    mutating func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        record(key, parseInt(key, default: defaultValue, in: range))
    }

    private mutating func parseInt(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = text(key) else { return defaultValue }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            fail(key, "must be an integer, got '\(text)'")
            return defaultValue
        }
        guard range.contains(value) else {
            fail(key, "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
            return defaultValue
        }
        return value
    }

    mutating func decimal(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>) -> Double {
        record(key, parseDecimal(key, default: defaultValue, in: range))
    }

    private mutating func parseDecimal(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>) -> Double {
        guard let text = text(key) else { return defaultValue }
        guard let value = Double(text), value.isFinite else {
            fail(key, "must be a number, got '\(text)'")
            return defaultValue
        }
        guard range.contains(value) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
            return defaultValue
        }
        return value
    }

    mutating func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let text = text(key) else { return record(key, defaultValue) }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return record(key, true)
        case "false", "no", "off", "0": return record(key, false)
        default:
            fail(key, "must be true or false, got '\(text)'")
            return record(key, defaultValue)
        }
    }

    mutating func oneOf(_ key: String, default defaultValue: String, _ allowed: [String]) -> String {
        guard let text = text(key) else { return record(key, defaultValue) }
        guard allowed.contains(text) else {
            fail(key, "must be one of \(allowed.joined(separator: ", ")), got '\(text)'")
            return record(key, defaultValue)
        }
        return record(key, text)
    }

    /// A list of names, each from `allowed`: a YAML list, or comma-separated text. The result
    /// follows `allowed`'s order, without repeats.
    mutating func list(_ key: String, default defaultValue: [String], allowed: [String]) -> [String] {
        requestedKeys.append(key)
        var result = defaultValue
        if let value = values[key], value.text != nil || value.items != nil {
            let items = (value.items ?? value.text!.split(separator: ",").map(String.init))
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let unknown = items.filter { !allowed.contains($0) }
            if unknown.isEmpty {
                result = allowed.filter(items.contains)
            } else {
                fail(
                    key,
                    "unknown \(unknown.count == 1 ? "value" : "values") \(unknown.joined(separator: ", ")); allowed: \(allowed.joined(separator: ", "))"
                )
            }
        }
        effective.append((key, result.joined(separator: ",")))
        return result
    }

    /// A list of free-form items, each checked by `valid`: a YAML list, or comma-separated text.
    mutating func textList(_ key: String, default defaultValue: [String], expected: String, valid: (String) -> Bool) -> [String] {
        requestedKeys.append(key)
        var result = defaultValue
        if let value = values[key], value.text != nil || value.items != nil {
            let items = (value.items ?? value.text!.split(separator: ",").map(String.init))
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let bad = items.filter { !valid($0) }
            if bad.isEmpty { result = items } else { fail(key, "each item must be \(expected); not: \(bad.joined(separator: ", "))") }
        }
        effective.append((key, result.joined(separator: ",")))
        return result
    }

    /// `<prefix>.weekday` (monday … sunday) and `<prefix>.time` (HH:MM, local time).
    mutating func weeklyMoment(_ prefix: String, default defaultValue: WeeklyMoment) -> WeeklyMoment {
        let names = WeeklyMoment.weekdayNames
        let weekday = oneOf("\(prefix).weekday", default: names[defaultValue.weekday - 1], names)
        var moment = WeeklyMoment(weekday: (names.firstIndex(of: weekday) ?? 0) + 1, minute: defaultValue.minute)
        let time = string("\(prefix).time", default: ClockTime.text(defaultValue.minute))
        if let minute = ClockTime.minutes(time), minute < 1440 {
            moment.minute = minute
        } else {
            fail("\(prefix).time", "must be a time of day written HH:MM, got '\(time)'")
        }
        return moment
    }

    /// Keys present in the input that the schema never asked for.
    mutating func rejectUnknownKeys() {
        let known = Set(requestedKeys)
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where !known.contains(key) {
            // An empty section (`database:` with every key commented out) takes the defaults.
            if value.text == nil, known.contains(where: { $0.hasPrefix(key + ".") }) { continue }
            let suggestion = Self.closest(to: key, in: known).map { "; did you mean \($0)?" } ?? ""
            issues.append(ConfigIssue(key: key, message: "unknown key" + suggestion, source: value.source))
        }
    }

    private static func closest(to key: String, in known: Set<String>) -> String? {
        // Judge closeness by the last component: long sections must not make distant leaves look alike.
        let leaf = key.split(separator: ".").last.map(String.init) ?? key
        let limit = max(2, leaf.count / 3)
        let length = key.count
        var best: (key: String, distance: Int)?
        for candidate in known.sorted() {
            // The distance is at least the difference in length: skipping what cannot be close
            // keeps a huge unknown key from costing length × length work per candidate.
            guard abs(candidate.count - length) <= limit else { continue }
            let distance = editDistance(key, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.key
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [Int](repeating: 0, count: b.count + 1)
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
