import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Logging
import ServiceLifecycle

/// Delivers the outbox: a service of the daemon. Every poll it asks the database which
/// endpoints have deliveries due and starts sends, within a global bound and a smaller bound
/// per endpoint, shared out by `SendSlots` so that a slow or dead endpoint holds only its own
/// share and the others go on (no head-of-line blocking). Each attempt is recorded with its outcome before the next
/// one of that delivery is planned, so a crash at any point leaves deliveries pending, and
/// they resume on restart: delivery is at least once.
///
/// Chat robots get one send at a time, merging whatever is due into one digest message, and
/// never faster than their platform allows; standard endpoints honour their own rate limit.
public final class WebhookDeliveryService: Service, Sendable {
    let database: AppDatabase
    let sender: any WebhookSender
    let configuration: @Sendable () -> (settings: WebhookSettings, zone: TimeZone)
    let clock: any WallClock
    let logger: Logger
    let heartbeats: Heartbeats?
    private let recorder: AttemptRecorder
    private let started = ContinuousClock.now

    public init(
        database: AppDatabase,
        sender: any WebhookSender,
        clock: any WallClock = SystemClock(),
        logger: Logger,
        heartbeats: Heartbeats? = nil,
        configuration: @escaping @Sendable () -> (settings: WebhookSettings, zone: TimeZone)
    ) {
        self.database = database
        self.sender = sender
        self.clock = clock
        self.logger = logger
        self.heartbeats = heartbeats
        self.configuration = configuration
        self.recorder = AttemptRecorder(database: database)
    }

    /// What is in flight and when each endpoint may be sent to next.
    struct State {
        var sends: [String: Int] = [:]
        var keys: Set<String> = []
        var total = 0
        /// Of `total`, the sends started for an endpoint that was failing.
        var failingSends = 0
        /// The endpoints served lately, as `SendSlots` needs them.
        var recent: [String: Recent] = [:]
        var windows: [String: (limits: [RateLimit], window: RateWindow)] = [:]
        var notBefore: [String: Double] = [:]

        /// Whether `id` counts as active at `now`: served within `activeWindowSeconds`, or
        /// with sends in flight.
        func isActive(_ id: String, now: Double) -> Bool {
            sends[id] != nil || (recent[id].map { $0.lastServed >= now - WebhookDeliveryService.activeWindowSeconds } ?? false)
        }

        /// Forgets what is no longer needed, so that the maps hold the endpoints active lately,
        /// not every endpoint ever served: housekeeping, once per poll.
        mutating func prune(now: Double) {
            recent = recent.filter { isActive($0.key, now: now) }
            notBefore = notBefore.filter { $0.value > now }
            // A rate window is empty once its longest limit has passed since the last send.
            windows = windows.filter { entry in
                recent[entry.key] != nil || entry.value.limits.contains { $0.perSeconds > WebhookDeliveryService.activeWindowSeconds }
            }
        }
    }

    struct Recent {
        /// When it was last given a slot (seconds since the service started).
        var lastServed: Double
        var limit: Int
        /// Whether its last attempt failed, as far as this service knows.
        var failing: Bool
    }

    enum Finished: Sendable {
        case tick
        /// A transaction of this process committed new events (or purged old ones).
        case committed(more: Bool)
        case sent(endpointID: String, keys: [String], failing: Bool, delivered: Bool)
    }

