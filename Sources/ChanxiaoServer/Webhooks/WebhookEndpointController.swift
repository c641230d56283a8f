import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Hummingbird

/// Webhook endpoints: registration (the signing secret is shown once), listing, merge-patch
/// updates, enabling and disabling, secret rotation and recovery of failed messages. Buyer and
/// supplier tokens see and manage only their own endpoints; organizers see every one and manage
/// those they registered; admins manage every one. A URL shows whole only to the endpoint's owner
/// (its buyer or supplier, or the token that registered a staff endpoint) and admins; others see
/// its origin, because a chat robot's key sits in the rest.
struct WebhookEndpointController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "enabled", type: .bool, help: "enabled endpoints only (true) or disabled ones (false)"),
        FilterSpec(name: "format", type: .oneOf(WebhookFormat.allCases.map(\.rawValue)), help: "endpoints of this format"),
        FilterSpec(name: "owner", type: .owner, help: "endpoints of this owner, written buyer:<id> or supplier:<id>"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/webhook-endpoints", .policy(.create, .webhookEndpoint), use: create)
        endpoints.on(.get, "/v1/webhook-endpoints", .policy(.read, .webhookEndpoint), use: list)
        endpoints.on(.get, "/v1/webhook-endpoints/{id}", .policy(.read, .webhookEndpoint), use: get)
        endpoints.on(.patch, "/v1/webhook-endpoints/{id}", .policy(.update, .webhookEndpoint), use: update)
        endpoints.on(.delete, "/v1/webhook-endpoints/{id}", .policy(.delete, .webhookEndpoint), use: delete)
        endpoints.on(.post, "/v1/webhook-endpoints/{id}/enable", .policy(.update, .webhookEndpoint), use: enable)
        endpoints.on(.post, "/v1/webhook-endpoints/{id}/disable", .policy(.update, .webhookEndpoint), use: disable)
        endpoints.on(.post, "/v1/webhook-endpoints/{id}/rotate-secret", .policy(.update, .webhookEndpoint), use: rotateSecret)
        endpoints.on(.post, "/v1/webhook-endpoints/{id}/recover", .policy(.update, .webhookEndpoint), use: recover)
    }

    private func policy(_ config: ChanxiaoConfig) throws -> AddressPolicy {
        try AddressPolicy(allowlist: config.webhooks.allowlist)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let body = try await request.jsonObject(limit: config.server.maxBodyBytes)
        let now = dependencies.clock.now()
        var input = try WebhookEndpointInput.parse(body, policy: try policy(config))
        let id = input.id ?? Identifier.generate(prefix: "whe", at: now)
        if let scope = caller.scope {
            guard input.owner == nil || input.owner == scope else {
                throw Problem.forbidden("this token may only register endpoints of its own \(scope.noun) (owner \(scope.text ?? ""))")
            }
            input.owner = scope
        }
        input.region = try Self.region(input.region, caller: caller)
        var secret = input.secret
        var generator = SystemRandomNumberGenerator()
        if input.format == .standard { secret = StandardWebhooks.generateSecret(byteCount: config.webhooks.secretBytes, using: &generator) }
        let endpoint = WebhookEndpoint(
            id: id,
            url: input.url,
            format: input.format,
            eventTypes: input.eventTypes,
            description: input.description,
            owner: input.owner,
            enabled: input.enabled,
            disabledReason: input.enabled ? nil : "disabled when registered",
            disabledAt: input.enabled ? nil : now,
            rateLimitPerMinute: input.rateLimitPerMinute,
            region: input.region,
            createdBy: caller.principal.tokenID,
            createdAt: now,
            updatedAt: now
        )
        let created = try await dependencies.database.createWebhookEndpoint(endpoint, secret: secret, context: dependencies.writeContext(caller))
        var fields = created.fields(showingURL: true)
        // The signing secret is shown once, here; it is never listed again.
        if input.format == .standard, let secret { fields.append(("secret", .string(secret))) }
        fields.append(("signed", .bool(secret != nil)))
        return Respond.json(fields, status: .created, headers: [.location: "/v1/webhook-endpoints/\(created.id)"])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        let listQuery = try request.listQuery(filters: Self.filters, config: config)
        var query = WebhookEndpointQuery()
        query.limit = listQuery.limit
        query.afterID = listQuery.afterID
        if case .bool(let enabled)? = listQuery.filters["enabled"] { query.enabled = enabled }
        if case .text(let format)? = listQuery.filters["format"] { query.format = WebhookFormat(rawValue: format) }
        if case .text(let text)? = listQuery.filters["owner"] { query.owner = Owner(text: text) }
        if let scope = caller.scope {
            if let asked = query.owner, asked != scope { return Respond.list([], nextCursor: nil) }
            query.owner = scope
        }
        query.registeredBy = caller.webhookRegistrant
        let page = try await dependencies.database.webhookEndpoints(query)
        return Respond.list(page.items.map { $0.fields(showingURL: caller.seesURL(of: $0)) }, nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let endpoint = try await visible(context, caller)
        return Respond.json(endpoint.fields(showingURL: caller.seesURL(of: endpoint)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let patch = try await request.jsonObject(limit: config.server.maxBodyBytes, mergePatch: true)
        let existing = try await changeable(context, caller)
        let policy = try policy(config)
        // Checked first, so that a bad patch is refused whole before the write…
        let input = try Self.merge(patch, onto: existing, caller: caller, policy: policy)
        let updated = try await dependencies.database.updateWebhookEndpoint(
            id: existing.id,
            secret: input.secret,
            context: dependencies.writeContext(caller),
            check: { try caller.checkMayChange($0) },
            change: { endpoint in
                // …and merged again onto the endpoint as the transaction reads it, so that what
                // changed meanwhile (the worker disabling it) is kept where the patch is silent.
                let input = try Self.merge(patch, onto: endpoint, caller: caller, policy: policy)
                endpoint.url = input.url
                endpoint.eventTypes = input.eventTypes
                endpoint.description = input.description
                endpoint.owner = input.owner
                endpoint.rateLimitPerMinute = input.rateLimitPerMinute
                endpoint.region = input.region
                endpoint.enabled = input.enabled
            }
        )
        return Respond.json(updated.fields(showingURL: true))
    }

    /// `patch` (RFC 7396) applied to `endpoint`'s writable fields and read back whole.
    static func merge(
        _ patch: [String: JSONValue],
        onto endpoint: WebhookEndpoint,
        caller: Caller,
        policy: AddressPolicy
    ) throws
        -> WebhookEndpointInput
    {
        let merged = MergePatch.apply(patch, to: WebhookEndpointInput.base(of: endpoint), writable: WebhookEndpointInput.writable)
        let input = try WebhookEndpointInput.parse(merged, policy: policy, readOnly: readOnly)
        var errors: [FieldError] = []
        if input.format != endpoint.format {
            errors.append(FieldError(field: "format", message: "cannot change (its secret and messages differ by format); register a new endpoint"))
        }
        if let scope = caller.scope, input.owner != scope {
            errors.append(FieldError(field: "owner", message: "must stay \(scope.text ?? "") for this token"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        var checked = input
        checked.region = try region(input.region, caller: caller)
        return checked
    }

    /// A region-bound organizer's endpoints receive the weekly report of a region inside its
    /// own: the one it names, or its only region when it names none.
    static func region(_ asked: String?, caller: Caller) throws -> String? {
        if asked != nil, caller.scope != nil {
            throw ValidationFailure(field: "region", message: "is for staff endpoints: a buyer's or supplier's endpoint has no weekly report")
        }
        guard let jurisdiction = caller.jurisdiction else { return asked }
        if let asked {
            guard jurisdiction.covers(asked) else {
                throw ValidationFailure(
                    field: "region",
                    message: "must lie inside this token's regions (\(jurisdiction.regions.joined(separator: ", ")))"
                )
            }
            return asked
        }
        guard jurisdiction.regions.count == 1 else {
            throw ValidationFailure(
                field: "region",
                message: "is required for a token bound to several regions (\(jurisdiction.regions.joined(separator: ", "))): name one of them"
            )
        }
        return jurisdiction.regions[0]
    }

    static let readOnly: Set<String> = ["id", "disabled_reason", "disabled_at", "failing_since", "created_by", "created_at", "updated_at", "signed"]

    @Sendable func delete(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let endpoint = try await changeable(context, caller)
        try await dependencies.database.deleteWebhookEndpoint(
            id: endpoint.id,
            context: dependencies.writeContext(caller),
            check: { try caller.checkMayChange($0) }
        )
        return Respond.noContent()
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        try await setEnabled(true, context: context, caller: caller)
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        try await setEnabled(false, context: context, caller: caller)
    }

    private func setEnabled(_ enabled: Bool, context: AppRequestContext, caller: Caller) async throws -> Response {
        let endpoint = try await changeable(context, caller)
        let updated = try await dependencies.database.updateWebhookEndpoint(
            id: endpoint.id,
            context: dependencies.writeContext(caller),
            check: { try caller.checkMayChange($0) },
            change: { $0.enabled = enabled }
        )
        return Respond.json(updated.fields(showingURL: true))
    }

    @Sendable func rotateSecret(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let endpoint = try await changeable(context, caller)
        guard endpoint.format == .standard else {
            throw Problem.conflict("a \(endpoint.format.rawValue) robot's secret comes from its platform; set the new one with PATCH {\"secret\": …}")
        }
        let settings = dependencies.config.current.webhooks
        var generator = SystemRandomNumberGenerator()
        let secret = StandardWebhooks.generateSecret(byteCount: settings.secretBytes, using: &generator)
        let (_, expiring) = try await dependencies.database.rotateWebhookSecret(
            id: endpoint.id,
            newSecret: secret,
            overlap: settings.secretOverlapHours * 3600,
            context: dependencies.writeContext(caller),
            check: { try caller.checkMayChange($0) }
        )
        return Respond.json([
            ("endpoint_id", .string(endpoint.id)), ("secret", .string(secret)),
            ("previous_secrets_expire_at", .string(Timestamp.string(from: expiring))),
        ])
    }

    @Sendable func recover(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let input = try WebhookRecoveryInput.parse(try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes))
        let endpoint = try await changeable(context, caller)
        let since = input.since
        let queued = try await dependencies.database.recoverWebhookEndpoint(
            id: endpoint.id,
            since: since,
            context: dependencies.writeContext(caller),
            check: { try caller.checkMayChange($0) }
        )
        return Respond.json(
            [("endpoint_id", .string(endpoint.id)), ("since", .string(Timestamp.string(from: since))), ("queued", JSONValue(queued))],
            status: .accepted
        )
    }

    /// The endpoint of the path, if the caller may see it (others' read as absent).
    private func visible(_ context: AppRequestContext, _ caller: Caller) async throws -> WebhookEndpoint {
        let id = try context.parameters.require("id")
        guard let endpoint = try await dependencies.database.webhookEndpoint(id: id), caller.scope.map({ endpoint.owner == $0 }) ?? true,
            caller.webhookRegistrant.map({ endpoint.createdBy == $0 }) ?? true
        else {
            throw Problem.notFound("no webhook endpoint with id \(id)")
        }
        return endpoint
    }

    /// The endpoint of the path, if the caller may change it.
    private func changeable(_ context: AppRequestContext, _ caller: Caller) async throws -> WebhookEndpoint {
        let endpoint = try await visible(context, caller)
        try caller.checkMayChange(endpoint)
        return endpoint
    }
}

extension Caller {
    /// Whether this caller owns the endpoint: its buyer or supplier, or the token that
    /// registered it; or is an admin.
    func owns(_ endpoint: WebhookEndpoint) -> Bool {
        if principal.role == .admin { return true }
        if let scope { return endpoint.owner == scope }
        return endpoint.createdBy == principal.tokenID
    }

    func seesURL(of endpoint: WebhookEndpoint) -> Bool { owns(endpoint) }

    /// Organizers see every endpoint but change only those they registered.
    func checkMayChange(_ endpoint: WebhookEndpoint) throws {
        guard owns(endpoint) else {
            if scope != nil { throw Problem.notFound("no webhook endpoint with id \(endpoint.id)") }
            throw Problem.forbidden(
                "an organizer token may change only the webhook endpoints it registered; \(endpoint.id) was registered by \(endpoint.createdBy)"
            )
        }
    }
}
