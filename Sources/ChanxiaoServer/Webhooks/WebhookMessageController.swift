import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Hummingbird

/// The outbox seen from outside: messages with how each delivery stands, every attempt, and
/// resending. Buyer and supplier tokens see the messages sent to their own endpoints.
struct WebhookMessageController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "type", type: .oneOf(EventType.allCases.map(\.rawValue)), help: "messages of this event type"),
        FilterSpec(name: "since", type: .timestamp, help: "messages created at or after this time (RFC 3339)"),
        FilterSpec(name: "endpoint_id", type: .identifier, help: "messages sent to this endpoint"),
        FilterSpec(name: "status", type: .oneOf(DeliveryStatus.allCases.map(\.rawValue)), help: "messages with a delivery in this state"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/webhook-messages", .policy(.read, .webhookMessage), use: list)
        endpoints.on(.get, "/v1/webhook-messages/{id}", .policy(.read, .webhookMessage), use: get)
        endpoints.on(.get, "/v1/webhook-messages/{id}/attempts", .policy(.read, .webhookMessage), use: attempts)
        endpoints.on(.post, "/v1/webhook-messages/{id}/resend", .policy(.update, .webhookMessage), use: resend)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let listQuery = try request.listQuery(filters: Self.filters, config: dependencies.config.current)
        var query = WebhookMessageQuery()
        query.limit = listQuery.limit
        query.afterID = listQuery.afterID
        query.owner = caller.scope
        query.registeredBy = caller.webhookRegistrant
        if case .text(let type)? = listQuery.filters["type"] { query.type = EventType(rawValue: type) }
        if case .timestamp(let since)? = listQuery.filters["since"] { query.since = since }
        if case .text(let endpoint)? = listQuery.filters["endpoint_id"] { query.endpointID = endpoint }
        if case .text(let status)? = listQuery.filters["status"] { query.status = DeliveryStatus(rawValue: status) }
        let page = try await dependencies.database.webhookMessages(query)
        var writer = JSONWriter(capacity: 1024 * max(page.items.count, 1))
        writer.raw(#"{"items":"#)
        writer.array(page.items) { $1.write(to: &$0) }
        writer.raw(#","next_cursor":"#)
        writer.value(JSONValue(page.nextCursor))
        writer.raw("}")
        return Respond.json(writer.bytes, status: .ok, headers: [:])
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let message = try await dependencies.database.webhookMessage(id: id, owner: caller.scope, registeredBy: caller.webhookRegistrant) else {
            throw Problem.notFound("no webhook message with id \(id)")
        }
        return Self.present(message, status: .ok)
    }

    @Sendable func attempts(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard
            let attempts = try await dependencies.database.webhookAttempts(
                messageID: id,
                owner: caller.scope,
                registeredBy: caller.webhookRegistrant
            )
        else {
            throw Problem.notFound("no webhook message with id \(id)")
        }
        return Respond.list(attempts.map(\.fields), nextCursor: nil)
    }

    @Sendable func resend(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let input = try WebhookResendInput.parse(
            try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes, allowEmpty: true)
        )
        // Organizers change only the endpoints they registered (WebhookEndpointController); a
        // resend resets deliveries, so it is held to the same. A region-bound one sees only the
        // messages of those endpoints, so it resends nothing else.
        if let registrant = caller.webhookRegistrant,
            try await dependencies.database.webhookMessage(id: id, registeredBy: registrant) == nil
        {
            throw Problem.notFound("no webhook message with id \(id)")
        }
        let message = try await dependencies.database.resendWebhookMessage(
            id: id,
            endpointID: input.endpointID,
            owner: caller.scope,
            registeredBy: caller.principal.role == .organizer ? caller.principal.tokenID : nil,
            context: dependencies.writeContext(caller)
        )
        return Self.present(message, status: .accepted)
    }

    static func present(_ message: WebhookMessage, status: HTTPResponse.Status) -> Response {
        var writer = JSONWriter(capacity: 1024)
        message.write(to: &writer)
        return Respond.json(writer.bytes, status: status, headers: [:])
    }
}
