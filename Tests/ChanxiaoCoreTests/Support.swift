import ChanxiaoCore
import Foundation
import Testing

/// A date literal for tests; the tables only hold valid dates.
func day(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(text) else { fatalError("bad test date \(text)") }
    return date
}

/// A JSON object literal for tests.
func object(_ text: String) -> [String: JSONValue] {
    do {
        return try JSONValue.parseObject(Data(text.utf8))
    } catch {
        fatalError("bad test JSON \(text): \(error)")
    }
}

/// 2020-09-13T12:26:40Z, a Sunday afternoon in Asia/Shanghai.
let testNow = Date(timeIntervalSince1970: 1_600_000_000)
let testContext = ParseContext(now: testNow, today: day("2020-09-13"), defaultMaxSuppliersPerCategory: 2)

func parse<Entity: CatalogEntity>(
    _: Entity.Type,
    json text: String,
    context: ParseContext = testContext
)
    -> Result<Entity, ValidationFailure>
{
    Entity.parse(reader: FieldReader(json: object(text)), context: context)
}

func parse<Entity: CatalogEntity>(
    _: Entity.Type,
    csv cells: [String: String],
    row: Int = 2,
    context: ParseContext = testContext
)
    -> Result<Entity, ValidationFailure>
{
    Entity.parse(reader: FieldReader(text: cells, row: row), context: context)
}

extension Result {
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// One bad input and the error it must produce: the field and a fragment of the message.
struct BadInput: Sendable, CustomTestStringConvertible {
    var json: String
    var field: String
    var fragment: String
    var testDescription: String { "\(field) ← \(json)" }

    init(_ json: String, _ field: String, _ fragment: String) {
        self.json = json
        self.field = field
        self.fragment = fragment
    }
}

/// Merges `overrides` (a JSON object's members, as text) over `base` (also an object).
func merged(_ base: String, _ overrides: String) -> String {
    var members = object(base)
    for (key, value) in object(overrides) { members[key] = value }
    return String(decoding: JSONWriter.encode(.object(members)), as: UTF8.self)
}

/// Removes members from a JSON object given as text.
func removing(_ base: String, _ names: String...) -> String {
    var members = object(base)
    for name in names { members[name] = nil }
    return String(decoding: JSONWriter.encode(.object(members)), as: UTF8.self)
}

func expectError(
    _ failure: ValidationFailure?,
    field: String,
    containing fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let failure else {
        Issue.record("expected a validation failure on \(field)", sourceLocation: sourceLocation)
        return
    }
    #expect(
        failure.errors.contains { $0.field == field && $0.message.contains(fragment) },
        "expected \(field): …\(fragment)…, got \(failure)",
        sourceLocation: sourceLocation
    )
}