    public func run() async throws {
        let firstPoll = Duration.milliseconds(configuration().settings.pollIntervalMilliseconds)
        // The loop comes round at least once per poll, whatever the sends in flight are doing.
        let heartbeat = heartbeats?.register("webhook_delivery", every: firstPoll) ?? .unwatched("webhook_delivery")
        defer { heartbeat.end() }
        // New events wake the loop at once; commits while it is busy count as one.
        let (commits, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let observation = database.observeOutboxCommits(
            onError: { [logger] error in
                logger.error("watching the outbox for new events failed; they go out at the next poll", metadata: ["error": "\(error)"])
            },
            onCommit: { signal.yield() }
        )
        defer {
            observation.cancel()
            signal.finish()
        }
        await withTaskGroup(of: Finished.self) { group in
            var state = State()
            group.addTask {
                try? await Task.sleep(for: firstPoll)
                return .tick
            }
            group.addTask { await Self.nextCommit(commits) }
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                await startDue(&state, group: &group)
                guard let finished = await group.next() else { break }
                switch finished {
                case .tick:
                    state.prune(now: monotonic)
                    let poll = Duration.milliseconds(configuration().settings.pollIntervalMilliseconds)
                    heartbeat.beat(every: poll)
                    group.addTask {
                        try? await Task.sleep(for: poll)
                        return .tick
                    }
                case .committed(let more):
                    if more { group.addTask { await Self.nextCommit(commits) } }
                case .sent(let endpointID, let keys, let failing, let delivered):
                    Self.finish(&state, endpointID: endpointID, keys: keys, failing: failing, delivered: delivered)
                }
            }
            // Sends in flight finish (each within its timeout) and are recorded before exit.
            while state.total > 0, let finished = await group.next() {
                if case .sent(let endpointID, let keys, let failing, let delivered) = finished {
                    Self.finish(&state, endpointID: endpointID, keys: keys, failing: failing, delivered: delivered)
                }
            }
            group.cancelAll()
        }
        await sender.shutdown()
    }

    /// Sends everything due now and waits for the sends (and any that fall due meanwhile) to
    /// finish: rounds of the service without the poll, for tests. Returns how many sends were made.
    @discardableResult
    public func deliverDue() async -> Int {
        await withTaskGroup(of: Finished.self) { group in
            var state = State()
            var count = 0
            while true {
                let before = state.total
                await startDue(&state, group: &group)
                count += state.total - before
                guard state.total > 0, let finished = await group.next() else { break }
                if case .sent(let endpointID, let keys, let failing, let delivered) = finished {
                    Self.finish(&state, endpointID: endpointID, keys: keys, failing: failing, delivered: delivered)
                }
            }
            return count
        }
    }

    /// Waits for the next commit of events; one such wait is pending at a time. Cancelled (at
    /// shutdown) or after the stream ends, it reports that no more will come.
    private static func nextCommit(_ commits: AsyncStream<Void>) async -> Finished {
        var iterator = commits.makeAsyncIterator()
        return .committed(more: await iterator.next() != nil)
    }

    private static func finish(_ state: inout State, endpointID: String, keys: [String], failing: Bool, delivered: Bool) {
        state.total -= 1
        if failing { state.failingSends -= 1 }
        state.recent[endpointID]?.failing = !delivered
        state.sends[endpointID, default: 1] -= 1
        if state.sends[endpointID] == 0 { state.sends[endpointID] = nil }
        state.keys.subtract(keys)
    }

    private var monotonic: Double {
        (ContinuousClock.now - started).inSeconds
    }

    /// How long after its last send an endpoint still counts as active for `SendSlots`.
    static let activeWindowSeconds = 60.0

