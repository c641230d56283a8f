import ChanxiaoCore
import Foundation

/// The hard rules of a livestream session: no fee (unless allowed), a platform the host
/// presents on, inside the host's availability, no double booking, at most the host's daily
/// number of sessions, and only certified products of suppliers not blacklisted.
public enum LivestreamRules {
    /// Every rule `session` breaks, each naming its field. `booked` are the host's other
    /// scheduled sessions.
    public static func violations(
        of session: Livestream,
        host: LivestreamHost,
        booked: [Livestream],
        products: [String: Product],
        suppliers: [String: Supplier],
        settings: SchedulingSettings.Livestreams,
        zone: TimeZone
    ) -> [FieldError] {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        if session.feeFen > 0 && !settings.allowPaid {
            fail(
                "fee_fen",
                "must be 0: paid livestreaming is not allowed (不搞有偿直播带货, seed 001 §七(五)); the setting scheduling.livestreams.allow_paid permits it where the rule does not apply"
            )
        }
        if !host.platforms.contains(session.platform) {
            fail(
                "platform",
                "host \(host.id) presents on \(host.platforms.map(\.rawValue).joined(separator: ", ")), not \(session.platform.rawValue)"
            )
        }
        let minutes = Int((session.endsAt.timeIntervalSince(session.startsAt) / 60).rounded(.up))
        guard session.endsAt > session.startsAt else {
            fail("ends_at", "must be after starts_at")
            return errors
        }
        if minutes > settings.maxDurationMinutes {
            fail(
                "ends_at",
                "a session lasts at most \(settings.maxDurationMinutes) minutes (scheduling.livestreams.max_duration_minutes), this one \(minutes)"
            )
        }
        let (day, start, end) = LocalTime.minutes(from: session.startsAt, to: session.endsAt, in: zone)
        if end > 1440 {
            fail("ends_at", "must be on the day the session starts (local time, \(zone.identifier))")
        } else if !MinuteRanges.contains(host.windows(on: day), start..<end) {
            let open = host.windows(on: day).map { "\(ClockTime.text($0.lowerBound))-\(ClockTime.text($0.upperBound))" }
            fail(
                "starts_at",
                "host \(host.id) is not available on \(day) \(ClockTime.text(start))-\(ClockTime.text(end)) (\(zone.identifier)); "
                    + (open.isEmpty ? "the host is not available that day" : "available that day: \(open.joined(separator: ", "))")
            )
        }
        let others = booked.filter { $0.id != session.id && $0.status == .scheduled && $0.hostID == host.id }
        if let clash = others.first(where: { $0.overlaps(session.startsAt, session.endsAt) }) {
            let (clashDay, clashStart) = LocalTime.moment(clash.startsAt, in: zone)
            fail("host_id", "host \(host.id) is already booked on \(clashDay) from \(ClockTime.text(clashStart)) (livestream \(clash.id))")
        }
        let sameDay = others.filter { LocalTime.moment($0.startsAt, in: zone).date == day }.count
        if sameDay >= host.maxSessionsPerDay {
            fail(
                "host_id",
                "host \(host.id) already has \(sameDay) \(sameDay == 1 ? "session" : "sessions") on \(day) (max_sessions_per_day \(host.maxSessionsPerDay))"
            )
        }
        if session.productIDs.isEmpty { fail("product_ids", "must name at least one product") }
        for (index, id) in session.productIDs.enumerated() {
            guard let product = products[id] else {
                fail("product_ids[\(index)]", "no product with id \(id)")
                continue
            }
            if !product.isCertified(on: day) {
                fail("product_ids[\(index)]", "product \(id) is not a certified poverty product on \(day)")
            } else if suppliers[product.supplierID]?.blacklisted ?? true {
                fail("product_ids[\(index)]", "the supplier of product \(id) is blacklisted")
            }
        }
        return errors
    }
}
