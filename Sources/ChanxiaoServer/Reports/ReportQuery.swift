import ChanxiaoCore
import Foundation

/// The query parameters of the report endpoints: each is checked, unknown ones are refused.
struct ReportQuery {
    private var values: [String: String] = [:]
    private var errors: [FieldError] = []

    init(_ pairs: [(String, String)], allowed: [String]) throws {
        for (name, value) in pairs {
            if !allowed.contains(name) {
                errors.append(FieldError(field: name, message: "unknown parameter; this report takes \(allowed.joined(separator: ", "))"))
            } else if values[name] != nil {
                errors.append(FieldError(field: name, message: "is given more than once"))
            } else {
                values[name] = value
            }
        }
        try check()
    }

    private func check() throws {
        if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
    }

    mutating func date(_ name: String) throws -> CalendarDate? {
        guard let text = values[name] else { return nil }
        guard let date = CalendarDate(text) else {
            errors.append(FieldError(field: name, message: "must be a date written YYYY-MM-DD, got '\(text)'"))
            try check()
            return nil
        }
        return date
    }

    mutating func week(_ name: String) throws -> IsoWeek? {
        guard let text = values[name] else { return nil }
        guard let week = IsoWeek(text) else {
            errors.append(FieldError(field: name, message: "must be an ISO week written YYYY-Www, e.g. 2020-W37, got '\(text)'"))
            try check()
            return nil
        }
        return week
    }

    mutating func oneOf(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = values[name] else { return nil }
        guard allowed.contains(text) else {
            errors.append(FieldError(field: name, message: "must be one of \(allowed.joined(separator: ", ")), got '\(text)'"))
            try check()
            return nil
        }
        return text
    }

    mutating func divisionCode(_ name: String) throws -> String? {
        guard let text = values[name] else { return nil }
        if let problem = DivisionCode.problem(with: text, level: .any) {
            errors.append(FieldError(field: name, message: problem))
            try check()
        }
        return text
    }

    /// `from` and `to` (inclusive), defaulting to the year so far; at most ten years long.
    mutating func period(today: CalendarDate) throws -> (from: CalendarDate, to: CalendarDate) {
        let to = try date("to") ?? today
        let from = try date("from") ?? CalendarDate(year: to.year, month: 1, day: 1)!
        if to < from { errors.append(FieldError(field: "to", message: "must not be before from (\(from))")) }
        if to.daysSinceEpoch - from.daysSinceEpoch > 3660 { errors.append(FieldError(field: "from", message: "the period may span at most ten years")) }
        try check()
        return (from, to)
    }
}
