import ChanxiaoConfig
import ChanxiaoCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// The body as a JSON object, refusing other media types and bodies over `limit` bytes.
    /// `allowEmpty`: every member is optional, and an empty body means none of them.
    mutating func jsonObject(limit: Int, mergePatch: Bool = false, allowEmpty: Bool = false) async throws -> [String: JSONValue] {
        let mediaType = headers[.contentType].flatMap(MediaType.init(from:))
        let accepted = mediaType.map { $0.type == .application && ($0.subType == "json" || $0.subType.hasSuffix("+json")) } ?? false
        guard accepted else {
            let expected = mergePatch ? "application/merge-patch+json or application/json" : "application/json"
            throw Problem.unsupportedMediaType(
                "send the body as \(expected) (Content-Type: \(expected.split(separator: " ").first ?? "application/json"))"
            )
        }
        let buffer = try await collectBody(upTo: limit)
        if allowEmpty, buffer.readableBytes == 0 { return [:] }
        return try JSONValue.parseObject(Data(buffer: buffer))
    }

    /// The optional `reason` of an act that needs none (cancelling, releasing): an empty JSON
    /// body gives none; a body may hold only `reason`.
    mutating func optionalReason(limit: Int) async throws -> String? {
        var reader = FieldReader(json: try await jsonObject(limit: limit, allowEmpty: true))
        let reason = reader.string("reason", maxLength: 1000)
        reader.rejectUnknownFields()
        if reader.hasErrors { throw ValidationFailure(reader.errors) }
        return reason
    }

    /// The body as bytes of a CSV file, refusing other media types and bodies over `limit` bytes.
    mutating func csvBytes(limit: Int) async throws -> [UInt8] {
        let mediaType = headers[.contentType].flatMap(MediaType.init(from:))
        guard let mediaType, mediaType.type == .text && mediaType.subType == "csv" else {
            throw Problem.unsupportedMediaType("send the file as text/csv (Content-Type: text/csv; charset=utf-8)")
        }
        // Every parameter of the raw header: MediaType keeps only the first.
        let parameters = (headers[.contentType] ?? "").split(separator: ";").dropFirst().map { $0.split(separator: "=", maxSplits: 1) }
        for parameter in parameters where parameter.count == 2 && parameter[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
            let charset = parameter[1].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            if charset.lowercased() != "utf-8" { throw Problem.unsupportedMediaType("CSV files must be UTF-8, not \(charset)") }
        }
        let buffer = try await collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    /// The page and filters of a list request, or 400 naming each bad parameter.
    func listQuery(filters: [FilterSpec], config: ChanxiaoConfig) throws -> ListQuery {
        try ListQuery.parse(queryPairs, filters: filters, defaultLimit: config.api.defaultPageSize, maxLimit: config.api.maxPageSize)
            .mapError { Problem.badRequest("invalid query parameters", errors: $0.errors) }.get()
    }

    /// Query parameters as (name, value) pairs, in order.
    var queryPairs: [(String, String)] {
        uri.queryParameters.map { (String($0.key), String($0.value)) }
    }
}

/// JSON and CSV responses.
enum Respond {
    static func json(_ fields: [(name: String, value: JSONValue)], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(JSONWriter.encode(fields), status: status, headers: headers)
    }

    static func json(
        _ fields: [(name: String, value: JSONValue)],
        lists: [(name: String, items: [[(name: String, value: JSONValue)]])],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        json(JSONWriter.encode(fields, lists: lists), status: status, headers: [:])
    }

    /// `{"items": [...], "next_cursor": ...}`: one page of a list.
    static func list(_ items: [[(name: String, value: JSONValue)]], nextCursor: String?) -> Response {
        var writer = JSONWriter(capacity: 512 * max(items.count, 1))
        writer.raw(#"{"items":"#)
        writer.array(items) { $0.object($1) }
        writer.raw(#","next_cursor":"#)
        writer.value(JSONValue(nextCursor))
        writer.raw("}")
        return json(writer.bytes, status: .ok, headers: [:])
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func csv(_ text: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
