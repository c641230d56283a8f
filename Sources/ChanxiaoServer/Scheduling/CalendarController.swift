import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// iCalendar feeds that calendar apps subscribe to: a venue's featured weeks (from published
/// rotations), its fairs and the livestreams of its rotations; a host's livestreams.
struct CalendarController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/venues/{id}/calendar.ics", .policy(.read, .calendar), use: venue)
        endpoints.on(.get, "/v1/hosts/{id}/calendar.ics", .policy(.read, .calendar), use: host)
    }

    @Sendable func venue(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        let database = dependencies.database
        guard let venue = try await database.fetch(Venue.self, id: id, within: caller.jurisdiction) else {
            throw Problem.notFound("no venue with id \(id)")
        }
        let calendar = try await database.venueCalendar(venueID: id)
        var events: [CalendarEvent] = []
        for entry in calendar.slots {
            let slot = entry.slot
            let county = calendar.counties[slot.countyCode]
            let product = calendar.products[slot.productID]
            events.append(
                CalendarEvent(
                    uid: "featured-\(venue.id)-\(slot.week)@chanxiao",
                    sequence: slot.sequence,
                    time: .allDay(slot.week.monday, slot.week.sunday.adding(days: 1)),
                    summary: "一县一品一周 · \(county?.name ?? slot.countyCode) · \(product?.name ?? slot.productID)",
                    description: "Featured county of \(slot.week) at \(venue.name): \(county?.name ?? slot.countyCode) (\(slot.countyCode)), "
                        + "product \(product?.name ?? slot.productID) (\(slot.productID)).\nRotation \(entry.rotationID).\n"
                        + slot.reasons.joined(separator: "\n"),
                    location: venue.name,
                    cancelled: slot.withdrawnReason != nil,
                    stamp: slot.updatedAt
                )
            )
        }
        for fair in calendar.fairs {
            events.append(
                CalendarEvent(
                    uid: "fair-\(fair.id)@chanxiao",
                    sequence: 0,
                    time: .allDay(fair.startsOn, fair.endsOn.adding(days: 1)),
                    summary: "展销会 · \(fair.name)",
                    description: "\(fair.boothCount) booths",
                    location: venue.name,
                    stamp: fair.updatedAt
                )
            )
        }
        events += livestreamEvents(calendar.livestreams, products: calendar.products)
        return ics(
            ICalendar.feed(name: "\(venue.name) · chanxiao", events: events, zone: dependencies.config.current.zone, now: dependencies.clock.now()),
            name: venue.id
        )
    }

    @Sendable func host(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let host = try await dependencies.database.fetch(LivestreamHost.self, id: id) else { throw Problem.notFound("no host with id \(id)") }
        let (sessions, products) = try await dependencies.database.hostCalendar(hostID: id)
        let events = livestreamEvents(sessions, products: products)
        return ics(
            ICalendar.feed(name: "\(host.name) · chanxiao", events: events, zone: dependencies.config.current.zone, now: dependencies.clock.now()),
            name: host.id
        )
    }

    func livestreamEvents(_ sessions: [Livestream], products: [String: Product]) -> [CalendarEvent] {
        sessions.map { session in
            let names = session.productIDs.map { products[$0]?.name ?? $0 }.joined(separator: "、")
            return CalendarEvent(
                uid: "livestream-\(session.id)@chanxiao",
                sequence: session.sequence,
                time: .timed(session.startsAt, session.endsAt),
                summary: "直播带货 · \(session.title ?? names)",
                description: "Host \(session.hostID) on \(session.platform.rawValue); products: \(names)"
                    + (session.week.map { "; featured week \($0)" } ?? ""),
                location: session.platform.rawValue,
                cancelled: session.status == .cancelled,
                stamp: session.updatedAt
            )
        }
    }

    func ics(_ text: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "inline; filename=\"\(name).ics\""],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
