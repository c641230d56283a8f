import ChanxiaoConfig
import ChanxiaoCore
import Foundation
import Testing

/// A key of the schema with a valid value other than its default, written as in YAML.
struct KeyValue: Sendable, CustomTestStringConvertible {
    var key: String
    var yaml: String
    var testDescription: String { "\(key): \(yaml)" }

    init(_ key: String, _ yaml: String) {
        self.key = key
        self.yaml = yaml
    }
}

/// A YAML document setting dotted keys, nested by section in the order given.
func yamlDocument(_ values: [KeyValue]) -> String {
    func emit(_ entries: [(path: [Substring], value: String)], depth: Int) -> String {
        var heads: [Substring] = []
        var groups: [Substring: [(path: [Substring], value: String)]] = [:]
        for entry in entries {
            let head = entry.path[0]
            if groups[head] == nil { heads.append(head) }
            groups[head, default: []].append((Array(entry.path.dropFirst()), entry.value))
        }
        let indent = String(repeating: "  ", count: depth)
        return heads.map { head in
            let children = groups[head]!
            if children.count == 1, children[0].path.isEmpty { return "\(indent)\(head): \(children[0].value)\n" }
            return "\(indent)\(head):\n" + emit(children, depth: depth + 1)
        }.joined()
    }
    return emit(values.map { ($0.key.split(separator: "."), $0.yaml) }, depth: 0)
}

extension ChanxiaoConfig {
    /// The value in force of one key, as `effectiveValues` lists it.
    func effectiveValue(_ key: String) -> String? {
        effectiveValues.first { $0.key == key }?.value
    }
}

/// What a reload changes: which keys apply at once, which wait for a restart, and secrets.
@Suite("ConfigChange")
struct ConfigChangeTests {
    /// Every key of `ChanxiaoConfig.restartRequiredKeys`, with a valid value other than its default.
    static let restartCases = [
        KeyValue("server.host", "0.0.0.0"),
        KeyValue("server.port", "9000"),
        KeyValue("server.shutdown_timeout_seconds", "60"),
        KeyValue("server.idle_timeout_seconds", "30"),
        KeyValue("database.path", "/tmp/chanxiao-other.sqlite"),
        KeyValue("database.busy_timeout_ms", "100"),
        KeyValue("matching.schedule.check_interval_seconds", "30"),
        KeyValue("webhooks.delivery_enabled", "false"),
        KeyValue("webhooks.maintenance_interval_seconds", "120"),
        KeyValue("metrics.host", "0.0.0.0"),
        KeyValue("metrics.port", "9100"),
    ]

    /// A sample of keys that change live, each with a valid value other than its default.
    static let liveCases = [
        KeyValue("server.max_body_bytes", "2048"),
        KeyValue("auth.token_cache_seconds", "30"),
        KeyValue("buyers.share_targets.union", "0.6"),
        KeyValue("matching.scorers.price.weight", "0.5"),
        KeyValue("matching.schedule.time", "\"07:30\""),
        KeyValue("scheduling.livestreams.prime_time", "[\"18:00-21:00\"]"),
        KeyValue("webhooks.retry_schedule", "[1m, 1h]"),
        KeyValue("webhooks.poll_interval_ms", "500"),
        KeyValue("reports.weekly.time", "\"10:30\""),
        KeyValue("logging.level", "debug"),
        KeyValue("logging.format", "json"),
        KeyValue("metrics.enabled", "false"),
        KeyValue("metrics.token", "scrape-token-0123456789"),
        KeyValue("watchdog.stall_seconds", "60"),
        KeyValue("backup.enabled", "true"),
        KeyValue("backup.directory", "/tmp/chanxiao-backups"),
        KeyValue("backup.interval_hours", "6"),
        KeyValue("backup.keep", "3"),
        KeyValue("time_zone", "UTC"),
    ]

    @Test("the tables name every restart-required key and only live keys besides")
    func tablesCoverTheSchema() {
        #expect(Set(Self.restartCases.map(\.key)) == Set(ChanxiaoConfig.restartRequiredKeys))
        #expect(Self.restartCases.count == ChanxiaoConfig.restartRequiredKeys.count)
        #expect(Set(Self.liveCases.map(\.key)).isDisjoint(with: ChanxiaoConfig.restartRequiredKeys))
        #expect(Set(Self.liveCases.map(\.key)).isSubset(of: ChanxiaoConfig.allKeys))
    }

