import ChanxiaoConfig
import ChanxiaoDemo
import ChanxiaoFixtures
import Foundation

// MARK: The schema, as the fuzzer sees it

/// What a key accepts (from ChanxiaoConfig+Keys.swift); the suite checks that it covers the
/// schema exactly, so a new key cannot go unfuzzed.
enum ConfigKeyType {
    case integer(ClosedRange<Int>)
    case decimal(ClosedRange<Double>)
    case boolean
    case choice([String])
    /// Any text but empty.
    case text
    /// Any text; empty means unset.
    case optionalText
    case secret(minimumLength: Int)
    /// A non-empty list of names from the set.
    case names([String])
    /// A list of free-form items: some valid and some not, as examples.
    case items(valid: [String], invalid: [String])
    case clock
    case timeZone

    var isList: Bool {
        switch self {
        case .names, .items: true
        default: false
        }
    }
}

enum ConfigSchema {
    static let statuses = ["national", "provincial", "deep", "lifted", "none"]
    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    static let types: [String: ConfigKeyType] = {
        var t: [String: ConfigKeyType] = [
            "server.host": .text, "server.port": .integer(0...65535), "server.max_body_bytes": .integer(1024...67_108_864),
            "server.max_import_bytes": .integer(1024...1_073_741_824), "server.shutdown_timeout_seconds": .integer(1...3600),
            "server.idle_timeout_seconds": .integer(1...3600),
            "database.path": .optionalText, "database.busy_timeout_ms": .integer(0...600_000),
            "auth.token_cache_seconds": .integer(0...60), "auth.default_token_ttl_days": .integer(0...3650),
            "auth.failure_limit": .integer(0...10_000), "auth.failure_window_seconds": .integer(1...86_400),
            "auth.backoff_seconds": .integer(1...86_400), "auth.backoff_max_seconds": .integer(1...86_400),
            "api.default_page_size": .integer(1...10_000), "api.max_page_size": .integer(1...10_000),
            "import.max_reported_errors": .integer(1...1_000_000),
            "import.bound_max_bytes": .integer(1024...1_073_741_824), "import.bound_max_rows": .integer(1...10_000_000),
            "sales.price_factor": .decimal(0...1000),
            "certification.notice_days": .integer(1...90),
            "buyers.default_max_suppliers_per_category": .integer(1...20),
            "buyers.regional_share_targets": .items(
                valid: ["440300 budget_unit 0.30", "450000 0.20", "341125 union 1"],
                invalid: ["999999 0.3", "440300 1.5", "440300 teacher 0.3", "x", "440300"]
            ),
            "matching.eligible_statuses": .names(statuses),
            "matching.scorers.price.enabled": .boolean, "matching.scorers.price.weight": .decimal(0...10),
            "matching.scorers.paired.enabled": .boolean, "matching.scorers.paired.discount": .decimal(0...0.9),
            "matching.scorers.deep_poverty.enabled": .boolean, "matching.scorers.deep_poverty.discount": .decimal(0...0.9),
            "matching.scorers.slow_moving.enabled": .boolean, "matching.scorers.slow_moving.discount": .decimal(0...0.9),
            "matching.scorers.slow_moving.weeks": .integer(1...52), "matching.scorers.slow_moving.below_share": .decimal(0...1),
            "matching.scorers.spread.enabled": .boolean, "matching.scorers.spread.first_share": .decimal(0...1),
            "matching.scorers.spread.first_surcharge": .decimal(0...10), "matching.scorers.spread.second_share": .decimal(0...1),
            "matching.scorers.spread.second_surcharge": .decimal(0...10),
            "matching.proposals.expire_after_hours": .integer(1...1440),
            "matching.schedule.enabled": .boolean, "matching.schedule.weekday": .choice(weekdays), "matching.schedule.time": .clock,
            "matching.schedule.check_interval_seconds": .integer(1...3600),
            "scheduling.rotation.eligible_statuses": .names(statuses), "scheduling.rotation.search_passes": .integer(0...1000),
            "scheduling.livestreams.allow_paid": .boolean,
            "scheduling.livestreams.prime_time": .items(
                valid: ["19:00-22:00", "12:00-13:30", "00:00-24:00"],
                invalid: ["25:00-26:00", "22:00-19:00", "7pm", "19:00"]
            ),
            "scheduling.livestreams.start_step_minutes": .integer(5...240), "scheduling.livestreams.max_duration_minutes": .integer(15...1440),
            "scheduling.fairs.deep_poverty_priority": .integer(0...100), "scheduling.fairs.paired_priority": .integer(0...100),
            "scheduling.fairs.default_min_poverty_share": .decimal(0...1), "scheduling.fairs.default_max_booths_per_applicant": .integer(1...10_000),
            "webhooks.delivery_enabled": .boolean, "webhooks.timeout_seconds": .decimal(0.1...300),
            "webhooks.retry_schedule": .items(
                valid: ["5s", "30m", "2h", "1d", "90", "0.5s", "1.5m"],
                invalid: ["5 parsecs", "-1s", "soon", "1e400s", "s", "1e300d", "9e18s", "1e20"]
            ),
            "webhooks.retry_jitter": .decimal(0...1), "webhooks.retry_after_min_seconds": .decimal(0...86400),
            "webhooks.retry_after_max_seconds": .decimal(0...604_800), "webhooks.disable_after_hours": .decimal(0.001...8760),
            "webhooks.secret_overlap_hours": .decimal(0...720), "webhooks.secret_bytes": .integer(24...64),
            "webhooks.reminder_lead_minutes": .items(valid: ["1", "60", "43200"], invalid: ["0", "43201", "1.5", "x", "-5"]),
            "webhooks.retention_days": .integer(1...3650), "webhooks.concurrency": .integer(1...1024),
            "webhooks.per_endpoint_concurrency": .integer(1...1024), "webhooks.default_rate_limit_per_minute": .integer(0...1_000_000),
            "webhooks.robot_digest_max": .integer(1...1000), "webhooks.response_body_limit_bytes": .integer(0...1_048_576),
            "webhooks.allowlist": .items(
                valid: ["127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1", "192.168.1.0/24"],
                invalid: ["not-an-ip", "10.0.0.0/33", "300.1.1.1", "fd00::/129", "10.1.2.3/8"]
            ),
            "webhooks.poll_interval_ms": .integer(10...60_000), "webhooks.maintenance_interval_seconds": .integer(1...3600),
            "reports.weekly.enabled": .boolean, "reports.weekly.weekday": .choice(weekdays), "reports.weekly.time": .clock,
            "reports.target_period": .choice(["year", "quarter", "month"]), "reports.at_risk.margin": .decimal(0...1),
            "reports.at_risk.min_total_fen": .integer(1...1_000_000_000_000), "reports.at_risk.max_matches": .integer(0...100),
            "reports.sales_from_matches": .boolean,
            "reports.slow_moving_networks": .items(valid: ["shenzhen-1+10", "广州", "a b"], invalid: []),
            "logging.level": .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            "logging.format": .choice(["logfmt", "json"]),
            "metrics.enabled": .boolean, "metrics.token": .secret(minimumLength: 16), "metrics.host": .text, "metrics.port": .integer(0...65535),
            "watchdog.stall_seconds": .integer(5...86_400),
            "backup.enabled": .boolean, "backup.directory": .optionalText, "backup.interval_hours": .integer(1...8760),
            "backup.keep": .integer(1...1000), "time_zone": .timeZone,
        ]
        for kind in ["canteen", "union", "center", "supermarket", "counter", "hall", "budget_unit"] {
            t["buyers.share_targets.\(kind)"] = .decimal(0...1)
        }
        for weight in ["deep_poverty_weight", "paired_weight", "category_repeat_weight", "slow_moving_weight", "keep_published_weight"] {
            t["scheduling.rotation.\(weight)"] = .decimal(0...100)
        }
        for weight in ["prime_time_weight", "same_day_weight", "host_load_weight"] {
            t["scheduling.livestreams.\(weight)"] = .decimal(0...100)
        }
        return t
    }()

