import ChanxiaoCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem detail, the body of every error response
/// (`Content-Type: application/problem+json`).
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// A URN naming the kind of problem, e.g. `urn:chanxiao:problem:validation`.
    public var type: String
    public var title: String
    public var detail: String?
    public var errors: [FieldError]
    /// Extra members (RFC 9457 §3.2), such as `error_count`.
    public var extensions: [String: JSONValue]
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status,
        type: String,
        title: String,
        detail: String? = nil,
        errors: [FieldError] = [],
        extensions: [String: JSONValue] = [:],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = "urn:chanxiao:problem:" + type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields: [(String, JSONValue)] = [
            ("type", .string(type)), ("title", .string(title)), ("status", .int(Int64(status.code))),
        ]
        if let detail { fields.append(("detail", .string(detail))) }
        if !errors.isEmpty {
            fields.append(
                (
                    "errors",
                    .array(
                        errors.map { error in
                            var item: [String: JSONValue] = ["field": .string(error.field), "message": .string(error.message)]
                            if let row = error.row { item["row"] = .int(Int64(row)) }
                            return .object(item)
                        }
                    )
                )
            )
        }
        for (key, value) in extensions.sorted(by: { $0.key < $1.key }) { fields.append((key, value)) }
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.encode(fields))))
    }
}

extension Problem {
    static func validation(_ failure: ValidationFailure, limit: Int = .max) -> Problem {
        let shown = Array(failure.errors.prefix(limit))
        let count = failure.totalCount == 1 ? "1 problem" : "\(failure.totalCount) problems"
        let detail = failure.totalCount > shown.count ? "\(count); the first \(shown.count) are listed" : count
        return Problem(
            .unprocessableContent,
            type: "validation",
            title: "Invalid input",
            detail: detail,
            errors: shown,
            extensions: ["error_count": .int(Int64(failure.totalCount))]
        )
    }

    static func badRequest(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.badRequest, type: "bad-request", title: "Bad request", detail: detail, errors: errors)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: detail)
    }

    static func forbidden(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: detail, errors: errors)
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, type: "conflict", title: "Conflict", detail: detail)
    }

    /// `basic`: the route is a calendar feed, and the challenge offers Basic too: calendar apps
    /// send a user name and password (a calendar token) only when asked for them. Elsewhere only
    /// Bearer is offered, so a browser never prompts for (and then keeps sending) a password.
    static func unauthorized(_ detail: String, invalidToken: Bool, basic: Bool = false) -> Problem {
        let challenge =
            (invalidToken ? "Bearer realm=\"chanxiao\", error=\"invalid_token\"" : "Bearer realm=\"chanxiao\"")
            + (basic ? ", Basic realm=\"chanxiao calendars\", charset=\"UTF-8\"" : "")
        return Problem(
            .unauthorized,
            type: "unauthorized",
            title: "Unauthorized",
            detail: detail,
            headers: [.wwwAuthenticate: challenge]
        )
    }

    /// 429 for a client address that keeps failing authentication (`auth.failure_limit`).
    static func tooManyRequests(retryAfter seconds: Int, detail: String) -> Problem {
        Problem(
            .tooManyRequests,
            type: "too-many-requests",
            title: "Too many requests",
            detail: "\(detail); this address has failed authentication repeatedly: retry after \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }

    /// 422: the request is fine, but the stored records make a figure it asks for larger than
    /// chanxiao reports exactly (`Figure.limit`).
    static func figureOutOfRange(_ refusal: FigureOutOfRange) -> Problem {
        Problem(
            .unprocessableContent,
            type: "figure-out-of-range",
            title: "Figure out of range",
            detail: refusal.description + "; narrow the period or region, or correct the records it sums",
            errors: [FieldError(field: refusal.figure, message: "of \(refusal.subject) exceeds \(Figure.limit)")]
        )
    }

    static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(.unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type", detail: detail)
    }
}