    @Test("restart-required and secret keys are keys of the schema")
    func keysExist() {
        let all = Set(ChanxiaoConfig.allKeys)
        for key in ChanxiaoConfig.restartRequiredKeys {
            #expect(all.contains(key), "\(key) is not a key")
        }
        #expect(Set(ChanxiaoConfig.restartRequiredKeys).count == ChanxiaoConfig.restartRequiredKeys.count)
        #expect(ChanxiaoConfig.secretKeys.isSubset(of: all))
        #expect(ChanxiaoConfig.secretKeys == ["metrics.token"])
        #expect(ChanxiaoConfig.secretKeys.isDisjoint(with: ChanxiaoConfig.restartRequiredKeys))
    }

    @Test("a changed restart-required key waits for a restart and keeps its running value", arguments: restartCases)
    func restartRequired(_ test: KeyValue) throws {
        let running = ChanxiaoConfig()
        let loaded = try load(yamlDocument([test]))
        #expect(loaded.effectiveValue(test.key) != running.effectiveValue(test.key), "the table's value must differ from the default")

        let change = ConfigChange(running: running, loaded: loaded)
        #expect(change.restartRequired == [test.key])
        #expect(change.applied == [])
        #expect(!change.isEmpty)
        #expect(change.config.effectiveValue(test.key) == running.effectiveValue(test.key))
        #expect(change.config == running, "nothing else changed")
    }

    @Test("a changed live key applies at once and takes the new value", arguments: liveCases)
    func live(_ test: KeyValue) throws {
        let running = ChanxiaoConfig()
        let loaded = try load(yamlDocument([test]))
        #expect(loaded.effectiveValue(test.key) != running.effectiveValue(test.key), "the table's value must differ from the default")

        let change = ConfigChange(running: running, loaded: loaded)
        #expect(change.applied == [test.key])
        #expect(change.restartRequired == [])
        #expect(change.config.effectiveValue(test.key) == loaded.effectiveValue(test.key))
        #expect(change.config == loaded)
    }

    @Test("live and restart-required changes together are listed apart, in schema order")
    func mixed() throws {
        let running = try load(yamlDocument([KeyValue("server.port", "8181"), KeyValue("logging.level", "notice")]))
        let loaded = try load(
            yamlDocument([
                KeyValue("server.port", "9000"), KeyValue("server.max_body_bytes", "4096"),
                KeyValue("webhooks.delivery_enabled", "false"), KeyValue("webhooks.retry_schedule", "[10s]"),
                KeyValue("logging.level", "notice"), KeyValue("metrics.port", "9100"),
            ])
        )
        let change = ConfigChange(running: running, loaded: loaded)
        #expect(change.applied == ["server.max_body_bytes", "webhooks.retry_schedule"])
        #expect(change.restartRequired == ["server.port", "webhooks.delivery_enabled", "metrics.port"])
        #expect(change.config.server.port == 8181)
        #expect(change.config.webhooks.deliveryEnabled)
        #expect(change.config.metrics.port == 0)
        #expect(change.config.server.maxBodyBytes == 4096)
        #expect(change.config.webhooks.retrySchedule == [10])
        #expect(change.config.logging.level == "notice")
    }

    @Test("an identical file changes nothing")
    func identical() throws {
        let shipped = try ConfigLoader.load(file: shippedConfigPath, environment: [:])
        let unchanged = ConfigChange(running: ChanxiaoConfig(), loaded: shipped)
        #expect(unchanged.isEmpty)
        #expect(unchanged.applied == [] && unchanged.restartRequired == [])
        #expect(unchanged.config == ChanxiaoConfig())

        let text = yamlDocument(Self.restartCases + Self.liveCases)
        let running = try load(text)
        let again = ConfigChange(running: running, loaded: try load(text))
        #expect(again.isEmpty)
        #expect(again.config == running)
    }

    @Test("keepingStartupSettings(of:) takes back exactly the restart-required keys", arguments: restartCases)
    func keepingStartupSettingsRevertsRestartKeys(_ test: KeyValue) throws {
        let defaults = ChanxiaoConfig()
        let loaded = try load(yamlDocument([test]))
        let kept = loaded.keepingStartupSettings(of: defaults)
        #expect(kept.effectiveValue(test.key) == defaults.effectiveValue(test.key))
        #expect(kept == defaults)
    }

