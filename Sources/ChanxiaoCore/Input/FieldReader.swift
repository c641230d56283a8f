import Foundation

/// Reads the fields of one input (a JSON object from a request, or one row of a CSV file),
/// converting and checking each, and collecting every problem instead of stopping at the
/// first. JSON and CSV share this reader so that one set of rules serves both.
public struct FieldReader: Sendable {
    /// A field as it arrived: typed JSON, or the text of a CSV cell.
    public enum Raw: Sendable, Equatable {
        case json(JSONValue)
        case text(String)
    }

    /// How lists are written in a CSV cell ("9;10;11"); `,` is also accepted on input.
    public static let listSeparator = ";"

    private var fields: [String: Raw]
    private var consumed: Set<String> = []
    public private(set) var errors: [FieldError] = []
    /// The CSV data row, for error reports.
    public let row: Int?

    public init(json object: [String: JSONValue]) {
        self.fields = object.mapValues(Raw.json)
        self.row = nil
    }

    public init(text cells: [String: String], row: Int) {
        self.fields = cells.mapValues(Raw.text)
        self.row = row
    }

    public var hasErrors: Bool { !errors.isEmpty }

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message, row: row))
    }

    /// The raw value, or nil when the field is absent, JSON null or an empty CSV cell.
    public mutating func raw(_ name: String) -> Raw? {
        consumed.insert(name)
        switch fields[name] {
        case nil, .json(.null): return nil
        case .text(let text) where text.trimmingCharacters(in: .whitespaces).isEmpty: return nil
        case let value?: return value
        }
    }

    /// Whether the input mentions `name` at all (even as null).
    public func contains(_ name: String) -> Bool { fields[name] != nil }

    private mutating func missing(_ name: String, required: Bool) {
        if required { fail(name, "is required") }
    }

    // MARK: Scalars

    public mutating func string(_ name: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let raw = raw(name) else {
            missing(name, required: required)
            return nil
        }
        let text: String
        switch raw {
        case .json(.string(let value)), .text(let value): text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case .json(let other):
            fail(name, "must be a string, not \(other.typeName)")
            return nil
        }
        if text.isEmpty {
            missing(name, required: required)
            return nil
        }
        // Code points, as JSON Schema's maxLength counts them: a grapheme may hold several.
        if text.unicodeScalars.count > maxLength {
            fail(name, "must be at most \(maxLength) characters")
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fail(name, "must not contain control characters")
            return nil
        }
        return text
    }

    public mutating func int(_ name: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let raw = raw(name) else {
            missing(name, required: required)
            return nil
        }
        guard let value = Self.integer(raw) else {
            fail(name, "must be an integer" + Self.got(raw))
            return nil
        }
        guard range.contains(value) else {
            fail(name, Self.rangeMessage(range))
            return nil
        }
        return value
    }

    public mutating func decimal(_ name: String, required: Bool = false, in range: ClosedRange<Double>) -> Double? {
        guard let raw = raw(name) else {
            missing(name, required: required)
            return nil
        }
        let value: Double?
        switch raw {
        case .json(.int(let number)): value = Double(number)
        case .json(.double(let number)): value = number
        case .text(let text): value = Double(text.trimmingCharacters(in: .whitespaces))
        default: value = nil
        }
        guard let value, value.isFinite else {
            fail(name, "must be a number" + Self.got(raw))
            return nil
        }
        guard range.contains(value) else {
            fail(name, "must be between \(JSONValue.formatDecimal(range.lowerBound)) and \(JSONValue.formatDecimal(range.upperBound))")
            return nil
        }
        return value
    }

    public mutating func bool(_ name: String, required: Bool = false) -> Bool? {
        guard let raw = raw(name) else {
            missing(name, required: required)
            return nil
        }
        switch raw {
        case .json(.bool(let value)): return value
        case .text(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes", "y", "1", "是": return true
            case "false", "no", "n", "0", "否": return false
            default: break
            }
        default: break
        }
        fail(name, "must be true or false" + Self.got(raw))
        return nil
    }

    public mutating func oneOf<Value>(_ name: String, required: Bool = false, _: Value.Type = Value.self) -> Value?
    where Value: RawRepresentable<String> & CaseIterable {
        guard let text = string(name, required: required, maxLength: 64) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        fail(name, "unknown value '\(text)'; expected one of: \(allowed)")
        return nil
    }

    public mutating func date(_ name: String, required: Bool = false) -> CalendarDate? {
        guard let text = string(name, required: required, maxLength: 32) else { return nil }
        guard let date = CalendarDate(text) else {
            fail(name, "must be a date written YYYY-MM-DD, got '\(text)'")
            return nil
        }
        return date
    }

    /// A client-chosen identifier: 1–64 characters of letters, digits and `_ . : -`,
    /// starting with a letter or digit.
    public mutating func identifier(_ name: String, required: Bool = false) -> String? {
        guard let text = string(name, required: required, maxLength: 64) else { return nil }
        if let problem = Identifier.problem(with: text) {
            fail(name, problem)
            return nil
        }
        return text
    }

    public mutating func divisionCode(_ name: String, required: Bool = false, level: DivisionCode.Level) -> String? {
        guard let raw = raw(name) else {
            missing(name, required: required)
            return nil
        }
        guard let code = Self.codeText(raw) else {
            fail(name, "must be a string of 6 digits" + Self.got(raw))
            return nil
        }
        // An empty string counts as missing, as for every other string (and an empty CSV cell).
        if code.isEmpty {
            missing(name, required: required)
            return nil
        }
        if let problem = DivisionCode.problem(with: code, level: level) {
            fail(name, problem)
            return nil
        }
        return code
    }

    // MARK: Lists

    /// The elements of a list field: a JSON array, or a CSV cell split on `;` or `,`.
    /// Absent means an empty list.
    private mutating func elements(_ name: String) -> [Raw]? {
        guard let raw = raw(name) else { return [] }
        switch raw {
        case .json(.array(let values)):
            return values.map(Raw.json)
        case .text(let text):
            return text.split(whereSeparator: { $0 == ";" || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .map(Raw.text)
        case .json(let other):
            fail(name, "must be an array, not \(other.typeName)")
            return nil
        }
    }

    public mutating func intList(_ name: String, in range: ClosedRange<Int>) -> [Int]? {
        guard let elements = elements(name) else { return nil }
        var values: [Int] = []
        for (index, element) in elements.enumerated() {
            guard let value = Self.integer(element) else {
                fail("\(name)[\(index)]", "must be an integer from \(range.lowerBound) to \(range.upperBound)" + Self.got(element))
                return nil
            }
            guard range.contains(value) else {
                fail("\(name)[\(index)]", "must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
                return nil
            }
            values.append(value)
        }
        return values
    }

    public mutating func divisionCodeList(_ name: String, level: DivisionCode.Level) -> [String]? {
        guard let elements = elements(name) else { return nil }
        var codes: [String] = []
        var ok = true
        for (index, element) in elements.enumerated() {
            guard let code = Self.codeText(element) else {
                fail("\(name)[\(index)]", "must be a string of 6 digits" + Self.got(element))
                ok = false
                continue
            }
            if let problem = DivisionCode.problem(with: code, level: level) {
                fail("\(name)[\(index)]", problem)
                ok = false
                continue
            }
            codes.append(code)
        }
        return ok ? codes : nil
    }

    /// A list of strings, each converted by `parse`; `expected` describes the element form.
    /// Every bad element is reported with its index.
    public mutating func list<Element>(
        _ name: String,
        maxCount: Int = 100,
        expected: String,
        _ parse: (String) -> Element?
    ) -> [Element]? {
        guard let elements = elements(name) else { return nil }
        if elements.count > maxCount {
            fail(name, "must have at most \(maxCount) elements")
            return nil
        }
        var values: [Element] = []
        var ok = true
        for (index, element) in elements.enumerated() {
            let text: String
            switch element {
            case .json(.string(let value)), .text(let value): text = value.trimmingCharacters(in: .whitespaces)
            case .json(let other):
                fail("\(name)[\(index)]", "must be a string, not \(other.typeName)")
                ok = false
                continue
            }
            guard text.unicodeScalars.count <= 200, let value = parse(text) else {
                fail("\(name)[\(index)]", "must be \(expected), got '\(text.prefix(40))'")
                ok = false
                continue
            }
            values.append(value)
        }
        return ok ? values : nil
    }

    /// An instant written in RFC 3339 with an offset: `2020-09-15T19:00:00+08:00`.
    public mutating func timestamp(_ name: String, required: Bool = false) -> Date? {
        guard let text = string(name, required: required, maxLength: 40) else { return nil }
        guard text.contains("T"), let date = Timestamp.date(from: text) else {
            fail(name, "must be a time written RFC 3339 with its offset, e.g. 2020-09-15T19:00:00+08:00, in years 0001 to 9999 (UTC), got '\(text)'")
            return nil
        }
        return date
    }

    /// An ISO week written `YYYY-Www`, within `IsoWeek.plannable`: every week read from input is
    /// one to match, plan or report on, and those reach the weeks around it.
    public mutating func week(_ name: String, required: Bool = false) -> IsoWeek? {
        guard let text = string(name, required: required, maxLength: 16) else { return nil }
        guard let week = IsoWeek(text) else {
            fail(name, "must be an ISO week written YYYY-Www, e.g. 2020-W38, got '\(text)'")
            return nil
        }
        if let problem = IsoWeek.planningProblem(week) {
            fail(name, problem)
            return nil
        }
        return week
    }

    /// A list of JSON objects, each read by `parse` with a reader whose errors are reported
    /// under `name[index].field`.
    public mutating func objects<Element>(
        _ name: String,
        maxCount: Int = 100,
        _ parse: (inout FieldReader, Int) -> Element?
    ) -> [Element]? {
        guard let elements = elements(name) else { return nil }
        if elements.count > maxCount {
            fail(name, "must have at most \(maxCount) elements")
            return nil
        }
        var values: [Element] = []
        var ok = true
        for (index, element) in elements.enumerated() {
            guard case .json(.object(let object)) = element else {
                fail("\(name)[\(index)]", "must be an object")
                ok = false
                continue
            }
            var inner = FieldReader(json: object)
            let value = parse(&inner, index)
            inner.rejectUnknownFields()
            for error in inner.errors { fail("\(name)[\(index)].\(error.field)", error.message) }
            if let value, !inner.hasErrors { values.append(value) } else { ok = false }
        }
        return ok ? values : nil
    }

    // MARK: Finishing

    /// Reports every field that no reader call asked for. `readOnly` fields get a clearer message.
    public mutating func rejectUnknownFields(readOnly: Set<String> = [], advice: [String: String] = [:]) {
        for name in fields.keys.sorted() where !consumed.contains(name) {
            if readOnly.contains(name) {
                fail(name, "is read-only" + (advice[name].map { ": \($0)" } ?? ""))
            } else {
                fail(name, "unknown field")
            }
        }
    }

    // MARK: Conversions

    private static func integer(_ raw: Raw) -> Int? {
        switch raw {
        case .json(.int(let value)): return Int(exactly: value)
        case .json(.double(let value)): return value.rounded() == value && abs(value) < 9.0e15 ? Int(value) : nil
        case .text(let text): return Int(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Division codes are strings, but a spreadsheet or a careless client may send 341125 as a number.
    private static func codeText(_ raw: Raw) -> String? {
        switch raw {
        case .json(.string(let text)), .text(let text): return text.trimmingCharacters(in: .whitespaces)
        case .json(.int(let number)): return String(number)
        default: return nil
        }
    }

    private static func got(_ raw: Raw) -> String {
        switch raw {
        case .json(let value): ", not \(value.typeName)"
        case .text(let text): ", got '\(text.prefix(40))'"
        }
    }

    private static func rangeMessage(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "must be at least \(range.lowerBound)" }
        return "must be from \(range.lowerBound) to \(range.upperBound)"
    }
}
