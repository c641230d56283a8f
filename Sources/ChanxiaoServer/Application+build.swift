import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Hummingbird
import Logging
import ServiceLifecycle

/// The routes of the API, with their access rules. Also used by tests and the API reference.
public func buildRouter(dependencies: AppDependencies) -> (router: Router<AppRequestContext>, endpoints: [Endpoint]) {
    Telemetry.bootstrap()
    let endpoints = EndpointCollection(dependencies: dependencies)
    HealthController(dependencies: dependencies).register(on: endpoints)
    ReferenceController().register(on: endpoints)
    CatalogController<County>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Supplier>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Product>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Buyer>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Demand>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Venue>(dependencies: dependencies).register(on: endpoints)
    CatalogController<LivestreamHost>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Fair>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Sale>(dependencies: dependencies).register(on: endpoints)
    CatalogController<Outlet>(dependencies: dependencies).register(on: endpoints)
    CatalogController<SalesEvent>(dependencies: dependencies).register(on: endpoints)
    BulkController(dependencies: dependencies).register(on: endpoints)
    AuditController(dependencies: dependencies).register(on: endpoints)
    let runner = MatchRunner(database: dependencies.database, config: dependencies.config, clock: dependencies.clock)
    MatchRunController(dependencies: dependencies, runner: runner).register(on: endpoints)
    MatchController(dependencies: dependencies).register(on: endpoints)
    PartyViewsController(dependencies: dependencies).register(on: endpoints)
    RotationController(dependencies: dependencies).register(on: endpoints)
    LivestreamController(dependencies: dependencies).register(on: endpoints)
    FairController(dependencies: dependencies).register(on: endpoints)
    CalendarController(dependencies: dependencies).register(on: endpoints)
    WebhookEndpointController(dependencies: dependencies).register(on: endpoints)
    WebhookMessageController(dependencies: dependencies).register(on: endpoints)
    ReportController(dependencies: dependencies).register(on: endpoints)
    CertificationController(dependencies: dependencies).register(on: endpoints)
    ComplaintController(dependencies: dependencies).register(on: endpoints)
    AdminController(dependencies: dependencies).register(on: endpoints)
    MetricsController(dependencies: dependencies).register(on: endpoints)

    // Middleware applies to routes added after it, so the routes come last.
    let router = Router(context: AppRequestContext.self)
    let methods = AllowedMethods(endpoints.endpoints)
    router.add(middleware: RequestIDMiddleware())
    // Outside the problem middleware, so requests are counted with the status they got.
    router.add(middleware: MetricsMiddleware<AppRequestContext>())
    router.add(
        middleware: ProblemMiddleware<AppRequestContext>(
            maxListedErrors: { dependencies.config.current.importing.maxReportedErrors },
            allowedMethods: methods.forPath
        )
    )
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.addRoutes(endpoints.routes)
    return (router, endpoints.endpoints)
}

/// The chanxiao HTTP application on the configured address. Further long-lived services
/// (workers, schedulers) join it through `services`, so one `ServiceGroup` runs them all and
/// shuts them down together.
public func buildApplication(
    dependencies: AppDependencies,
    services: [any Service] = [],
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let config = dependencies.config.current
    return Application(
        router: buildRouter(dependencies: dependencies).router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(config.server.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "chanxiao"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.server.port) },
        logger: logger
    )
}

/// The separate metrics listener (`metrics.port`, when not 0): `/metrics`, `/healthz` and
/// `/readyz` without tokens, for a scraper on a private interface.
public func buildMetricsApplication(dependencies: AppDependencies, logger: Logger) -> (some ApplicationProtocol)? {
    let config = dependencies.config.current
    guard config.metrics.port != 0 else { return nil as Application<RouterResponder<BasicRequestContext>>? }
    Telemetry.bootstrap()
    let router = Router()
    router.get("/metrics") { _, _ in
        guard dependencies.config.current.metrics.enabled else { return Response(status: .notFound) }
        return try await MetricsController.response(dependencies)
    }
    router.get("/healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
    router.get("/readyz") { _, _ in
        let readiness = await dependencies.readiness()
        return Response(
            status: readiness.isReady ? .ok : .serviceUnavailable,
            body: .init(byteBuffer: ByteBuffer(string: (readiness.problem ?? "ready") + "\n"))
        )
    }
    return Application(
        router: router,
        configuration: .init(
            address: .hostname(config.metrics.host, port: config.metrics.port),
            serverName: "chanxiao-metrics"
        ),
        logger: logger
    )
}