    /// Valid values that other keys' defaults still allow (a page size within the maximum, a
    /// second spread share above the first, …), so that one changed key keeps the file valid.
    static func validRange(_ key: String) -> ClosedRange<Double>? {
        let defaults = ChanxiaoConfig()
        switch key {
        case "api.default_page_size": return 1...Double(defaults.api.maxPageSize)
        case "api.max_page_size": return Double(defaults.api.defaultPageSize)...10_000
        case "matching.scorers.spread.first_share": return 0...defaults.matching.spread.secondShare
        case "matching.scorers.spread.second_share": return defaults.matching.spread.firstShare...1
        case "matching.scorers.spread.first_surcharge": return 0...defaults.matching.spread.secondSurcharge
        case "matching.scorers.spread.second_surcharge": return defaults.matching.spread.firstSurcharge...10
        case "webhooks.retry_after_max_seconds": return defaults.webhooks.retryAfterMinSeconds...604_800
        case "webhooks.retry_after_min_seconds": return 0...defaults.webhooks.retryAfterMaxSeconds
        case "auth.backoff_seconds": return 1...Double(defaults.auth.backoffMaxSeconds)
        case "auth.backoff_max_seconds": return Double(defaults.auth.backoffSeconds)...86_400
        // 0 turns the check off; between 0 and 1 is refused.
        case "sales.price_factor": return 1...1000
        default: return nil
        }
    }
}

