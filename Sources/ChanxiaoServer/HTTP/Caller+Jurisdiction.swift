import ChanxiaoCore
import ChanxiaoStore

extension Caller {
    /// A region-bound organizer's jurisdiction; nil for the national view and other roles.
    var jurisdiction: Jurisdiction? { principal.jurisdiction }

    /// A region-bound organizer reads the webhook endpoints and messages of the endpoints it
    /// registered only: the others carry other regions' events.
    var webhookRegistrant: String? { jurisdiction == nil ? nil : principal.tokenID }
}

extension AppDependencies {
    /// 404 unless the caller's jurisdiction holds the record: outside it, records read as absent.
    func requireHeld(_ record: ScopedRecord, id: String, by caller: Caller, noun: String) async throws {
        guard let jurisdiction = caller.jurisdiction else { return }
        guard try await database.holds(jurisdiction, record, id: id) else { throw Problem.notFound("no \(noun) with id \(id)") }
    }

    /// 404 unless the caller's jurisdiction holds the catalog entity.
    func requireHeld<E: StoredEntity>(_: E.Type, id: String, by caller: Caller) async throws {
        guard caller.jurisdiction != nil else { return }
        guard try await database.fetch(E.self, id: id, within: caller.jurisdiction) != nil else {
            throw Problem.notFound("no \(E.kind.rawValue) with \(E.kind.idField) \(id)")
        }
    }
}
