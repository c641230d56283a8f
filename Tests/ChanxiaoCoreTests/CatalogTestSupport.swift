import ChanxiaoCore
import Testing

let testNowText = "2020-09-13T12:26:40.000Z"

/// The checks every entity's good input must pass: field order, and JSON and CSV round trips.
func checkRepresentations<Entity: CatalogEntity>(_ entity: Entity, sourceLocation: SourceLocation = #_sourceLocation) {
    // Every field, writable then read-only, in canonical order.
    #expect(entity.fields.map(\.name) == Entity.writableFields + Entity.readOnlyFields, sourceLocation: sourceLocation)
    #expect(Array(entity.fields.suffix(2).map(\.value)) == [.string(testNowText), .string(testNowText)], sourceLocation: sourceLocation)
    // writableJSON is the writable subset of fields.
    let fields = Dictionary(uniqueKeysWithValues: entity.fields.map { ($0.name, $0.value) })
    #expect(Set(entity.writableJSON.keys) == Set(Entity.writableFields), sourceLocation: sourceLocation)
    for (name, value) in entity.writableJSON {
        #expect(fields[name] == value, "\(name)", sourceLocation: sourceLocation)
    }
    // Parsing the writable JSON gives the entity back.
    let fromJSON = Entity.parse(reader: FieldReader(json: entity.writableJSON), context: testContext)
    #expect(fromJSON == .success(entity), sourceLocation: sourceLocation)
    // So does parsing its CSV row under the writable header.
    #expect(entity.csvRow.count == Entity.writableFields.count, sourceLocation: sourceLocation)
    let cells = Dictionary(uniqueKeysWithValues: zip(Entity.writableFields, entity.csvRow))
    let fromCSV = Entity.parse(reader: FieldReader(text: cells, row: 2), context: testContext)
    #expect(fromCSV == .success(entity), sourceLocation: sourceLocation)
    // Read-only fields are refused in input.
    for name in Entity.readOnlyFields {
        var input = entity.writableJSON
        input[name] = fields[name]
        let result = Entity.parse(reader: FieldReader(json: input), context: testContext)
        let advice = Entity.readOnlyAdvice[name].map { ": \($0)" } ?? ""
        #expect(result.failure?.errors == [FieldError(field: name, message: "is read-only" + advice)], sourceLocation: sourceLocation)
    }
}

/// RFC 7396 JSON merge patch on one level (what PATCH does to the stored fields).
func mergePatch(_ base: [String: JSONValue], _ patch: [String: JSONValue]) -> [String: JSONValue] {
    var result = base
    for (key, value) in patch {
        result[key] = value == .null ? nil : value
    }
    return result
}

func checkBadInput<Entity: CatalogEntity>(
    _: Entity.Type,
    good: String,
    _ bad: BadInput,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let result = parse(Entity.self, json: merged(good, bad.json))
    expectError(result.failure, field: bad.field, containing: bad.fragment, sourceLocation: sourceLocation)
}