// MARK: The shipped file, line by line

/// config/chanxiao.yaml with the line of each key, for edits that keep its layout and comments.
struct ShippedConfigLines {
    var lines: [String]
    /// Key → (line index, indentation).
    var leaves: [String: (line: Int, indent: Int)]

    init(text: String) {
        lines = text.components(separatedBy: "\n")
        leaves = [:]
        var stack: [(indent: Int, name: String)] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let indent = line.prefix { $0 == " " }.count
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let name = String(trimmed[..<colon])
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let key = (stack.map(\.name) + [name]).joined(separator: ".")
            stack.append((indent, name))
            if ConfigSchema.types[key] != nil { leaves[key] = (index, indent) }
        }
    }

    var text: String { lines.joined(separator: "\n") }

    mutating func setValue(_ key: String, _ value: String) {
        guard let (line, indent) = leaves[key] else { return }
        let name = key.split(separator: ".").last!
        lines[line] = String(repeating: " ", count: indent) + name + ":" + (value.isEmpty ? "" : " " + value)
    }
}

// MARK: Cases

struct ConfigCase: Sendable {
    var seed: UInt64
    var yaml: String
    /// Load through a file holding these bytes instead (text that is not UTF-8).
    var fileBytes: [UInt8]?
    var environment: [String: String] = [:]
    var steps: [String] = []
    /// Valid by construction: it must load.
    var mustLoad = false
    /// When it loads: these keys have these effective values, and (with `othersDefault`) every other key its default.
    var expectedValues: [String: String] = [:]
    var othersDefault = false
    /// Must be refused, naming each of these keys (or a key below it).
    var mustRefuse = false
    var expectedKeys: [String] = []
    /// A secret in the input that no error text may contain.
    var secret: String?
}

struct ConfigCaseGenerator {
    var random: FuzzRandom
    let shipped: String

    static func make(seed: UInt64, shipped: String) -> ConfigCase {
        var generator = ConfigCaseGenerator(random: FuzzRandom(seed: seed), shipped: shipped)
        return generator.build(seed: seed)
    }

    mutating func build(seed: UInt64) -> ConfigCase {
        var test = ConfigCase(seed: seed, yaml: "")
        var file = ShippedConfigLines(text: shipped)
        var randomDocument = false
        var byteChange: Int?
        switch random.weighted([12, 16, 18, 16, 10, 14, 6, 8]) {
        case 0:
            test.steps.append("the shipped file")
            test.mustLoad = true
            test.othersDefault = true
        case 1:
            test.mustLoad = true
            test.othersDefault = true
            var keys = Array(ConfigSchema.types.keys).sorted()
            random.shuffle(&keys)
            for key in keys.prefix(1 + random.below(3)) {
                let (text, effective) = validValue(key)
                file.setValue(key, text)
                test.steps.append("\(key): \(text.prefix(80))")
                if let effective { test.expectedValues[key] = effective } else { test.othersDefault = false }
            }
            if test.expectedValues.keys.contains(where: { ConfigSchema.validRange($0) != nil }), test.expectedValues.count > 1 {
                test.mustLoad = false  // two linked keys changed together may contradict each other
                test.othersDefault = false
                test.expectedValues = [:]
            }
        case 2:
            test.mustRefuse = true
            var keys = Array(ConfigSchema.types.keys).sorted()
            random.shuffle(&keys)
            for key in keys where test.expectedKeys.count < 1 + random.below(3) {
                guard let text = invalidValue(key) else { continue }
                file.setValue(key, text)
                test.expectedKeys.append(key)
                test.steps.append("\(key): \(text.prefix(80))\(text.count > 80 ? "… (\(text.count) characters)" : "")")
            }
            if test.expectedKeys.isEmpty { test.mustRefuse = false }
        case 3:
            structuralChange(&file, &test)
        case 4:
            test.steps.append("the shipped file, damaged")
            var text = file.text
            for _ in 0..<(1 + random.below(4)) { test.steps.append(damage(&text)) }
            file = ShippedConfigLines(text: text)
        case 5:
            test.yaml = self.randomDocument()
            test.steps.append("a random document")
            randomDocument = true
        case 6:
            environmentChange(&test)
        default:
            // Applied after the secret is planted, so that the bytes hold it.
            byteChange = random.below(4)
            if byteChange == 1 {
                test.mustLoad = true
                test.othersDefault = true
            }  // a byte-order mark only
        }
        if !randomDocument {
            if test.secret == nil, !test.expectedKeys.contains("metrics.token"), random.chance(0.35) { plantSecret(&file, &test) }
            if let byteChange { bytesChange(byteChange, &file, &test) }
            test.yaml = file.text
            if test.mustLoad || test.mustRefuse || random.chance(0.3) { rewrite(&test) }
        }
        return test
    }

