import ChanxiaoCore
import ChanxiaoFixtures
import Foundation
import Testing
import Yams

@testable import ChanxiaoConfig  // for ConfigIssue's memberwise initialiser

/// A property a case broke.
struct ConfigViolation: CustomStringConvertible {
    var property: String
    var detail: String
    var description: String { "\(property): \(detail)" }
}

enum ConfigFuzzHarness {
    static let fileURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("chanxiao-config-fuzz-\(ProcessInfo.processInfo.processIdentifier).yaml")

    static func load(_ test: ConfigCase) -> Result<ChanxiaoConfig, ConfigError> {
        if let bytes = test.fileBytes {
            do { try Data(bytes).write(to: fileURL) } catch {
                return .failure(ConfigError(issues: [ConfigIssue(key: "(harness)", message: "\(error)", source: nil)]))
            }
            return Result { () throws(ConfigError) in try ConfigLoader.load(file: fileURL.path, environment: test.environment) }
        }
        return Result { () throws(ConfigError) in try ConfigLoader.load(yaml: test.yaml, path: "fuzz.yaml", environment: test.environment) }
    }

    /// Every key with its effective value, as YAML: loading it must give the same configuration.
    static func yaml(from values: [(key: String, value: String)]) -> String {
        var lines: [String] = []
        var previous: [Substring] = []
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where !ChanxiaoConfig.secretKeys.contains(key) {
            let parts = key.split(separator: ".")
            var common = 0
            while common < min(previous.count, parts.count) - 1, previous[common] == parts[common] { common += 1 }
            for level in common..<(parts.count - 1) { lines.append(String(repeating: "  ", count: level) + parts[level] + ":") }
            let text: String
            if ConfigSchema.types[key]?.isList == true {
                text = "[" + value.split(separator: ",").map { quote(String($0)) }.joined(separator: ", ") + "]"
            } else {
                text = value.isEmpty ? "" : " " + quote(value)
            }
            lines.append(String(repeating: "  ", count: parts.count - 1) + parts.last! + ":" + (text.hasPrefix("[") ? " " + text : text))
            previous = parts
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The first property `test` breaks, or nil; also the outcome, for the statistics.
    static func check(_ test: ConfigCase) -> (Result<ChanxiaoConfig, ConfigError>, ConfigViolation?, Double) {
        let clock = ContinuousClock()
        let started = clock.now
        let first = load(test)
        let seconds = (clock.now - started) / .seconds(1)
        func fail(_ property: String, _ detail: String) -> (Result<ChanxiaoConfig, ConfigError>, ConfigViolation?, Double) {
            (first, ConfigViolation(property: property, detail: detail), seconds)
        }
        if seconds > 5 { return fail("the loader answers promptly", "took \(String(format: "%.1f", seconds)) s") }

        switch first {
        case .success(let config):
            // Listed first: whatever loads is listed (hashed at start and on reload), so it must list without trapping.
            let effective = Dictionary(config.effectiveValues.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            if test.mustRefuse { return fail("a bad file is refused", "it loaded") }
            for (key, value) in test.expectedValues.sorted(by: { $0.key < $1.key }) where effective[key] != value {
                return fail(
                    "a valid file loads to its values",
                    "\(key) is \(effective[key]?.debugDescription ?? "missing"), expected \(value.debugDescription)"
                )
            }
            if test.othersDefault {
                for (key, value) in ChanxiaoConfig().effectiveValues where test.expectedValues[key] == nil && effective[key] != value {
                    return fail(
                        "a valid file loads to its values",
                        "\(key) is \(effective[key]?.debugDescription ?? "missing"), expected the default \(value.debugDescription)"
                    )
                }
            }
            if let secret = test.secret, config.canonicalText.contains(secret) {
                return fail("a secret is never shown", "the canonical text holds it")
            }
            // What the configuration says it is must read back as the same configuration.
            let written = yaml(from: config.effectiveValues)
            switch Result(catching: { () throws(ConfigError) in try ConfigLoader.load(yaml: written, path: "effective.yaml") }) {
            case .success(var again):
                var expected = config
                expected.metrics.token = nil
                again.metrics.token = nil
                if again != expected {
                    let differing = zip(again.effectiveValues, expected.effectiveValues).filter { $0.0.value != $0.1.value }.map {
                        "\($0.0.key): \($0.1.value) → \($0.0.value)"
                    }
                    return fail("effective values load back to the same configuration", differing.joined(separator: "; "))
                }
            case .failure(let error):
                return fail("effective values load back to the same configuration", "\(error) from\n\(written)")
            }

        case .failure(let error):
            if test.mustLoad { return fail("a valid file loads", error.description) }
            if error.issues.isEmpty { return fail("a refusal names the key", "no issues") }
            if let bad = error.issues.first(where: { $0.key.isEmpty }) { return fail("a refusal names the key", "an issue without a key: \(bad)") }
            // A file that is not YAML at all is refused on its own: what else is wrong cannot be told yet.
            let wholeFile = error.issues.contains { $0.key == "(file)" || $0.key == "(root)" }
            for key in test.expectedKeys
            where !error.issues.contains(where: { $0.key == key || $0.key.hasPrefix(key + ".") })
                && !(wholeFile && key != "(file)")
            {
                return fail("a refusal names the key", "\(key.prefix(200)) is not named: \(error.description.prefix(2000))")
            }
            if let secret = test.secret {
                // The whole secret, or a telling part of it, anywhere in what is logged and answered.
                let core = String(secret.dropFirst(7).prefix(10))
                if error.description.contains(secret) || error.description.contains(core) {
                    return fail("a secret is never shown", error.description.prefix(3000).description)
                }
            }
        }

        let second = load(test)
        if second != first { return fail("the same input gives the same result", "first \(first), then \(second)") }
        return (first, nil, seconds)
    }

    /// A shorter document that breaks the same property (lines first, then characters).
    static func shrink(_ test: ConfigCase, _ violation: ConfigViolation) -> String {
        // Expectations belong to the document as generated; only the general properties survive cutting it.
        guard test.fileBytes == nil,
            ![
                "a bad file is refused", "the loader answers promptly", "a valid file loads",
                "a refusal names the key", "a valid file loads to its values",
            ].contains(violation.property)
        else { return test.yaml }
        var loose = test
        loose.mustLoad = false
        loose.mustRefuse = false
        loose.expectedValues = [:]
        loose.othersDefault = false
        loose.expectedKeys = []
        func stillFails(_ text: String) -> Bool {
            loose.yaml = text
            return check(loose).1?.property == violation.property
        }
        var attempts = 0
        var lines = test.yaml.components(separatedBy: "\n")
        var index = lines.count - 1
        while index >= 0, attempts < 300 {
            var candidate = lines
            candidate.remove(at: index)
            attempts += 1
            if stillFails(candidate.joined(separator: "\n")) { lines = candidate }
            index -= 1
        }
        var text = Array(lines.joined(separator: "\n"))
        var chunk = max(1, text.count / 2)
        while attempts < 400 {
            var start = 0
            while start < text.count, attempts < 400 {
                var candidate = text
                candidate.removeSubrange(start..<min(start + chunk, text.count))
                attempts += 1
                if stillFails(String(candidate)) { text = candidate } else { start += chunk }
            }
            if chunk == 1 { break }
            chunk /= 2
        }
        return String(text)
    }
}

@Suite("Configuration fuzzing", .serialized)
struct ConfigFuzzTests {
    /// Quick enough for every `swift test`; `CHANXIAO_FUZZ_CASES` raises it.
    static let quickCases = 300

    @Test("the fuzzer's view of the schema is the schema")
    func schemaCovered() {
        #expect(Set(ConfigSchema.types.keys) == Set(ChanxiaoConfig.allKeys))
        let shipped = ShippedConfigLines(text: try! String(contentsOfFile: shippedConfigPath, encoding: .utf8))
        #expect(Set(shipped.leaves.keys) == Set(ChanxiaoConfig.allKeys))
    }

    @Test("every document loads or is refused naming its keys, promptly, the same way each time, never showing a secret")
    func loaderProperties() throws {
        let shipped = try String(contentsOfFile: shippedConfigPath, encoding: .utf8)
        let seeds = FuzzSettings.seeds(quick: Self.quickCases)
        let breadcrumb = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-fuzz-config-current-case.txt")
        var cases = 0
        var loaded = 0
        var refused = 0
        var failures = 0
        var slowest: (seed: UInt64, seconds: Double) = (0, 0)
        let clock = ContinuousClock()
        let started = clock.now
        for seed in seeds {
            let test = ConfigCaseGenerator.make(seed: seed, shipped: shipped)
            try? Data("seed \(FuzzSettings.hex(seed))\n\(test.steps.joined(separator: "\n"))\n\(test.environment)\n\(test.yaml.prefix(20000))\n".utf8)
                .write(to: breadcrumb)
            let (outcome, violation, seconds) = ConfigFuzzHarness.check(test)
            cases += 1
            if seconds > slowest.seconds { slowest = (seed, seconds) }
            if case .success = outcome { loaded += 1 } else { refused += 1 }
            guard let violation else { continue }
            failures += 1
            let shrunk = ConfigFuzzHarness.shrink(test, violation)
            let shown = shrunk.count > 4000 ? String(shrunk.prefix(4000)) + "… (\(shrunk.count) characters)" : shrunk
            Issue.record(
                Comment(
                    rawValue: """
                        Config fuzz case \(FuzzSettings.hex(seed)) breaks "\(violation.property)": \(violation.detail.prefix(3000))
                          replay: CHANXIAO_FUZZ_REPLAY=\(FuzzSettings.hex(seed)) swift test --skip-build --filter ConfigFuzzTests
                          how it was made: \(test.steps.map { $0.prefix(200) }.joined(separator: "; "))
                          environment: \(test.environment.mapValues { $0.prefix(200) })\(test.fileBytes != nil ? "\n  (loaded from a file of \(test.fileBytes!.count) bytes)" : "")
                          reproduction (\(shrunk.count) of \(test.yaml.count) characters):
                            try ConfigLoader.load(yaml: \(shown.debugDescription), path: "fuzz.yaml")
                        """
                )
            )
            if failures >= 8 { break }
        }
        try? FileManager.default.removeItem(at: breadcrumb)
        try? FileManager.default.removeItem(at: ConfigFuzzHarness.fileURL)
        let elapsed = (clock.now - started) / .seconds(1)
        let summary = """
            ConfigFuzzTests: \(cases) cases in \(String(format: "%.1f", elapsed)) s from \(seeds.count == 1 ? "case " + FuzzSettings.hex(seeds[0]) : "base seed " + FuzzSettings.hex(FuzzSettings.baseSeed())): \
            \(loaded) loaded, \(refused) refused; slowest \(String(format: "%.3f", slowest.seconds)) s (\(FuzzSettings.hex(slowest.seed)))
            """
        print(summary)
        #expect(failures == 0, Comment(rawValue: summary))
    }
}

/// Inputs the fuzzer found, kept as fixed cases: each must keep every property.
struct ConfigRegression: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    /// The refusal must name this key (or one below it); nil: the file must load.
    var key: String?
    var secret: String?
    var testDescription: String { name }

    static let secret = "S3cr3t-0123456789abc-tok"

    /// "Billion laughs": each level names the one before ten times.
    static func aliasBomb(mappings: Bool, asKeys: Bool) -> String {
        var lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = (0..<10).map { _ in "*l\(level - 1)" }
            if asKeys {
                lines.append(
                    "lol\(level): &l\(level) {" + refs.enumerated().map { "? [\($0.element), \($0.offset)] : \($0.offset)" }.joined(separator: ", ")
                        + "}"
                )
            } else if mappings {
                lines.append("lol\(level): &l\(level) {" + refs.enumerated().map { "k\($0.offset): \($0.element)" }.joined(separator: ", ") + "}")
            } else {
                lines.append("lol\(level): &l\(level) [" + refs.joined(separator: ", ") + "]")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let all: [ConfigRegression] = [
        // Yams put the whole document (token included) in the duplicate-key error.
        ConfigRegression(
            name: "a duplicate key in a file with a secret",
            yaml: "metrics:\n  token: \(secret)\nserver:\n  port: 8080\n  port: 8081\n",
            key: "(file)",
            secret: secret
        ),
        // Its keys became key names in "unknown key" errors.
        ConfigRegression(
            name: "a secret written as a mapping key",
            yaml: "metrics:\n  token: {\(secret): 1}\n",
            key: "metrics.token",
            secret: secret
        ),
        ConfigRegression(
            name: "a secret written as a mapping value",
            yaml: "metrics:\n  token: {a: \(secret)}\n",
            key: "metrics.token",
            secret: secret
        ),
        // Aliases expanded to 10^9 nodes (or were hashed whole as keys): the loader hung.
        ConfigRegression(name: "billion laughs in lists", yaml: aliasBomb(mappings: false, asKeys: false), key: "lol1"),
        ConfigRegression(name: "billion laughs in mappings", yaml: aliasBomb(mappings: true, asKeys: false), key: "lol1"),
        ConfigRegression(name: "billion laughs as keys", yaml: aliasBomb(mappings: false, asKeys: true), key: "lol1"),
        ConfigRegression(name: "an alias of a scalar", yaml: "server:\n  port: &p 8080\nmetrics:\n  port: *p\n", key: "metrics.port"),
        ConfigRegression(name: "a merge key", yaml: "base: &b {port: 1}\nserver:\n  <<: *b\n", key: "server.<<"),
        // The suggestion for an unknown key compared a megabyte of key with every key: 100 s.
        ConfigRegression(
            name: "an unknown explicit key of a million characters",
            yaml: "server:\n  ? " + String(repeating: "k", count: 1_000_000) + "\n  : 1\n",
            key: "server." + String(repeating: "k", count: 1_000_000)
        ),
        // Accepted, then trapped converting the delay to whole days whenever the values were listed.
        ConfigRegression(name: "a retry delay beyond Int", yaml: "webhooks:\n  retry_schedule: [1e300d]\n", key: "webhooks.retry_schedule"),
        ConfigRegression(name: "a retry delay of 9e18 seconds", yaml: "webhooks:\n  retry_schedule: [9e18s]\n", key: "webhooks.retry_schedule"),
        ConfigRegression(
            name: "a retry delay of 1e20 plain seconds",
            yaml: "webhooks:\n  retry_schedule: [\"1e20\"]\n",
            key: "webhooks.retry_schedule"
        ),
        ConfigRegression(name: "the longest retry delay allowed", yaml: "webhooks:\n  retry_schedule: [5s, 3650d]\n", key: nil),
        // The later spelling silently won.
        ConfigRegression(name: "a key nested and dotted", yaml: "server:\n  port: 1\nserver.port: 2\n", key: "server.port"),
        ConfigRegression(
            name: "a list nested and dotted",
            yaml: "webhooks:\n  allowlist: [127.0.0.1]\nwebhooks.allowlist: []\n",
            key: "webhooks.allowlist"
        ),
        ConfigRegression(name: "a dotted key alone", yaml: "server.port: 9000\n", key: nil),
        // Deep nesting: libyaml stops at 1000 levels; below that Yams and the loader recurse.
        ConfigRegression(
            name: "lists 999 deep",
            yaml: "server:\n  port: " + String(repeating: "[", count: 999) + "1" + String(repeating: "]", count: 999) + "\n",
            key: "server.port"
        ),
        ConfigRegression(
            name: "mappings 999 deep",
            yaml: "server:\n  port: " + String(repeating: "{a: ", count: 999) + "1" + String(repeating: "}", count: 999) + "\n",
            key: "server.port"
        ),
        ConfigRegression(
            name: "lists 5000 deep",
            yaml: "server:\n  port: " + String(repeating: "[", count: 5000) + "1" + String(repeating: "]", count: 5000) + "\n",
            key: "(file)"
        ),
    ]
}

extension ConfigFuzzTests {
    @Test("inputs the fuzzer found", arguments: ConfigRegression.all)
    func regression(_ regression: ConfigRegression) {
        var test = ConfigCase(seed: 0, yaml: regression.yaml)
        test.mustLoad = regression.key == nil
        test.mustRefuse = regression.key != nil
        test.expectedKeys = regression.key.map { [$0] } ?? []
        test.secret = regression.secret
        let (_, violation, seconds) = ConfigFuzzHarness.check(test)
        #expect(violation == nil, Comment(rawValue: violation?.description.prefix(2000).description ?? ""))
        #expect(seconds < 2)
    }

    @Test("the messages of the new refusals")
    func refusalMessages() {
        #expect(
            issues(yaml: "metrics:\n  token: \(ConfigRegression.secret)\nserver:\n  port: 8080\n  port: 8081\n", path: "fuzz.yaml")
                == [ConfigIssue(key: "(file)", message: "not valid YAML: duplicate key port", source: .file(path: "fuzz.yaml", line: 4))]
        )
        #expect(
            issues(yaml: "server:\n  port: &p 8080\nmetrics:\n  port: *p\n", path: "fuzz.yaml") == [
                ConfigIssue(
                    key: "metrics.port",
                    message: "YAML aliases (*p) are not supported; write the value out",
                    source: .file(path: "fuzz.yaml", line: 4)
                )
            ]
        )
        #expect(
            issues(yaml: "metrics:\n  token: {\(ConfigRegression.secret): 1}\n", path: "fuzz.yaml")
                == [ConfigIssue(key: "metrics.token", message: "must be a single value, not a mapping", source: .file(path: "fuzz.yaml", line: 2))]
        )
        #expect(
            issues(yaml: "server:\n  port: 1\nserver.port: 2\n", path: "fuzz.yaml")
                == [
                    ConfigIssue(key: "server.port", message: "is set twice; it is also set at fuzz.yaml:2", source: .file(path: "fuzz.yaml", line: 3))
                ]
        )
        #expect(
            issues(yaml: "webhooks:\n  retry_schedule: [1e300d]\n", path: "fuzz.yaml") == [
                ConfigIssue(
                    key: "webhooks.retry_schedule",
                    message: "each item must be a delay such as 5s, 30m, 2h or 1d, at most 3650d; not: 1e300d",
                    source: .file(path: "fuzz.yaml", line: 2)
                )
            ]
        )
    }
}
