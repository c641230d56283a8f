// swift-tools-version: 6.2
import PackageDescription

// Targets in layers, each depending only on those below it (docs/architecture.md lists what each
// may import; scripts/check-imports holds every target to declaring exactly what it imports):
// - pure, without I/O: Core (the domain), then Matching, Scheduling, Reports and Webhooks (one
//   stage each of catalog → match → schedule → notify → report), and Demo (the bundled catalog);
// - Config reads the configuration file and environment into those targets' settings;
// - Store (SQLite), Runtime (process plumbing) and WebhookDelivery (outgoing HTTP) do the I/O;
// - Server (the HTTP API and the daemon's services), then CLI and the executables on top;
// - Fixtures serves tests and benchmarks only.
let package = Package(
    name: "chanxiao",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chanxiao", targets: ["chanxiao"]),
        .executable(name: "chanxiao-bench", targets: ["chanxiao-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
    ],
    targets: [
        // Domain types, validation, category taxonomy, weeks and dates, CSV, access rules. No I/O.
        .target(
            name: "ChanxiaoCore"
        ),
        // Matching: filters, scorers, the flow allocator and explanations. Pure and deterministic.
        .target(
            name: "ChanxiaoMatching",
            dependencies: ["ChanxiaoCore"]
        ),
        // Scheduling: the county rotation, livestream plans, fair booths and calendar feeds. Pure and deterministic.
        .target(
            name: "ChanxiaoScheduling",
            dependencies: ["ChanxiaoCore"]
        ),
        // Reports without I/O: share targets and gaps, at-risk alerts, the weekly report and the
        // county statistics table (seed 002 annex) with their JSON, Markdown and CSV forms.
        .target(
            name: "ChanxiaoReports",
            dependencies: ["ChanxiaoCore"]
        ),
        // The configuration schema: one table of keys, parsed from YAML, env and flags, validated whole.
        .target(
            name: "ChanxiaoConfig",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoMatching",
                "ChanxiaoScheduling",
                "ChanxiaoWebhooks",
                "ChanxiaoReports",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The bundled demo catalog built from the places and organisations of the seed plans.
        .target(
            name: "ChanxiaoDemo",
            dependencies: ["ChanxiaoCore"]
        ),
        // GRDB database: migrations, records, catalog writes, import, tokens, audit, schedules.
        // Schedules are planned inside their write transaction, so hard rules hold at commit.
        .target(
            name: "ChanxiaoStore",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoScheduling",
                "ChanxiaoReports",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Fixtures for tests, fuzzers and benchmarks: the fuzz suites' seeded generator and
        // settings, and the smallest catalog that match events can be made from.
        .target(
            name: "ChanxiaoFixtures",
            dependencies: ["ChanxiaoCore", "ChanxiaoDemo", "ChanxiaoStore"]
        ),
        // Webhooks without I/O: event filters, Standard Webhooks and robot signing, chat-robot
        // messages, the address policy against SSRF, retry and rate-limit arithmetic.
        .target(
            name: "ChanxiaoWebhooks",
            dependencies: [
                "ChanxiaoCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Process plumbing shared by the daemon's services: the sd_notify protocol, worker
        // heartbeats that the watchdog and /readyz read, structured log lines (logfmt or JSON),
        // and the daemon's own metrics (recorded through swift-metrics).
        .target(
            name: "ChanxiaoRuntime",
            dependencies: [
                "ChanxiaoCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Webhook delivery: the outbox worker, the HTTP sender that checks the addresses it
        // connects to, reminders and retention, each a Service of the daemon.
        .target(
            name: "ChanxiaoWebhookDelivery",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoWebhooks",
                "ChanxiaoStore",
                "ChanxiaoRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Hummingbird application: routes, auth, problem+json, services.
        .target(
            name: "ChanxiaoServer",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoConfig",
                "ChanxiaoStore",
                "ChanxiaoMatching",
                "ChanxiaoScheduling",
                "ChanxiaoWebhooks",
                "ChanxiaoWebhookDelivery",
                "ChanxiaoReports",
                "ChanxiaoRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command line (serve, migrate, import, export, token) as a library, so tests can drive it.
        .target(
            name: "ChanxiaoCLI",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoConfig",
                "ChanxiaoStore",
                "ChanxiaoDemo",
                "ChanxiaoServer",
                "ChanxiaoMatching",
                "ChanxiaoScheduling",
                "ChanxiaoReports",
                "ChanxiaoWebhooks",
                "ChanxiaoRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "chanxiao",
            dependencies: ["ChanxiaoCLI"]
        ),
        // Benchmarks: `swift run -c release chanxiao-bench matching --tier province`.
        .executableTarget(
            name: "chanxiao-bench",
            dependencies: [
                "ChanxiaoCore", "ChanxiaoDemo", "ChanxiaoMatching", "ChanxiaoScheduling", "ChanxiaoStore", "ChanxiaoServer", "ChanxiaoConfig",
                "ChanxiaoWebhooks", "ChanxiaoWebhookDelivery", "ChanxiaoFixtures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "ChanxiaoCoreTests", dependencies: ["ChanxiaoCore"]),
        .testTarget(name: "ChanxiaoMatchingTests", dependencies: ["ChanxiaoCore", "ChanxiaoMatching", "ChanxiaoDemo"]),
        .testTarget(name: "ChanxiaoSchedulingTests", dependencies: ["ChanxiaoCore", "ChanxiaoScheduling", "ChanxiaoDemo"]),
        .testTarget(
            name: "ChanxiaoConfigTests",
            dependencies: [
                "ChanxiaoCore", "ChanxiaoMatching", "ChanxiaoConfig", "ChanxiaoDemo", "ChanxiaoFixtures", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "ChanxiaoDemoTests",
            dependencies: ["ChanxiaoCore", "ChanxiaoDemo", "ChanxiaoStore", "ChanxiaoReports"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "ChanxiaoStoreTests",
            dependencies: ["ChanxiaoCore", "ChanxiaoStore", "ChanxiaoScheduling", "ChanxiaoFixtures", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ChanxiaoServerTests",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoConfig",
                "ChanxiaoScheduling",
                "ChanxiaoStore",
                "ChanxiaoServer",
                "ChanxiaoWebhooks",
                "ChanxiaoRuntime",
                "ChanxiaoFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "ChanxiaoReportsTests", dependencies: ["ChanxiaoCore", "ChanxiaoReports"]),
        .testTarget(name: "ChanxiaoWebhooksTests", dependencies: ["ChanxiaoCore", "ChanxiaoWebhooks", "ChanxiaoDemo"]),
        .testTarget(
            name: "ChanxiaoWebhookDeliveryTests",
            dependencies: [
                "ChanxiaoCore",
                "ChanxiaoStore",
                "ChanxiaoWebhooks",
                "ChanxiaoWebhookDelivery",
                "ChanxiaoRuntime",
                "ChanxiaoFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command line, run as the built `chanxiao` executable (CLIRunner): no library to import.
        .testTarget(name: "ChanxiaoCLITests", dependencies: ["ChanxiaoRuntime", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ChanxiaoRuntimeTests", dependencies: ["ChanxiaoRuntime", .product(name: "Logging", package: "swift-log")]),
    ],
    swiftLanguageModes: [.v6]
)