    // MARK: Values

    /// A valid value as YAML, and the effective value it should give (nil when not predicted).
    mutating func validValue(_ key: String) -> (String, String?) {
        let type = ConfigSchema.types[key]!
        switch type {
        case .integer(let range):
            var bounds = range
            if let linked = ConfigSchema.validRange(key) { bounds = Int(linked.lowerBound)...Int(linked.upperBound) }
            if key == "metrics.port" { bounds = 0...8079 }
            let value = random.pick([bounds.lowerBound, bounds.upperBound, random.int(in: bounds)])
            let text: String =
                switch random.below(4) {
                case 0: "\"\(value)\""
                case 1 where value >= 1000: grouped(value)
                default: String(value)
                }
            return (text, String(value))
        case .decimal(let range):
            let bounds = ConfigSchema.validRange(key) ?? range
            let inside = bounds.lowerBound + (bounds.upperBound - bounds.lowerBound) * Double(random.below(1001)) / 1000
            let value: Double = random.pick([bounds.lowerBound, bounds.upperBound, min(max(inside, bounds.lowerBound), bounds.upperBound)])
            let text = random.chance(0.2) ? String(format: "%e", value) : "\(value)"
            return (random.chance(0.2) ? "\"\(text)\"" : text, "\(Double(text)!)")
        case .boolean:
            let text = random.pick(["true", "false", "yes", "no", "on", "off", "True", "FALSE", "\"1\"", "\"0\""])
            return (text, ["true", "yes", "on", "1"].contains(text.lowercased().replacingOccurrences(of: "\"", with: "")) ? "true" : "false")
        case .choice(let allowed):
            let value = random.pick(allowed)
            return (value, value)
        case .text:
            let value = random.pick(["localhost", "0.0.0.0", "::", "chanxiao.example.cn", "主机", "a b", "x:y"])
            return (quoted(value), value)
        case .optionalText:
            let value = random.pick(["/var/lib/chanxiao/db.sqlite", "relative/path", "/tmp/定远 县/x", "C:\\data"])
            return (quoted(value), value)
        case .secret:
            return (quoted("valid-secret-token-\(random.next() % 1_000_000)"), "(redacted)")
        case .names(let allowed):
            var chosen = allowed.filter { _ in random.chance(0.5) }
            if chosen.isEmpty { chosen = [random.pick(allowed)] }
            random.shuffle(&chosen)
            let text = random.chance(0.5) ? "[" + chosen.joined(separator: ", ") + "]" : quoted(chosen.joined(separator: ","))
            return (text, allowed.filter(chosen.contains).joined(separator: ","))
        case .items(let valid, _):
            let chosen = (0..<random.below(4)).map { _ in random.pick(valid) }
            return ("[" + chosen.map(quoted).joined(separator: ", ") + "]", nil)
        case .clock:
            let minute = random.below(1440)
            let text = String(format: "%02d:%02d", minute / 60, minute % 60)
            return (quoted(text), text)
        case .timeZone:
            let zone = random.pick(["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin", "Asia/Urumqi"])
            return (zone, zone)
        }
    }