    /// Starts the sends that are due and allowed now, shared out by `SendSlots`.
    private func startDue(_ state: inout State, group: inout TaskGroup<Finished>) async {
        let (settings, zone) = configuration()
        guard state.total < settings.concurrency else { return }
        let now = clock.now()
        var waiting: [DueEndpoint]
        do {
            waiting = try await database.dueEndpoints(now: now).filter { (state.notBefore[$0.endpoint.id] ?? 0) <= monotonic }
        } catch {
            logger.error("reading due webhook deliveries failed", metadata: ["error": "\(error)"])
            return
        }
        // Each round either starts a send or drops an endpoint (nothing more due, or rate
        // limited), so this ends; the slots an endpoint leaves unused go to the others.
        while !waiting.isEmpty, state.total < settings.concurrency {
            let claimants = waiting.map { due in
                SendSlots.Claimant(
                    id: due.endpoint.id,
                    inFlight: state.sends[due.endpoint.id] ?? 0,
                    limit: Self.limit(of: due.endpoint, settings),
                    failing: due.endpoint.failingSince != nil,
                    lastServed: state.recent[due.endpoint.id]?.lastServed
                )
            }
            // Endpoints active although nothing of theirs is due now: the slots they left are
            // kept for their next event.
            let due = Set(waiting.map(\.endpoint.id))
            let moment = monotonic
            let idle = state.recent.filter { !due.contains($0.key) && state.isActive($0.key, now: moment) }.values
                .map { SendSlots.Idle(limit: $0.limit, failing: $0.failing) }
            let shares = SendSlots.share(
                claimants,
                idle: idle,
                concurrency: settings.concurrency,
                inFlight: state.total,
                failingInFlight: state.failingSends
            )
            guard !shares.isEmpty else { break }
            var finished: Set<String> = []
            for (index, slots) in shares {
                let started = await start(waiting[index], sends: slots, now: now, settings: settings, zone: zone, state: &state, group: &group)
                if started < slots { finished.insert(waiting[index].endpoint.id) }
            }
            waiting.removeAll { finished.contains($0.endpoint.id) }
        }
    }

    /// Starts up to `sends` sends to one endpoint (a robot's one send is a digest); returns how
    /// many it started.
    private func start(
        _ endpoint: DueEndpoint,
        sends: Int,
        now: Date,
        settings: WebhookSettings,
        zone: TimeZone,
        state: inout State,
        group: inout TaskGroup<Finished>
    ) async -> Int {
        let id = endpoint.endpoint.id
        let robot = endpoint.endpoint.format.isRobot
        let failing = endpoint.endpoint.failingSince != nil
        let batch: [DueDelivery]
        do {
            batch = try await database.dueDeliveries(endpointID: id, now: now, limit: robot ? settings.robotDigestMax : sends, excluding: state.keys)
        } catch {
            logger.error("reading due webhook deliveries failed", metadata: ["endpoint": "\(id)", "error": "\(error)"])
            return 0
        }
        let limits = Self.limits(for: endpoint.endpoint, settings: settings)
        var started = 0
        for send in robot ? [batch] : batch.map({ [$0] }) where !send.isEmpty {
            var window = state.windows[id].flatMap { $0.limits == limits ? $0.window : nil } ?? RateWindow(limits: limits)
            let wait = window.take(now: monotonic)
            state.windows[id] = (limits, window)
            if wait > 0 {
                state.notBefore[id] = monotonic + wait
                break
            }
            let keys = send.map(\.key)
            state.total += 1
            state.sends[id, default: 0] += 1
            if failing { state.failingSends += 1 }
            state.recent[id] = Recent(lastServed: monotonic, limit: Self.limit(of: endpoint.endpoint, settings), failing: failing)
            state.keys.formUnion(keys)
            group.addTask { [self] in
                let delivered = await deliver(send, to: endpoint, settings: settings, zone: zone)
                return .sent(endpointID: id, keys: keys, failing: failing, delivered: delivered)
            }
            started += 1
        }
        return started
    }

    /// The most sends an endpoint may have in flight: a chat robot one, a standard endpoint
    /// `webhooks.per_endpoint_concurrency`.
    static func limit(of endpoint: WebhookEndpoint, _ settings: WebhookSettings) -> Int {
        endpoint.format.isRobot ? 1 : settings.perEndpointConcurrency
    }

    /// The platform's limits for a robot, and the endpoint's own (or the default) per minute.
    static func limits(for endpoint: WebhookEndpoint, settings: WebhookSettings) -> [RateLimit] {
        var limits = RobotRequest.limits(endpoint.format)
        let perMinute = endpoint.rateLimitPerMinute ?? (endpoint.format.isRobot ? 0 : settings.defaultRateLimitPerMinute)
        if perMinute > 0 { limits.append(RateLimit(count: perMinute, perSeconds: 60)) }
        return limits
    }

