import Foundation

/// How payload members are written: null for nil, so that every documented member is present.
extension JSONValue {
    /// An instant as RFC 3339 in UTC with milliseconds (`Timestamp`).
    init(_ instant: Date?) { self = instant.map { .string(Timestamp.string(from: $0)) } ?? .null }

    /// `2026-W47`.
    init(_ week: IsoWeek?) { self = week.map { .string($0.description) } ?? .null }

    /// A status, kind or unit by its stored name.
    init(code: (some RawRepresentable<String>)?) { self = code.map { .string($0.rawValue) } ?? .null }
}
