import Foundation

/// One step in the history of a record with a lifecycle (a certification, a complaint): who
/// did what, when, from which state to which.
public struct HistoryStep<Status: RawRepresentable & Sendable & Equatable>: Sendable, Equatable where Status.RawValue == String {
    public var at: Date
    public var action: String
    public var from: Status?
    public var to: Status
    public var actor: String
    public var note: String?

    public init(at: Date, action: String, from: Status?, to: Status, actor: String, note: String?) {
        self.at = at
        self.action = action
        self.from = from
        self.to = to
        self.actor = actor
        self.note = note
    }
}
