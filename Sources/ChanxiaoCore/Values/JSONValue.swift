import Foundation

/// A JSON document as a value: what request bodies are parsed into before field-by-field
/// validation, so that every bad field can be reported at once rather than the first one only.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON type name used in error messages ("expected an integer, got a string").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses a request body. Throws `BodyError` with a readable reason when it is not JSON.
    public static func parse(_ data: Data) throws(BodyError) -> JSONValue {
        if data.isEmpty { throw BodyError("the request body is empty; send a JSON object") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context):
                let reason = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                throw BodyError("the request body is not valid JSON" + (reason.map { ": \($0)" } ?? ""))
            default:
                throw BodyError("the request body is not valid JSON")
            }
        } catch {
            throw BodyError("the request body is not valid JSON")
        }
    }

    /// Parses a request body that must be a JSON object.
    public static func parseObject(_ data: Data) throws(BodyError) -> [String: JSONValue] {
        let value = try parse(data)
        guard let object = value.objectValue else {
            throw BodyError("the request body must be a JSON object, not \(value.typeName)")
        }
        return object
    }

    /// Text for a CSV cell: the inverse of how `FieldReader` reads text cells.
    public var csvText: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): Self.formatDecimal(value)
        case .string(let value): value
        case .array(let values): values.map(\.csvText).joined(separator: FieldReader.listSeparator)
        case .object: ""
        }
    }

    static func formatDecimal(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A request body that could not be read at all (as opposed to a field that is wrong).
public struct BodyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// An object from named members (nested objects are written with sorted keys).
    public static func record(_ fields: [(name: String, value: JSONValue)]) -> JSONValue {
        .object(Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}