    /// One attempt: send, judge, record. Returns whether it was delivered.
    @discardableResult
    func deliver(_ batch: [DueDelivery], to endpoint: DueEndpoint, settings: WebhookSettings, zone: TimeZone) async -> Bool {
        let attemptedAt = clock.now()
        let format = endpoint.endpoint.format
        let result: SendResult
        if let request = OutgoingRequest.delivering(batch, to: endpoint, now: attemptedAt, settings: settings, zone: zone) {
            result = await sender.send(request, bodyLimit: settings.responseBodyLimitBytes)
        } else {
            result = SendResult(status: nil, error: "the endpoint has no signing secret; rotate its secret to get one", latencySeconds: 0)
        }
        let verdict = AttemptVerdict(result, format: format, now: attemptedAt)
        let policy = settings.retryPolicy
        let responseBody = result.body.isEmpty ? nil : String(decoding: result.body, as: UTF8.self)
        let records = batch.map { delivery in
            let delay =
                verdict.delivered || verdict.disable != nil
                ? nil : policy.delay(afterAttempt: delivery.attempts + 1, retryAfter: verdict.retryAfter, random: Double.random(in: 0..<1))
            return AttemptRecord(
                messageID: delivery.messageID,
                endpointID: delivery.endpointID,
                attemptedAt: attemptedAt,
                trigger: delivery.trigger,
                responseStatus: result.status,
                latencyMilliseconds: Int((result.latencySeconds * 1000).rounded()),
                error: verdict.error,
                responseBody: responseBody,
                delivered: verdict.delivered,
                nextAttemptAt: delay.map { attemptedAt.addingTimeInterval($0) },
                generation: delivery.generation
            )
        }
        // The requests that wrote the messages (a digest's distinct ids, sorted, joined by commas).
        let requestIDs = Set(batch.compactMap(\.requestID)).sorted()
        let trace: Logger.Metadata = requestIDs.isEmpty ? [:] : ["request_id": "\(requestIDs.joined(separator: ","))"]
        var metadata: Logger.Metadata = trace.merging([
            "endpoint": "\(endpoint.endpoint.id)", "events": "\(batch.count)",
            "status": "\(result.status.map(String.init) ?? "-")",
        ]) { $1 }
        if let error = verdict.error { metadata["error"] = "\(error)" }
        logger.log(level: verdict.delivered ? .debug : .info, verdict.delivered ? "webhook delivered" : "webhook attempt failed", metadata: metadata)
        let outcome = verdict.delivered ? "delivered" : records.contains { $0.nextAttemptAt != nil } ? "failed" : "gave_up"
        DaemonMetrics.webhookAttempt(
            endpoint: endpoint.endpoint.id,
            outcome: outcome,
            latency: .milliseconds(Int64((result.latencySeconds * 1000).rounded()))
        )
        let attempts = AttemptBatch(
            records: records,
            endpointID: endpoint.endpoint.id,
            disable: verdict.disable,
            disableAfter: settings.disableAfterHours * 3600,
            now: clock.now()
        )
        switch await recorder.record(attempts) {
        case .success(let reason):
            if let reason {
                logger.warning(
                    "webhook endpoint disabled",
                    metadata: trace.merging(["endpoint": "\(endpoint.endpoint.id)", "reason": "\(reason)"]) { $1 }
                )
            }
        case .failure(let error):
            // The deliveries stay pending and are tried again: at least once, never lost.
            logger.error(
                "recording a webhook attempt failed",
                metadata: trace.merging(["endpoint": "\(endpoint.endpoint.id)", "error": "\(error)"]) { $1 }
            )
        }
        return verdict.delivered
    }
}
