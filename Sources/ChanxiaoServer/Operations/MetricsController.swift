import ChanxiaoCore
import ChanxiaoRuntime
import Hummingbird
import NIOCore

/// `/metrics` in Prometheus text format. Figures that live in the database (the webhook
/// backlog, the database size) are read at scrape time, so they are never stale.
struct MetricsController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.scrape("/metrics") { _, _ in
            guard dependencies.config.current.metrics.enabled else {
                throw Problem.notFound("metrics are turned off (metrics.enabled)")
            }
            return try await Self.response(dependencies)
        }
    }

    /// The exposition, for this route and for the separate metrics listener alike.
    static func response(_ dependencies: AppDependencies) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: try await Telemetry.scrape(dependencies)))
        )
    }
}

extension Telemetry {
    /// Records what lives in the database (the webhook backlog, the database size), then
    /// prints every metric: read at scrape time, so these figures are never stale.
    public static func scrape(_ dependencies: AppDependencies) async throws -> String {
        let figures = try await dependencies.database.operationalFigures(now: dependencies.clock.now())
        DaemonMetrics.webhookQueue(
            pending: figures.pendingDeliveries,
            oldestPendingSeconds: figures.oldestPendingSeconds,
            dueLagSeconds: figures.dueLagSeconds,
            failingEndpoints: figures.failingEndpoints,
            disabledEndpoints: figures.disabledEndpoints
        )
        DaemonMetrics.databaseSize(bytes: figures.databaseBytes)
        DaemonMetrics.buildInfo(version: ChanxiaoVersion.current)
        return exposition()
    }
}
