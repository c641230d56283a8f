import ChanxiaoCore
import Foundation
import Testing
import Yams

@testable import ChanxiaoConfig  // for ConfigIssue's memberwise initialiser

/// Loads and returns the issues, or records an issue if loading succeeded.
func issues(
    yaml: String,
    path: String = "test.yaml",
    environment: [String: String] = [:],
    flags: [ConfigLoader.Flag] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) -> [ConfigIssue] {
    do {
        let config = try ConfigLoader.load(yaml: yaml, path: path, environment: environment, flags: flags)
        Issue.record("expected the configuration to be refused, got \(config)", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.issues
    }
}

func load(_ yaml: String, environment: [String: String] = [:], flags: [ConfigLoader.Flag] = []) throws -> ChanxiaoConfig {
    try ConfigLoader.load(yaml: yaml, path: "test.yaml", environment: environment, flags: flags)
}

@Suite("ConfigLoader")
struct ConfigLoaderTests {
    @Test("a file sets values")
    func fileValues() throws {
        let config = try load(
            """
            server:
              host: 0.0.0.0
              port: 9000
              max_body_bytes: 2_000_000
            database:
              path: /var/lib/chanxiao/db.sqlite
            buyers:
              share_targets:
                union: 0.6
                budget_unit: 0.1
            logging:
              level: debug
            time_zone: UTC
            """
        )
        var expected = ChanxiaoConfig()
        expected.server.host = "0.0.0.0"
        expected.server.port = 9000
        expected.server.maxBodyBytes = 2_000_000
        expected.database.path = "/var/lib/chanxiao/db.sqlite"
        expected.buyers.shareTargets[.union] = 0.6
        expected.buyers.shareTargets[.budgetUnit] = 0.1
        expected.logging.level = "debug"
        expected.timeZone = "UTC"
        #expect(config == expected)
        #expect(config.zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
    }

    struct EnvironmentCase: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var check: @Sendable (ChanxiaoConfig) -> Bool
        var testDescription: String { "\(name)=\(value)" }

        init(_ name: String, _ value: String, _ check: @escaping @Sendable (ChanxiaoConfig) -> Bool) {
            self.name = name
            self.value = value
            self.check = check
        }
    }

    @Test(
        "environment variables override keys",
        arguments: [
            EnvironmentCase("CHANXIAO_SERVER_PORT", "9090") { $0.server.port == 9090 },
            EnvironmentCase("CHANXIAO_SERVER_HOST", "::") { $0.server.host == "::" },
            EnvironmentCase("CHANXIAO_DATABASE_PATH", "/tmp/x.sqlite") { $0.database.path == "/tmp/x.sqlite" },
            EnvironmentCase("CHANXIAO_DATABASE_PATH", "") { $0.database.path == nil },
            EnvironmentCase("CHANXIAO_BUYERS_SHARE_TARGETS_UNION", "0.55") { $0.buyers.shareTargets[.union] == 0.55 },
            EnvironmentCase("CHANXIAO_BUYERS_SHARE_TARGETS_BUDGET_UNIT", "0.2") { $0.buyers.shareTargets[.budgetUnit] == 0.2 },
            EnvironmentCase("CHANXIAO_IMPORT_MAX_REPORTED_ERRORS", "10") { $0.importing.maxReportedErrors == 10 },
            EnvironmentCase("CHANXIAO_LOGGING_LEVEL", "error") { $0.logging.level == "error" },
            EnvironmentCase("CHANXIAO_TIME_ZONE", "America/New_York") { $0.timeZone == "America/New_York" },
        ]
    )
    func environment(_ test: EnvironmentCase) throws {
        let config = try load("", environment: [test.name: test.value, "PATH": "/usr/bin", "HOME": "/root", "CHANXIAO_CONFIG": "ignored.yaml"])
        #expect(test.check(config))
        // Only that key changed.
        #expect(config != ChanxiaoConfig() || test.value.isEmpty)
    }

    @Test(
        "flags beat the environment, which beats the file, which beats the defaults",
        arguments: [
            (false, false, false, 8080),
            (true, false, false, 7000),
            (true, true, false, 8000),
            (true, true, true, 9000),
            (false, true, false, 8000),
            (false, false, true, 9000),
            (true, false, true, 9000),
        ]
    )
    func precedence(file: Bool, environment: Bool, flag: Bool, port: Int) throws {
        let config = try load(
            file ? "server:\n  port: 7000\n" : "",
            environment: environment ? ["CHANXIAO_SERVER_PORT": "8000"] : [:],
            flags: flag ? [ConfigLoader.Flag(key: "server.port", flag: "port", value: "9000")] : []
        )
        #expect(config.server.port == port)
    }

    @Test("the source of a bad value is the one that won")
    func sourceOfWinningValue() {
        let found = issues(yaml: "server:\n  port: 1\n", environment: ["CHANXIAO_SERVER_PORT": "x"])
        #expect(found == [ConfigIssue(key: "server.port", message: "must be an integer, got 'x'", source: .environment("CHANXIAO_SERVER_PORT"))])
        let flagged = issues(
            yaml: "server:\n  port: x\n",
            environment: ["CHANXIAO_SERVER_PORT": "1"],
            flags: [ConfigLoader.Flag(key: "server.port", flag: "port", value: "70000")]
        )
        #expect(flagged == [ConfigIssue(key: "server.port", message: "must be from 0 to 65535, got 70000", source: .flag("port"))])
    }

    @Test(
        "unknown keys are refused with a suggestion and the file line",
        arguments: [
            ("server:\n  prot: 8080\n", "server.prot", "unknown key; did you mean server.port?", 2),
            ("sever:\n  port: 8080\n", "sever.port", "unknown key; did you mean server.port?", 2),
            ("# comment\n\ntime_zon: UTC\n", "time_zon", "unknown key; did you mean time_zone?", 3),
            ("api:\n  default_page_sise: 10\n", "api.default_page_sise", "unknown key; did you mean api.default_page_size?", 2),
            ("buyers:\n  share_targets:\n    unoin: 0.5\n", "buyers.share_targets.unoin", "unknown key; did you mean buyers.share_targets.union?", 3),
            ("server:\n  port: 8080\ncolour: red\n", "colour", "unknown key", 3),
            ("server:\n  port:\n    number: 1\n", "server.port.number", "unknown key", 3),
            ("buyers:\n  share_targets:\n    school: 0.3\n", "buyers.share_targets.school", "unknown key", 3),
        ]
    )
    func unknownKeys(yaml: String, key: String, message: String, line: Int) {
        #expect(issues(yaml: yaml) == [ConfigIssue(key: key, message: message, source: .file(path: "test.yaml", line: line))])
    }

    @Test("an unknown key given as a flag names the flag")
    func unknownFlagKey() {
        #expect(
            issues(yaml: "", flags: [ConfigLoader.Flag(key: "server.prot", flag: "prot", value: "1")])
                == [ConfigIssue(key: "server.prot", message: "unknown key; did you mean server.port?", source: .flag("prot"))]
        )
    }

    @Test("unknown CHANXIAO_ variables are refused; others are ignored")
    func unknownEnvironment() {
        let found = issues(yaml: "", environment: ["CHANXIAO_SERVER_PROT": "1", "CHANXIAO_PORT": "2", "PATH": "/bin", "chanxiao_x": "y"])
        let message = "unknown environment variable; configuration variables are CHANXIAO_ followed by a key, e.g. CHANXIAO_SERVER_PORT"
        #expect(
            found.sorted { $0.key < $1.key } == [
                ConfigIssue(key: "CHANXIAO_PORT", message: message, source: .environment("CHANXIAO_PORT")),
                ConfigIssue(key: "CHANXIAO_SERVER_PROT", message: message, source: .environment("CHANXIAO_SERVER_PROT")),
            ]
        )
    }

    @Test(
        "type and range errors name the key and the source",
        arguments: [
            ("server:\n  port: eighty\n", "server.port", "must be an integer, got 'eighty'", 2),
            ("server:\n  port: 70000\n", "server.port", "must be from 0 to 65535, got 70000", 2),
            ("server:\n  port: -1\n", "server.port", "must be from 0 to 65535, got -1", 2),
            ("server:\n  port: 80.5\n", "server.port", "must be an integer, got '80.5'", 2),
            ("server:\n  host: \"\"\n", "server.host", "must not be empty", 2),
            ("server:\n  max_body_bytes: 1023\n", "server.max_body_bytes", "must be from 1024 to 67108864, got 1023", 2),
            ("server:\n  max_import_bytes: 2000000000\n", "server.max_import_bytes", "must be from 1024 to 1073741824, got 2000000000", 2),
            ("database:\n  busy_timeout_ms: 600001\n", "database.busy_timeout_ms", "must be from 0 to 600000, got 600001", 2),
            // A revocation takes effect within a minute at most.
            ("auth:\n  token_cache_seconds: 61\n", "auth.token_cache_seconds", "must be from 0 to 60, got 61", 2),
            ("sales:\n  price_factor: 0.5\n", "sales.price_factor", "must be 0 (no check) or at least 1, got 0.5", 2),
            ("auth:\n  default_token_ttl_days: -1\n", "auth.default_token_ttl_days", "must be from 0 to 3650, got -1", 2),
            ("api:\n  max_page_size: 10001\n", "api.max_page_size", "must be from 1 to 10000, got 10001", 2),
            ("api:\n  default_page_size: 0\n", "api.default_page_size", "must be from 1 to 10000, got 0", 2),
            ("import:\n  max_reported_errors: 0\n", "import.max_reported_errors", "must be from 1 to 1000000, got 0", 2),
            ("buyers:\n  default_max_suppliers_per_category: 21\n", "buyers.default_max_suppliers_per_category", "must be from 1 to 20, got 21", 2),
            ("buyers:\n  share_targets:\n    union: 1.5\n", "buyers.share_targets.union", "must be between 0.0 and 1.0, got 1.5", 3),
            ("buyers:\n  share_targets:\n    hall: 30%\n", "buyers.share_targets.hall", "must be a number, got '30%'", 3),
            ("buyers:\n  share_targets:\n    hall: .nan\n", "buyers.share_targets.hall", "must be a number, got '.nan'", 3),
            (
                "logging:\n  level: verbose\n", "logging.level", "must be one of trace, debug, info, notice, warning, error, critical, got 'verbose'",
                2
            ),
            ("logging:\n  level: INFO\n", "logging.level", "must be one of trace, debug, info, notice, warning, error, critical, got 'INFO'", 2),
            ("server:\n  host: [a, b]\n", "server.host", "must be a single value, not a list", 2),
        ]
    )
    func typeAndRange(yaml: String, key: String, message: String, line: Int) {
        #expect(issues(yaml: yaml) == [ConfigIssue(key: key, message: message, source: .file(path: "test.yaml", line: line))])
    }

    @Test func anEmptyVariableIsUnset() throws {
        let config = try load("server:\n  port: 9000\n", environment: ["CHANXIAO_SERVER_PORT": "", "CHANXIAO_DATABASE_PATH": ""])
        #expect(config.server.port == 9000)
        #expect(config.database.path == nil)
    }

    @Test func environmentErrorsNameTheVariable() {
        #expect(
            issues(yaml: "", environment: ["CHANXIAO_API_MAX_PAGE_SIZE": "lots"])
                == [
                    ConfigIssue(
                        key: "api.max_page_size",
                        message: "must be an integer, got 'lots'",
                        source: .environment("CHANXIAO_API_MAX_PAGE_SIZE")
                    )
                ]
        )
        #expect(
            issues(yaml: "", flags: [ConfigLoader.Flag(key: "server.port", flag: "port", value: "99999")]).first?.description
                == "server.port: must be from 0 to 65535, got 99999 (flag --port)"
        )
    }

    @Test(
        "empty values take the defaults",
        arguments: [
            "",
            "~",
            "# only a comment\n",
            "server:\n  port:\n  host: ~\n",
            "server:\n  port: null\n",
            "database:\n  path:\n",
            "database:\n  path: ~\n  busy_timeout_ms:\n",
            "database:\n  # every key commented out\n",
            "server:\ndatabase:\nbuyers:\n  share_targets:\n",
        ]
    )
    func emptyValues(yaml: String) throws {
        #expect(try load(yaml) == ChanxiaoConfig())
    }

    @Test("numbers may use underscores; quoted numbers are fine")
    func numberForms() throws {
        let config = try load("server:\n  port: \"8081\"\n  max_import_bytes: 1_048_576\ndatabase:\n  busy_timeout_ms: 0\n")
        #expect(config.server.port == 8081)
        #expect(config.server.maxImportBytes == 1_048_576)
        #expect(config.database.busyTimeoutMilliseconds == 0)
    }

    @Test(
        "a document that is not a mapping is refused",
        arguments: [
            ("just text\n", 1),
            ("42\n", 1),
            ("- server\n- port\n", 1),
            ("\n\n- a\n", 3),
        ]
    )
    func notMapping(yaml: String, line: Int) {
        #expect(
            issues(yaml: yaml) == [
                ConfigIssue(
                    key: "(root)",
                    message: "the file must be a mapping of keys",
                    source: .file(path: "test.yaml", line: line)
                )
            ]
        )
    }

    @Test("text that is not YAML is refused")
    func invalidYAML() {
        let found = issues(yaml: "server: [\n  port: 1\n")
        #expect(found.count == 1)
        #expect(found.first?.key == "(file)")
        #expect(found.first?.message.hasPrefix("not valid YAML") == true)
        if case .file(let path, let line?) = found.first?.source {
            #expect(path == "test.yaml" && line >= 1)
        } else {
            Issue.record("the source should name the file and line: \(String(describing: found.first?.source))")
        }
    }

    @Test("a YAML error names the line but never quotes it: it may hold a secret")
    func invalidYAMLHidesTheLine() {
        let found = issues(yaml: "metrics:\n  token: \"s3cret-token-0123456789\n  enabled: true\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("not valid YAML") == true)
        #expect(!found.description.contains("s3cret"))
    }

    @Test("api.default_page_size must not exceed api.max_page_size")
    func pageSizes() throws {
        #expect(
            issues(yaml: "api:\n  default_page_size: 600\n")
                == [
                    ConfigIssue(
                        key: "api.default_page_size",
                        message: "must not exceed api.max_page_size (500)",
                        source: .file(path: "test.yaml", line: 2)
                    )
                ]
        )
        #expect(
            issues(yaml: "api:\n  max_page_size: 10\n")
                == [ConfigIssue(key: "api.default_page_size", message: "must not exceed api.max_page_size (10)", source: nil)]
        )
        let equal = try load("api:\n  default_page_size: 100\n  max_page_size: 100\n")
        #expect(equal.api.defaultPageSize == 100)
        #expect(equal.api.maxPageSize == 100)
    }

    @Test("an unknown time zone is refused", arguments: ["Mars/Olympus", "Asia/Beijing", "Shanghai"])
    func unknownTimeZone(zone: String) {
        #expect(
            issues(yaml: "time_zone: \(zone)\n") == [
                ConfigIssue(
                    key: "time_zone",
                    message: "unknown time zone '\(zone)'; use an IANA name such as Asia/Shanghai",
                    source: .file(path: "test.yaml", line: 1)
                )
            ]
        )
    }

    @Test("several errors are reported at once")
    func severalErrors() {
        let found = issues(
            yaml: """
                server:
                  port: eighty
                  hots: localhost
                api:
                  default_page_size: 0
                logging:
                  level: loud
                time_zone: Nowhere/Town
                """,
            environment: ["CHANXIAO_NOPE": "1", "CHANXIAO_AUTH_TOKEN_CACHE_SECONDS": "-5"]
        )
        #expect(found.count == 7)
        #expect(
            Set(found.map(\.key)) == [
                "CHANXIAO_NOPE", "server.port", "server.hots", "api.default_page_size", "logging.level",
                "auth.token_cache_seconds", "time_zone",
            ]
        )
        let error = ConfigError(issues: found)
        #expect(error.description.hasPrefix("invalid configuration:\n  - "))
        #expect(error.description.split(separator: "\n").count == 8)
        #expect(error.description.contains("  - server.port: must be an integer, got 'eighty' (test.yaml:2)"))
        #expect(error.description.contains("  - server.hots: unknown key; did you mean server.host? (test.yaml:3)"))
    }

    @Test("load(file:) reports a file it cannot read")
    func missingFile() {
        let path = "/nonexistent-\(UUID().uuidString)/chanxiao.yaml"
        do {
            let config = try ConfigLoader.load(file: path, environment: [:])
            Issue.record("loaded \(config)")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.key == "(file)")
            #expect(error.issues.first?.message.hasPrefix("cannot read \(path): ") == true)
            #expect(error.issues.first?.source == nil)
        }
    }

    @Test("load(file:) takes the path from CHANXIAO_CONFIG when no file is given")
    func fileFromEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.yaml").path
        try "server:\n  port: 7001\n  hots: x\n".write(toFile: path, atomically: true, encoding: .utf8)

        do {
            _ = try ConfigLoader.load(file: nil, environment: ["CHANXIAO_CONFIG": path])
            Issue.record("expected the unknown key to be refused")
        } catch {
            #expect(
                error.issues == [
                    ConfigIssue(
                        key: "server.hots",
                        message: "unknown key; did you mean server.host?",
                        source: .file(path: path, line: 3)
                    )
                ]
            )
        }
        try "server:\n  port: 7001\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ConfigLoader.load(file: nil, environment: ["CHANXIAO_CONFIG": path]).server.port == 7001)
        // An explicit file wins over CHANXIAO_CONFIG.
        #expect(try ConfigLoader.load(file: shippedConfigPath, environment: ["CHANXIAO_CONFIG": path]).server.port == 8080)
        // No file at all: the defaults, with the environment applied.
        #expect(try ConfigLoader.load(file: nil, environment: [:]) == ChanxiaoConfig())
        #expect(try ConfigLoader.load(file: nil, environment: ["CHANXIAO_CONFIG": ""]) == ChanxiaoConfig())
        #expect(try ConfigLoader.load(file: nil, environment: ["CHANXIAO_SERVER_PORT": "1234"]).server.port == 1234)
    }

    @Test(
        "environmentName(for:)",
        arguments: [
            ("server.port", "CHANXIAO_SERVER_PORT"),
            ("buyers.share_targets.union", "CHANXIAO_BUYERS_SHARE_TARGETS_UNION"),
            ("buyers.share_targets.budget_unit", "CHANXIAO_BUYERS_SHARE_TARGETS_BUDGET_UNIT"),
            ("time_zone", "CHANXIAO_TIME_ZONE"),
            ("import.max_reported_errors", "CHANXIAO_IMPORT_MAX_REPORTED_ERRORS"),
        ]
    )
    func environmentName(key: String, name: String) {
        #expect(ChanxiaoConfig.environmentName(for: key) == name)
    }

    @Test("every key has its own environment variable, and each one works")
    func everyKeyHasAVariable() throws {
        let names = ChanxiaoConfig.allKeys.map(ChanxiaoConfig.environmentName(for:))
        #expect(Set(names).count == names.count)
        #expect(!names.contains(ConfigLoader.fileVariable))
        // Each variable, given the text the shipped file has for its key, gives the defaults.
        let root = try #require(try Yams.compose(yaml: String(contentsOfFile: shippedConfigPath, encoding: .utf8)))
        let values = leafValues(root)
        #expect(values.count == ChanxiaoConfig.allKeys.count)
        for key in ChanxiaoConfig.allKeys {
            let name = ChanxiaoConfig.environmentName(for: key)
            let value = try #require(values[key])
            #expect(try ConfigLoader.load(yaml: "", environment: [name: value]) == ChanxiaoConfig(), "\(name)=\(value)")
        }
        // And a changed value changes the key.
        #expect(try ConfigLoader.load(yaml: "", environment: ["CHANXIAO_AUTH_DEFAULT_TOKEN_TTL_DAYS": "30"]).auth.defaultTokenTTLDays == 30)
    }

    @Test func sourceDescriptions() {
        #expect(ConfigSource.file(path: "a.yaml", line: 3).description == "a.yaml:3")
        #expect(ConfigSource.file(path: "a.yaml", line: nil).description == "a.yaml")
        #expect(ConfigSource.environment("CHANXIAO_X").description == "environment variable CHANXIAO_X")
        #expect(ConfigSource.flag("port").description == "flag --port")
        #expect(ConfigIssue(key: "k", message: "m", source: nil).description == "k: m")
        #expect(ConfigIssue(key: "k", message: "m", source: .flag("p")).description == "k: m (flag --p)")
    }

    @Test("shareTarget(for:) prefers the buyer's own target")
    func shareTarget() {
        var config = ChanxiaoConfig()
        config.buyers.shareTargets[.union] = 0.55
        #expect(config.shareTarget(for: Buyer(id: "b", name: "n", kind: .union, regionCode: "440304")) == 0.55)
        #expect(config.shareTarget(for: Buyer(id: "b", name: "n", kind: .union, regionCode: "440304", povertyShareTarget: 0.7)) == 0.7)
        #expect(config.shareTarget(for: Buyer(id: "b", name: "n", kind: .budgetUnit, regionCode: "440304")) == 0.30)
        config.buyers.shareTargets[.hall] = nil
        #expect(config.shareTarget(for: Buyer(id: "b", name: "n", kind: .hall, regionCode: "440304")) == 0)
    }
}
