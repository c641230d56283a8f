import CoreMetrics
import Metrics
import Prometheus

/// The process's metrics: swift-metrics is the API every layer records through, and one
/// Prometheus registry behind it is what `/metrics` prints.
public enum Telemetry {
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (metricNames[name] ?? prometheusName(name), labels.map { (labelNames[$0.0] ?? prometheusName($0.0), $0.1) })
        }
        let long: [Duration] = [
            .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
            .seconds(60), .seconds(120), .seconds(300), .seconds(600),
        ]
        factory.durationHistogramBuckets = [
            "chanxiao_match_run_duration_seconds": long,
            "chanxiao_scheduler_job_duration_seconds": long,
            "chanxiao_backup_duration_seconds": long,
            "chanxiao_webhook_delivery_duration_seconds": [
                .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
            ],
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Makes swift-metrics record into `registry`; the first call of the process does it.
    public static func bootstrap() {
        _ = bootstrapped
    }

    /// The registry in Prometheus text format.
    public static func exposition() -> String {
        registry.emitToString()
    }

    /// Hummingbird's HTTP metrics under Prometheus-style names.
    static let metricNames = [
        "hb.requests": "http_server_requests_total",
        "hb.request.errors": "http_server_request_errors_total",
        "http.server.request.duration": "http_server_request_duration_seconds",
        "http.server.active_requests": "http_server_active_requests",
    ]
    static let labelNames = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "status",
    ]

    /// Letters, digits and underscores only, as Prometheus requires.
    static func prometheusName(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }
}
