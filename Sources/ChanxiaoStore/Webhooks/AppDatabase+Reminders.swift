import ChanxiaoCore
import Foundation
import GRDB

extension AppDatabase {
    /// Emits `livestream.reminder` for scheduled sessions whose reminder time has come.
    /// `leadMinutes` are the lead times (24 h and 1 h by default). Each session gets each
    /// reminder once; when several are due together (the daemon was down, or the session was
    /// booked late) only the nearest one goes out, since the others would announce a start
    /// time that is no longer true. A lead time longer than the session had existed before
    /// its start is skipped: `livestream.scheduled` already told. Returns how many went out.
    /// `requestID` (by default the caller's `RequestTrace.id`) is recorded on the messages.
    @discardableResult
    public func sendDueReminders(leadMinutes: [Int], now: Date, requestID: String? = RequestTrace.id) async throws -> Int {
        let leads = Array(Set(leadMinutes.filter { $0 > 0 })).sorted()
        guard let longest = leads.last else { return 0 }
        return try await write { db in
            let outbox = try Outbox(db, now: now, requestID: requestID)
            guard outbox.wants(.livestreamReminder) else { return 0 }
            let sessions = try Livestream.fetch(
                db,
                """
                SELECT * FROM livestream WHERE status = 'scheduled' AND starts_at > \(Timestamp.string(from: now))
                AND starts_at <= \(Timestamp.string(from: now.addingTimeInterval(Double(longest) * 60))) ORDER BY starts_at, id
                """
            )
            var sent = 0
            for session in sessions {
                let done = Set(
                    try Int.fetchAll(db, sql: "SELECT lead_minutes FROM webhook_reminder WHERE livestream_id = ?", arguments: [session.id])
                )
                let due = leads.filter { lead in
                    let moment = session.startsAt.addingTimeInterval(-Double(lead) * 60)
                    return moment <= now && session.createdAt <= moment
                }
                guard let nearest = due.first, !done.contains(nearest) else { continue }
                for lead in due where !done.contains(lead) {
                    try db.execute(
                        sql: "INSERT INTO webhook_reminder (livestream_id, lead_minutes, sent_at) VALUES (?, ?, ?)",
                        arguments: [session.id, lead, Timestamp.string(from: now)]
                    )
                }
                try outbox.livestreams(.livestreamReminder, [session], leadMinutes: nearest, db: db)
                sent += 1
            }
            return sent
        }
    }
}
