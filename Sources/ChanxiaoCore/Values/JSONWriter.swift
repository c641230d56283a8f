/// Serialises JSON with object members in a chosen order, so that responses read the way the
/// API reference lists fields (`JSONEncoder` on Linux does not keep key order). Members of
/// nested `JSONValue.object`s are written in sorted order.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public static func encode(_ fields: [(name: String, value: JSONValue)]) -> [UInt8] {
        var writer = JSONWriter()
        writer.object(fields)
        return writer.bytes
    }

    /// An object of `fields` followed by lists of objects that keep their members' order too.
    public static func encode(
        _ fields: [(name: String, value: JSONValue)],
        lists: [(name: String, items: [[(name: String, value: JSONValue)]])]
    )
        -> [UInt8]
    {
        var writer = JSONWriter()
        writer.raw("{")
        for (index, field) in fields.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string(field.name)
            writer.raw(":")
            writer.value(field.value)
        }
        for (index, list) in lists.enumerated() {
            if index > 0 || !fields.isEmpty { writer.raw(",") }
            writer.string(list.name)
            writer.raw(":")
            writer.array(list.items) { $0.object($1) }
        }
        writer.raw("}")
        return writer.bytes
    }

    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }

    /// Appends a literal JSON fragment.
    public mutating func raw(_ fragment: String) {
        bytes.append(contentsOf: fragment.utf8)
    }

    public mutating func object(_ fields: [(name: String, value: JSONValue)]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(field.name)
            bytes.append(UInt8(ascii: ":"))
            value(field.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes `[item, item, …]` where each item is written by `body`.
    public mutating func array<Items: Sequence>(_ items: Items, _ body: (inout JSONWriter, Items.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            body(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number):
            bytes.append(
                contentsOf: (number.isFinite ? (number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)) : "null")
                    .utf8
            )
        case .string(let text): string(text)
        case .array(let values): array(values) { $0.value($1) }
        case .object(let members): object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
