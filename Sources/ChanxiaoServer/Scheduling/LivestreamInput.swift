import ChanxiaoCore
import Foundation

/// The body of `POST /v1/livestreams`: one session.
struct LivestreamInput {
    /// The id the client chose, if any.
    var id: String?
    var hostID: String
    var platform: LivestreamPlatform
    var startsAt: Date
    var endsAt: Date
    var feeFen: Int
    var productIDs: [String]
    var title: String?

    static func parse(_ body: [String: JSONValue]) throws -> LivestreamInput {
        var r = FieldReader(json: body)
        let id = r.identifier("id")
        let host = r.identifier("host_id", required: true)
        let platform = r.oneOf("platform", required: true, LivestreamPlatform.self)
        let startsAt = r.timestamp("starts_at", required: true)
        let endsAt = r.timestamp("ends_at", required: true)
        let fee = r.int("fee_fen", in: 0...Quantity.valueFen.upperBound) ?? 0
        let products = r.list("product_ids", maxCount: 50, expected: "a product id") { Identifier.problem(with: $0) == nil ? $0 : nil }
        let title = r.string("title", maxLength: 200)
        r.rejectUnknownFields()
        // Said here too (the session rules say it again), so that it is listed beside a missing
        // host or a bad time, which stop the request before the rules are checked.
        if let products, products.isEmpty { r.fail("product_ids", "must name at least one product") }
        guard let host, let platform, let startsAt, let endsAt, let products, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return LivestreamInput(
            id: id,
            hostID: host,
            platform: platform,
            startsAt: startsAt,
            endsAt: endsAt,
            feeFen: fee,
            productIDs: products.uniqued(),
            title: title
        )
    }
}

/// The body of `POST /v1/livestream-plans`: sessions for every featured week of a rotation.
struct LivestreamPlanInput {
    var rotationID: String
    var sessionsPerSlot: Int
    var durationMinutes: Int

    /// `maxDuration`: `scheduling.livestreams.max_duration_minutes`.
    static func parse(_ body: [String: JSONValue], maxDuration: Int) throws -> LivestreamPlanInput {
        var r = FieldReader(json: body)
        let rotation = r.identifier("rotation_id", required: true)
        let perSlot = r.int("sessions_per_slot", required: true, in: 1...28)
        let duration = r.int("duration_minutes", required: true, in: 15...maxDuration)
        r.rejectUnknownFields()
        guard let rotation, let perSlot, let duration, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return LivestreamPlanInput(rotationID: rotation, sessionsPerSlot: perSlot, durationMinutes: duration)
    }
}
