import ChanxiaoCore
import ChanxiaoRuntime
import Hummingbird
import NIOCore

/// `/metrics` in Prometheus text format. Figures that live in the database (the webhook
/// backlog, the database size) are read at scrape time, so they are never stale.
struct MetricsController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/metrics", .scrape) { _, _, _ in
            guard dependencies.config.current.metrics.enabled else {
                throw Problem.notFound("metrics are turned off (metrics.enabled)")
            }
            return try await Self.response(dependencies)
        }
    }

    /// The exposition, for this route and for the separate metrics listener alike.
    static func response(_ dependencies: AppDependencies) async throws -> Response {
        let figures = try await dependencies.database.operationalFigures(now: dependencies.clock.now())
        DaemonMetrics.webhookQueue(pending: figures.pendingDeliveries, oldestPendingSeconds: figures.oldestPendingSeconds,
                                   failingEndpoints: figures.failingEndpoints, disabledEndpoints: figures.disabledEndpoints)
        DaemonMetrics.databaseSize(bytes: figures.databaseBytes)
        DaemonMetrics.buildInfo(version: ChanxiaoVersion.current)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: Telemetry.exposition())))
    }
}
