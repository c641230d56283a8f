import ChanxiaoCore
import Foundation

/// The query parameters of the report endpoints: each is checked, unknown ones are refused.
/// Problems are collected as the parameters are read, and `finish()` answers 400 listing every
/// one, so that a client learns of all its mistakes at once.
struct ReportQuery {
    private var values: [String: String] = [:]
    private var errors: [FieldError] = []

    init(_ pairs: [(String, String)], allowed: [String]) {
        for (name, value) in pairs {
            if !allowed.contains(name) {
                errors.append(FieldError(field: name, message: "unknown parameter; this report takes \(allowed.joined(separator: ", "))"))
            } else if values[name] != nil {
                errors.append(FieldError(field: name, message: "is given more than once"))
            } else {
                values[name] = value
            }
        }
    }

    /// 400 with every problem found so far; call it after reading every parameter.
    func finish() throws {
        if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
    }

    /// Whether `name` was given but is malformed (already reported).
    private func isBad(_ name: String) -> Bool { errors.contains { $0.field == name } }

    mutating func date(_ name: String) -> CalendarDate? {
        guard let text = values[name], !isBad(name) else { return nil }
        guard let date = CalendarDate(text) else {
            errors.append(FieldError(field: name, message: "must be a date written YYYY-MM-DD, got '\(text)'"))
            return nil
        }
        return date
    }

    mutating func week(_ name: String, notAfter latest: IsoWeek? = nil) -> IsoWeek? {
        guard let text = values[name], !isBad(name) else { return nil }
        guard let week = IsoWeek(text) else {
            errors.append(FieldError(field: name, message: "must be an ISO week written YYYY-Www, e.g. 2020-W37, got '\(text)'"))
            return nil
        }
        // The weekly report reads into the next week and the weekly job into the previous ones.
        if let problem = IsoWeek.planningProblem(week) {
            errors.append(FieldError(field: name, message: problem))
            return nil
        }
        if let latest, week > latest {
            errors.append(FieldError(field: name, message: "must not be after the current week (\(latest))"))
            return nil
        }
        return week
    }

    mutating func oneOf(_ name: String, _ allowed: [String]) -> String? {
        guard let text = values[name], !isBad(name) else { return nil }
        guard allowed.contains(text) else {
            errors.append(FieldError(field: name, message: "must be one of \(allowed.joined(separator: ", ")), got '\(text)'"))
            return nil
        }
        return text
    }

    mutating func divisionCode(_ name: String) -> String? {
        guard let text = values[name], !isBad(name) else { return nil }
        if let problem = DivisionCode.problem(with: text, level: .any) {
            errors.append(FieldError(field: name, message: problem))
            return nil
        }
        return text
    }

    /// `from` and `to` (inclusive), defaulting to the year so far; at most ten years long.
    /// The two are compared only when both are well formed.
    mutating func period(today: CalendarDate) -> (from: CalendarDate, to: CalendarDate) {
        let toGiven = values["to"] != nil
        let fromGiven = values["from"] != nil
        let to = date("to") ?? today
        let from = date("from") ?? CalendarDate(year: to.year, month: 1, day: 1)!
        let wellFormed = (!toGiven || !isBad("to")) && (!fromGiven || !isBad("from"))
        if wellFormed {
            if to < from { errors.append(FieldError(field: "to", message: "must not be before from (\(from))")) }
            if to.daysSinceEpoch - from.daysSinceEpoch > 3660 {
                errors.append(FieldError(field: "from", message: "the period may span at most ten years"))
            }
        }
        return (from, to)
    }
}