    @Test("keepingStartupSettings(of:) leaves every other key as it is")
    func keepingStartupSettingsKeepsLiveKeys() throws {
        let defaults = ChanxiaoConfig()
        for test in Self.liveCases {
            let loaded = try load(yamlDocument([test]))
            #expect(loaded.keepingStartupSettings(of: defaults) == loaded, "\(test.key) reverted")
        }
        // All at once: the restart keys revert, the live ones stay.
        let everything = try load(yamlDocument(Self.restartCases + Self.liveCases))
        let kept = everything.keepingStartupSettings(of: defaults)
        for key in ChanxiaoConfig.allKeys {
            let expected = ChanxiaoConfig.restartRequiredKeys.contains(key) ? defaults.effectiveValue(key) : everything.effectiveValue(key)
            #expect(kept.effectiveValue(key) == expected, "\(key)")
        }
        let liveOnly = try load(yamlDocument(Self.liveCases))
        #expect(kept == liveOnly)
    }

    @Test("metrics.token is redacted in the values and the canonical text, and left out of the hash")
    func tokenRedacted() throws {
        let token = "scrape-token-0123456789"
        let withToken = try load("metrics:\n  token: \(token)\n")
        #expect(withToken.metrics.token == token)
        #expect(withToken.effectiveValue("metrics.token") == "(redacted)")
        #expect(withToken.effectiveValue("metrics.token") == ConfigRedaction.placeholder)
        #expect(withToken.canonicalText.contains("metrics.token=(redacted)\n"))
        #expect(!withToken.canonicalText.contains(token))
        #expect(!withToken.effectiveValues.contains { $0.value.contains(token) })
        // Unset, it reads empty.
        #expect(ChanxiaoConfig().effectiveValue("metrics.token") == "")

        // Two configurations that differ only in the token have the same canonical text…
        let otherToken = try load("metrics:\n  token: another-token-9876543210\n")
        #expect(otherToken != withToken)
        #expect(otherToken.canonicalText == withToken.canonicalText)
        // …yet a reload that changes the token applies it.
        let change = ConfigChange(running: withToken, loaded: otherToken)
        #expect(change.applied == ["metrics.token"])
        #expect(change.restartRequired == [])
        #expect(change.config.metrics.token == "another-token-9876543210")
        // From the environment, too.
        let fromEnvironment = try load("", environment: ["CHANXIAO_METRICS_TOKEN": token])
        #expect(fromEnvironment == withToken)
    }

    @Test("a metrics.token shorter than 16 characters is refused", arguments: ["short", "fifteen-chars-x"])
    func shortToken(_ token: String) {
        let found = issues(yaml: "metrics:\n  token: \(token)\n")
        #expect(found.map(\.key) == ["metrics.token"])
        #expect(found.first?.message == "must be at least 16 characters long")
        #expect(found.first?.source == .file(path: "test.yaml", line: 2))
        #expect(!found.description.contains(token), "the refusal does not repeat the secret")
    }

    @Test("a metrics.token of 16 characters is accepted")
    func sixteenCharacterToken() throws {
        #expect(try load("metrics:\n  token: sixteen-chars-xy\n").metrics.token == "sixteen-chars-xy")
    }

    @Test(
        "metrics.port must differ from server.port on the same host",
        arguments: [
            "metrics:\n  port: 8080\n",
            "server:\n  port: 9000\nmetrics:\n  port: 9000\n",
            "server:\n  host: 0.0.0.0\n  port: 9000\nmetrics:\n  host: 0.0.0.0\n  port: 9000\n",
        ]
    )
    func samePortRefused(yaml: String) {
        let found = issues(yaml: yaml)
        #expect(found.map(\.key) == ["metrics.port"])
        #expect(found.first?.message.hasPrefix("must differ from server.port") == true)
    }

    @Test("a separate metrics listener on another port, or another host, is accepted")
    func separateListener() throws {
        let other = try load("metrics:\n  port: 9100\n")
        #expect(other.metrics.port == 9100)
        let otherHost = try load("server:\n  host: 127.0.0.1\nmetrics:\n  host: 127.0.0.2\n  port: 8080\n")
        #expect(otherHost.metrics.port == 8080)
        // Port 0 means no listener, whatever server.port is.
        #expect(try load("server:\n  port: 0\nmetrics:\n  port: 0\n").metrics.port == 0)
    }
}
