import ChanxiaoCore
import GRDB

extension ColumnValue {
    /// A product's `certified_spans`, read without a JSON decoder when it is as the store
    /// writes it and holds no escape: loading a catalog reads one per product, and a decoder
    /// costs about 8 µs each (docs/performance.md). Anything else goes through the decoder.
    static func certifiedSpans(_ row: Row, _ name: String) throws -> [CertifiedSpan] {
        let text: String = row[name]
        if text == "[]" { return [] }
        if let spans = quickSpans(text) { return spans }
        return try jsonArray(row, name)
    }

    /// `[{"certificate_no":"…","from":"…","through":"…"},…]` with no backslash anywhere, so
    /// every string runs from one quote to the next; nil for any other shape.
    static func quickSpans(_ text: String) -> [CertifiedSpan]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        var spans: [CertifiedSpan] = []
        var members: [String] = []
        var index = 1
        var inObject = false
        while index < bytes.count - 1 {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard !inObject else { return nil }
                inObject = true
                members.removeAll(keepingCapacity: true)
            case UInt8(ascii: "}"):
                guard inObject, let span = span(members) else { return nil }
                spans.append(span)
                inObject = false
            case UInt8(ascii: "\""):
                guard inObject, let end = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                members.append(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
                index = end
            case UInt8(ascii: ":"), UInt8(ascii: ","):
                break
            default:
                return nil
            }
            index += 1
        }
        return inObject ? nil : spans
    }

    /// Keys and values in turn: certificate_no and through, from when present.
    private static func span(_ members: [String]) -> CertifiedSpan? {
        guard members.count.isMultiple(of: 2) else { return nil }
        var number: String?
        var from: CalendarDate?
        var through: CalendarDate?
        for pair in stride(from: 0, to: members.count, by: 2) {
            let value = members[pair + 1]
            switch members[pair] {
            case "certificate_no": number = value
            case "from":
                guard let date = CalendarDate(value) else { return nil }
                from = date
            case "through":
                guard let date = CalendarDate(value) else { return nil }
                through = date
            default: return nil
            }
        }
        guard let number, let through else { return nil }
        return CertifiedSpan(certificateNo: number, from: from, through: through)
    }
}