    /// A value the key refuses, as YAML; nil when the key has none (free text).
    mutating func invalidValue(_ key: String) -> String? {
        let type = ConfigSchema.types[key]!
        // Shapes no scalar key takes.
        if random.chance(0.15), !type.isList { return random.pick(["[1, 2]", "[]", "[a]"]) }
        switch type {
        case .integer(let range):
            return random.pick([
                "abc", "1.5", "\(range.upperBound + 1)", "\(range.lowerBound - 1)", "9223372036854775808",
                "-9223372036854775809", "0x10", ".nan", "1e3", "\"\"", "'12 monkeys'", "١٢", "_", "∞",
                String(repeating: "9", count: 1000 + random.below(100_000)),
            ])
        case .decimal(let range):
            return random.pick([
                ".nan", ".inf", "-.inf", "abc", "1e400", "50%", "\(range.upperBound * 2 + 1)", "\(range.lowerBound - 1)",
                "0,5", "\"\"", "NaN",
            ])
        case .boolean:
            return random.pick(["maybe", "2", "tru", "yess", "\"\"", "null_value", "是"])
        case .choice:
            return random.pick(["bogus", "\"\"", "Monday", "INFO", "yearly"])
        case .text:
            return "\"\""
        case .optionalText:
            return random.chance(0.5) ? nil : "[a, b]"
        case .secret(let minimum):
            return quoted(String(repeating: "k", count: 1 + random.below(minimum - 1)))
        case .names:
            return random.pick(["[bogus]", "bogus", "[national, bogus]", "[[national]]", "[]", "[{a: 1}]"])
        case .items(_, let invalid):
            if invalid.isEmpty { return random.chance(0.5) ? "[[a]]" : "[{a: 1}]" }
            return "[" + quoted(random.pick(invalid)) + "]"
        case .clock:
            return quoted(random.pick(["25:00", "9am", "24:00", "12:60", "1200", "-1:00", ""]))
        case .timeZone:
            return random.pick(["Mars/Olympus", "Asia/Beijing", "\"\"", "../../etc/passwd", "Asia/Shanghai/../Shanghai"])
        }
    }

