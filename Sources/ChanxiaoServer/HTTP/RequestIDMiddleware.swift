import ChanxiaoCore
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    /// The id of a request, taken from the client or made by chanxiao, and sent back.
    static let requestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an id: the client's `X-Request-Id` when it is valid
/// (`RequestTrace.isValid`: 1–128 characters of `A-Z a-z 0-9 . _ : -`), else a fresh one. The
/// id goes into the request's log metadata (`request_id`), into `RequestTrace.id` for the
/// code that handles the request (webhook messages written for it store it), and back in the
/// response's `X-Request-Id`. Added before `ProblemMiddleware`, so that problem responses
/// carry it too.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap { RequestTrace.isValid($0) ? $0 : nil } ?? RequestTrace.generate()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        var response: Response
        do {
            response = try await RequestTrace.$id.withValue(id) { try await next(request, context) }
        } catch let error as any HTTPResponseError {
            // ProblemMiddleware answers every error; should one still come through, it keeps the id.
            response = try error.response(from: request, context: context)
        }
        response.headers[.requestID] = id
        return response
    }
}
