import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoServer
import Foundation
import HTTPTypes
import Synchronization
import Testing

/// Reload, the configuration in force, metrics and readiness, through the API.
@Suite struct OperationsAPITests {
    /// A configuration file the test rewrites, read again at each reload.
    final class ConfigFile: Sendable {
        let path = NSTemporaryDirectory() + "chanxiao-reload-\(UUID().uuidString.prefix(8)).yaml"

        init(_ text: String) throws {
            try write(text)
        }

        func write(_ text: String) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        var source: @Sendable () throws -> ChanxiaoConfig {
            let path = self.path
            return { try ConfigLoader.load(file: path, environment: [:]) }
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("a reload applies live keys at once, keeps startup keys and reports them; match runs record the new hash")
    func reloadApplies() async throws {
        let file = try ConfigFile("auth:\n  token_cache_seconds: 0\n")
        defer { file.remove() }
        let app = try await TestApp(configure: { $0 = try! file.source() }, configSource: file.source)
        let before = try await app.send(.get, "/v1/admin/config").object
        #expect(before["hash"] == .string(ConfigDigest.hash(app.config.current)))

        try file.write(
            """
            auth:
              token_cache_seconds: 0
            server:
              port: 9999
            matching:
              scorers:
                price:
                  weight: 0.5
            """
        )
        let pending = try await app.send(.get, "/v1/admin/config").object
        #expect(pending["restart_required"] == .array([.string("server.port")]))
        #expect(pending["hash"] == before["hash"], "reading the config changes nothing")

        let response = try await app.send(.post, "/v1/admin/reload")
        #expect(response.status == .ok, "\(response.text)")
        let body = response.object
        #expect(body["outcome"] == .string("applied"))
        #expect(body["applied"]?.array?.contains(.string("matching.scorers.price.weight")) == true)
        #expect(body["restart_required"] == .array([.string("server.port")]))
        #expect(app.config.current.server.port == 8080, "the port in force stays until a restart")
        #expect(body["hash"] != before["hash"])

        let run = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W37","dry_run":true}"#).object
        #expect(run["config_hash"] == body["hash"])
    }

    @Test("a bad file is rejected whole with each key and reason; the configuration in force stays")
    func reloadRejects() async throws {
        let file = try ConfigFile("auth:\n  token_cache_seconds: 0\n")
        defer { file.remove() }
        let app = try await TestApp(configure: { $0 = try! file.source() }, configSource: file.source)
        let before = app.config.current
        try file.write(
            """
            auth:
              token_cache_seconds: 0
            logging:
              level: chatty
            matching:
              scorers:
                price:
                  weight: -1
            webhooks:
              retry_schedul: [1m]
            """
        )
        let response = try await app.send(.post, "/v1/admin/reload")
        #expect(response.status == .unprocessableContent)
        #expect(response.isProblem)
        #expect(response.object["type"] == .string("urn:chanxiao:problem:config-rejected"))
        #expect(Set(response.errorFields) == ["logging.level", "matching.scorers.price.weight", "webhooks.retry_schedul"])
        #expect(app.config.current == before)
        let metrics = try await app.send(.get, "/metrics").text
        #expect(metrics.contains(#"chanxiao_config_reloads_total{outcome="rejected"}"#))
    }

    @Test("the configuration shows secrets redacted, and its hash leaves them out")
    func redaction() async throws {
        let app = try await TestApp { $0.metrics.token = "scrape-secret-0123456789" }
        let response = try await app.send(.get, "/v1/admin/config")
        #expect(!response.text.contains("scrape-secret-0123456789"))
        let values = try #require(response.object["values"]?.objectValue)
        #expect(values["metrics.token"] == .string("(redacted)"))
        #expect(values["server.port"] == .string("8080"))
        var other = app.config.current
        other.metrics.token = "another-secret-0123456789"
        #expect(ConfigDigest.hash(other) == ConfigDigest.hash(app.config.current))
    }

    @Test("/metrics answers the metrics token or an admin token, in Prometheus text format")
    func metricsAccess() async throws {
        let token = "scrape-secret-0123456789"
        let app = try await TestApp { $0.metrics.token = token }
        _ = try await app.send(.get, "/v1/counties")
        let scraped = try await app.send(.get, "/metrics", as: .none, headers: [.authorization: "Bearer \(token)"])
        #expect(scraped.status == .ok)
        #expect(scraped.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = scraped.text
        for name in [
            "http_server_requests_total", "http_server_request_duration_seconds_bucket", "chanxiao_webhook_queue_depth",
            "chanxiao_webhook_oldest_pending_age_seconds", "chanxiao_database_size_bytes", "chanxiao_match_runs_total",
            "chanxiao_build_info",
        ] {
            #expect(text.contains(name), "\(name) missing")
        }
        #expect(text.contains(#"route="/v1/counties""#))
        // The seeded match run left three pending deliveries.
        #expect(text.contains("chanxiao_webhook_queue_depth 3"))
        #expect(try await app.send(.get, "/metrics", as: .none, headers: [.authorization: "Bearer wrong-secret-0123456789"]).status == .unauthorized)
        #expect(try await app.send(.get, "/metrics", as: .organizer).status == .forbidden)
        #expect(try await app.send(.get, "/metrics", as: .admin).status == .ok)
    }

    @Test("metrics.enabled off hides /metrics")
    func metricsOff() async throws {
        let app = try await TestApp { $0.metrics.enabled = false }
        #expect(try await app.send(.get, "/metrics").status == .notFound)
    }

    @Test("/readyz lists its checks and turns 503 when a worker stops coming round")
    func readiness() async throws {
        let heartbeats = Heartbeats()
        let app = try await TestApp(heartbeats: heartbeats) { $0.watchdog.stallSeconds = 5 }
        let worker = heartbeats.register("webhook_delivery", every: .seconds(600))
        let ready = try await app.send(.get, "/readyz", as: .none)
        #expect(ready.status == .ok)
        #expect(ready.object["checks"]?.objectValue?["database_writable"] == .string("ok"))
        #expect(ready.object["checks"]?.objectValue?["workers"]?.objectValue?["webhook_delivery"] == .string("ok"))
        worker.beat()
        let late = try await TestApp(heartbeats: LateHeartbeats.make()) { $0.watchdog.stallSeconds = 5 }
        let notReady = try await late.send(.get, "/readyz", as: .none)
        #expect(notReady.status == .serviceUnavailable)
        #expect(notReady.isProblem)
        #expect(notReady.object["detail"] == .string("workers not coming round: report_scheduler"))
        #expect(notReady.object["checks"]?.objectValue?["workers"]?.objectValue?["report_scheduler"] == .string("overdue"))
    }
}

/// Heartbeats whose clock jumps a minute after the worker registers: it reads as hung.
final class LateHeartbeats: Sendable {
    let offset = Mutex(Duration.zero)

    static func make() -> Heartbeats {
        let clock = LateHeartbeats()
        let heartbeats = Heartbeats { ContinuousClock.now.advanced(by: clock.offset.withLock { $0 }) }
        _ = heartbeats.register("report_scheduler", every: .seconds(1))
        clock.offset.withLock { $0 = .seconds(60) }
        return heartbeats
    }
}