    func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert("_", at: index)
            index -= 3
        }
        return String(digits)
    }

    /// A YAML double-quoted scalar.
    func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: Structure

    mutating func structuralChange(_ file: inout ShippedConfigLines, _ test: inout ConfigCase) {
        let keys = Array(file.leaves.keys).sorted()
        guard keys.count > 1 else { return }
        let key = random.pick(keys)
        let (line, indent) = file.leaves[key]!
        let pad = String(repeating: " ", count: indent)
        let leaf = String(key.split(separator: ".").last!)
        let parent = key.split(separator: ".").dropLast().joined(separator: ".")
        func path(_ name: String) -> String { parent.isEmpty ? name : parent + "." + name }
        switch random.below(12) {
        case 11:
            // The same key again, spelt with dots at the top level: YAML sees two different keys.
            file.lines.append(key + ": " + validValue(key).0)
            test.mustRefuse = true
            test.expectedKeys = [key]
            test.steps.append("\(key) set again as a dotted key")
        case 0:
            let name = random.pick(["bogus", "colour", "port_", "Port", "max-body-bytes", "定"])
            file.lines.insert(pad + name + ": 1", at: line + 1)
            test.mustRefuse = true
            test.expectedKeys = [path(name)]
            test.steps.append("unknown key \(path(name))")
        case 1:
            var letters = Array(leaf)
            guard letters.count > 2 else { return }
            let index = random.below(letters.count - 1)
            letters.swapAt(index, index + 1)
            let misspelt = String(letters)
            guard misspelt != leaf else { return }
            file.lines[line] = file.lines[line].replacingOccurrences(of: leaf + ":", with: misspelt + ":")
            test.mustRefuse = true
            test.expectedKeys = [path(misspelt)]
            test.steps.append("misspelt \(key) as \(path(misspelt))")
        case 2:
            file.lines.insert(file.lines[line], at: line + 1)
            test.mustRefuse = true
            test.expectedKeys = ["(file)"]
            test.steps.append("\(key) twice")
        case 3:
            let depth = random.pick([10, 100, 500, 999, 1001, 5000])
            let flow = random.chance(0.5)
            let nested =
                flow
                ? String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
                : String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            file.setValue(key, nested)
            test.mustRefuse = true
            test.steps.append("\(key) nested \(depth) deep (\(flow ? "lists" : "mappings"))")
        case 4:
            // Anchors and aliases: a plain reuse, and the "billion laughs" expansion.
            test.mustRefuse = true
            if random.chance(0.3) {
                file.setValue(key, "&shared " + (validValue(key).0))
                let other = random.pick(keys.filter { $0 != key })
                file.setValue(other, "*shared")
                test.expectedKeys = [other]
                test.steps.append("\(other) is an alias of \(key)")
            } else {
                file.lines.append(contentsOf: billionLaughs(levels: 6 + random.below(5), asKeys: random.chance(0.3), mappings: random.chance(0.5)))
                test.steps.append("an alias bomb at the end")
            }
        case 5:
            let size = random.pick([10_000, 100_000, 1_000_000, 4_000_000])
            let value = String(repeating: random.pick(["x", "9", "长", " x"]), count: size)
            file.setValue(key, quoted(value))
            test.steps.append("\(key) holds \(size) characters")
        case 6:
            let size = random.pick([1_000, 100_000, 1_000_000])
            let name = String(repeating: random.pick(["k", "长", "_"]), count: size)
            // An implicit key may be at most 1024 characters long in YAML; an explicit one (`? key`) has no limit.
            file.lines.insert(random.chance(0.5) ? pad + name + ": 1" : pad + "? " + name + "\n" + pad + ": 1", at: line + 1)
            test.mustRefuse = true
            test.expectedKeys = [path(name)]
            test.steps.append("a key of \(size) characters")
        case 7:
            // A section given a scalar or a list.
            let section = String(key.split(separator: ".").first!)
            guard let sectionLine = file.lines.firstIndex(of: section + ":") else { return }
            file.lines[sectionLine] = section + ": " + random.pick(["5", "[a, b]", "\"text\""])
            test.mustRefuse = true
            test.steps.append("section \(section) given a value")
        case 8:
            file.setValue(key, "{" + random.pick(["a: 1", "port: 1", "\(leaf): 1"]) + "}")
            test.mustRefuse = true  // a scalar key has no keys below it, nor has a list
            test.expectedKeys = [key]
            test.steps.append("\(key) given a mapping")
        case 9:
            file.setValue(key, random.pick(["!!binary aGVsbG8=", "!!int 5", "!custom 5", "!!str 5", "!!float 0.5", "!!null ''", "!!bool yes"]))
            test.steps.append("\(key) with a tag")
        default:
            file.lines.insert("---", at: 0)
            if random.chance(0.5) {
                file.lines.append("---\nserver:\n  port: 1")
                test.mustRefuse = true
                test.expectedKeys = ["(file)"]
            }
            test.steps.append("document markers")
        }
    }

    func billionLaughs(levels: Int, asKeys: Bool, mappings: Bool) -> [String] {
        var lines = ["lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for level in 1..<levels {
            let refs = (0..<10).map { _ in "*l\(level - 1)" }
            if asKeys {
                lines.append("lol\(level): &l\(level) {" + (0..<10).map { "? [\(refs[$0]), \($0)] : \($0)" }.joined(separator: ", ") + "}")
            } else if mappings {
                lines.append("lol\(level): &l\(level) {" + refs.enumerated().map { "k\($0.offset): \($0.element)" }.joined(separator: ", ") + "}")
            } else {
                lines.append("lol\(level): &l\(level) [" + refs.joined(separator: ", ") + "]")
            }
        }
        return lines
    }

    // MARK: Secrets

    /// Writes a secret into metrics.token in one of the forms a person might (some invalid),
    /// and often spoils another line, so that an error is reported while the secret is there.
    mutating func plantSecret(_ file: inout ShippedConfigLines, _ test: inout ConfigCase) {
        let secret = "S3cr3t-" + String(random.next() | (1 << 63), radix: 36) + "-tok"  // 24 characters
        test.secret = secret
        let form = random.below(9)
        let value: String =
            switch form {
            case 0: secret
            case 1: quoted(secret)
            case 2: "[" + secret + "]"
            case 3: "{" + secret + ": 1}"
            case 4: "\"" + secret  // never closed
            case 5: "|\n    " + secret
            case 6: secret + ": x"
            case 7: "[" + secret
            default: "{a: " + secret + "}"
            }
        file.setValue("metrics.token", value)
        test.steps.append("metrics.token: \(value.debugDescription)")
        if [2, 3, 4, 6, 7, 8].contains(form) {
            test.mustLoad = false
            test.expectedValues = [:]
            test.othersDefault = false
        }
        if test.mustLoad { test.expectedValues["metrics.token"] = "(redacted)" }
        let others = Array(file.leaves.keys).sorted().filter { $0 != "metrics.token" }
        if random.chance(0.5), !others.isEmpty {
            // Another problem, so that the error text is written while the secret is in the file.
            let line = file.leaves[random.pick(others)]!.line
            let spoiled = random.pick([file.lines[line], file.lines[line] + " ]", "  bogus: 1", "\t" + file.lines[line]])
            file.lines.insert(spoiled, at: line + 1)
            test.mustLoad = false
            test.expectedValues = [:]
            test.othersDefault = false
            test.steps.append("and line \(line + 2): \(spoiled.debugDescription)")
        }
    }

    // MARK: Environment and bytes

    mutating func environmentChange(_ test: inout ConfigCase) {
        let key = random.pick(Array(ConfigSchema.types.keys).sorted())
        let name = ChanxiaoConfig.environmentName(for: key)
        if random.chance(0.5) {
            var (text, effective) = validValue(key)
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\"", with: "") }
            test.environment[name] = text
            test.mustLoad = !text.isEmpty && !text.contains("\\")
            // A list's effective value is written in canonical units, not predicted here.
            test.othersDefault = test.mustLoad && effective != nil
            if test.mustLoad, let effective { test.expectedValues[key] = effective }
            test.steps.append("\(name)=\(text)")
        } else if var text = invalidValue(key), !text.hasPrefix("["), text != "\"\"" {
            // YAML quotes are not quotes in a variable: they would count as characters.
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
            test.environment[name] = text
            test.mustRefuse = true
            test.expectedKeys = [key]
            test.steps.append("\(name)=\(text.prefix(80))")
        } else {
            let bogus = "CHANXIAO_" + random.pick(["SERVER_PROT", "PORT", "METRICS_TOKEN_FILE", "X"])
            test.environment[bogus] = "1"
            test.mustRefuse = true
            test.expectedKeys = [bogus]
            test.steps.append("\(bogus)=1")
        }
    }

    /// The file as bytes that are not all text: loaded through `load(file:)`.
    mutating func bytesChange(_ change: Int, _ file: inout ShippedConfigLines, _ test: inout ConfigCase) {
        var bytes = Array(file.text.utf8)
        let position = random.below(bytes.count + 1)
        switch change {
        case 0:
            let sequences: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0x80], [0xE5, 0xAE], [0xED, 0xA0, 0x80], [0xFE, 0xFF]]
            let sequence = random.pick(sequences)
            bytes.insert(contentsOf: sequence, at: position)
            test.mustRefuse = true
            test.expectedKeys = ["(file)"]
            test.steps.append("invalid UTF-8 \(sequence) at byte \(position)")
        case 1:
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
            test.steps.append("a byte-order mark")
        case 2:
            bytes.insert(0, at: position)
            test.steps.append("NUL at byte \(position)")
        default:
            bytes = Array(bytes.prefix(position))
            test.steps.append("cut at byte \(position)")
        }
        test.fileBytes = bytes
    }

    // MARK: Damage and harmless rewrites

    mutating func damage(_ text: inout String) -> String {
        var lines = text.components(separatedBy: "\n")
        let index = random.below(lines.count)
        switch random.below(9) {
        case 0:
            lines.remove(at: index)
            text = lines.joined(separator: "\n")
            return "line \(index + 1) removed"
        case 1:
            lines.insert(lines[index], at: index)
            text = lines.joined(separator: "\n")
            return "line \(index + 1) twice"
        case 2:
            let other = random.below(lines.count)
            lines.swapAt(index, other)
            text = lines.joined(separator: "\n")
            return "lines \(index + 1) and \(other + 1) swapped"
        case 3:
            lines[index] = random.pick([" ", "  ", "\t", ""]) + lines[index]
            text = lines.joined(separator: "\n")
            return "line \(index + 1) indented"
        case 4:
            var scalars = Array(text.unicodeScalars)
            let position = random.below(scalars.count + 1)
            scalars.insert(
                random.pick([
                    ":", "-", "[", "{", "\"", "'", "&", "*", "!", "|", ">", "%", "@", "`", "#", "?", ",", "\t", "\u{0}", "\u{FEFF}", "\u{85}",
                    "\u{2028}",
                ]),
                at: position
            )
            text = String(String.UnicodeScalarView(scalars))
            return "a character at \(position)"
        case 5:
            var scalars = Array(text.unicodeScalars)
            guard !scalars.isEmpty else { return "nothing" }
            let position = random.below(scalars.count)
            scalars.removeSubrange(position..<min(scalars.count, position + 1 + random.below(20)))
            text = String(String.UnicodeScalarView(scalars))
            return "characters removed at \(position)"
        case 6:
            text = String(text.prefix(random.below(text.count + 1)))
            return "cut short"
        case 7:
            lines[index] = lines[index].replacingOccurrences(of: ": ", with: random.pick([":", " : ", ":\t", ": : "]))
            text = lines.joined(separator: "\n")
            return "line \(index + 1) colon changed"
        default:
            lines.insert(random.pick(["- a", "? x", "!!map", "%YAML 1.1", "<<: {a: 1}", "...", "---"]), at: index)
            text = lines.joined(separator: "\n")
            return "a YAML directive at line \(index + 1)"
        }
    }

    /// Rewrites that keep the meaning: comments and blank lines out, CRLF line ends, sections in another order, trailing spaces.
    mutating func rewrite(_ test: inout ConfigCase) {
        guard test.fileBytes == nil else { return }
        if random.chance(0.3) {
            test.yaml = test.yaml.components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(
                separator: "\n"
            )
            test.steps.append("comments removed")
        }
        if random.chance(0.3) {
            // Top-level sections, each with its indented and comment lines, in another order.
            var preamble: [String] = []
            var blocks: [[String]] = []
            for line in test.yaml.components(separatedBy: "\n") {
                let startsSection = line.first.map { $0 != " " && $0 != "#" && $0 != "\t" && $0 != "\r" } ?? false
                if startsSection {
                    blocks.append([line])
                } else if blocks.isEmpty {
                    preamble.append(line)
                } else {
                    blocks[blocks.count - 1].append(line)
                }
            }
            random.shuffle(&blocks)
            test.yaml = (preamble + blocks.flatMap { $0 }).joined(separator: "\n")
            test.steps.append("sections reordered")
        }
        if random.chance(0.2) {
            test.yaml = test.yaml.components(separatedBy: "\n").map { $0.isEmpty || $0.hasSuffix("|") ? $0 : $0 + "  " }.joined(separator: "\n")
            test.steps.append("trailing spaces")
        }
        if random.chance(0.3) {
            test.yaml = test.yaml.replacingOccurrences(of: "\n", with: "\r\n")
            test.steps.append("CRLF line ends")
        }
    }

    // MARK: Random documents

    static let keyWords = [
        "server", "port", "host", "metrics", "token", "buyers", "share_targets", "union", "matching", "scorers",
        "webhooks", "retry_schedule", "time_zone", "logging", "level", "backup", "x", "", "~", "null", "1", "a.b",
        "<<", "定远", "key with spaces", "\"quoted\"", "'single'", "-", "?",
    ]
    static let scalars = [
        "1", "-1", "0", "8080", "65536", "1.5", "1e3", ".nan", ".inf", "-.inf", "0x1F", "0o17", "1_000", "true", "no",
        "on", "~", "null", "", "\"\"", "''", "2020-09-01", "19:00", "[]", "{}", "!!binary aGVsbG8=", "!x y", "&a v",
        "*a", "\"tab\\there\"", "'it''s'", "定远县", "🍚", "|", ">", "\"\\u0000\"", "%", "@", "`x`", "9999999999999999999999",
    ]

    mutating func randomDocument() -> String {
        var lines: [String] = []
        for _ in 0..<(1 + random.below(8)) { appendNode(to: &lines, indent: 0, depth: 0, inMapping: true) }
        return lines.joined(separator: random.chance(0.2) ? "\r\n" : "\n")
    }

    mutating func appendNode(to lines: inout [String], indent: Int, depth: Int, inMapping: Bool) {
        let pad = String(repeating: " ", count: indent)
        let lead = inMapping ? pad + random.pick(Self.keyWords) + ":" : pad + "-"
        switch depth > 4 ? 0 : random.below(5) {
        case 0, 1:
            lines.append(lead + " " + random.pick(Self.scalars))
        case 2:
            lines.append(lead)
            for _ in 0..<(1 + random.below(4)) { appendNode(to: &lines, indent: indent + 2, depth: depth + 1, inMapping: true) }
        case 3:
            lines.append(lead)
            for _ in 0..<(1 + random.below(4)) { appendNode(to: &lines, indent: indent + 2, depth: depth + 1, inMapping: false) }
        default:
            let items = (0..<random.below(5)).map { _ in random.pick(Self.scalars.filter { !$0.contains(",") }) }
            lines.append(
                lead + " "
                    + (random.chance(0.5)
                        ? "[" + items.joined(separator: ", ") + "]"
                        : "{" + items.enumerated().map { "k\($0.offset): \($0.element)" }.joined(separator: ", ") + "}")
            )
        }
    }
}
