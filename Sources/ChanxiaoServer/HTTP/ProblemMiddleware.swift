import ChanxiaoCore
import ChanxiaoStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error into an RFC 9457 problem response: client mistakes into 4xx that name
/// the field, unexpected failures into a 500 that hides internals and is logged with the
/// request id.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Most row errors listed for a rejected import or input.
    var maxListedErrors: @Sendable () -> Int
    /// The methods a path has routes for, to tell 405 from 404.
    var allowedMethods: @Sendable (String) -> [HTTPRequest.Method]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // The router found no route: a known path with another method is 405, not 404.
            let allowed = allowedMethods(request.uri.path)
            if !allowed.isEmpty {
                return try Problem(
                    .methodNotAllowed,
                    type: "method-not-allowed",
                    title: "Method not allowed",
                    detail: "\(request.method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))",
                    headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")]
                )
                .response(from: request, context: context)
            }
            return try problem(for: error, context: context).response(from: request, context: context)
        } catch {
            return try problem(for: error, context: context).response(from: request, context: context)
        }
    }

    func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let failure as ValidationFailure:
            return .validation(failure, limit: maxListedErrors())
        case let refusal as FigureOutOfRange:
            context.logger.notice("figure out of range", metadata: ["refused": "\(refusal)"])
            return .figureOutOfRange(refusal)
        case let bodyError as BodyError:
            return .badRequest(bodyError.description)
        case let storeError as StoreError:
            switch storeError {
            case .notFound: return .notFound(storeError.description)
            case .conflict(let detail): return .conflict(detail)
            case .forbidden(let detail): return .forbidden(detail)
            case .newerSchema: return internalError(storeError, context: context)
            case .busy:
                context.logger.warning("database busy")
                return Problem(
                    .serviceUnavailable,
                    type: "busy",
                    title: "Service busy",
                    detail: "the database is busy; retry shortly",
                    headers: [.retryAfter: "1"]
                )
            case .unavailable(let detail):
                context.logger.error("database unavailable", metadata: ["error": "\(detail)"])
                return Problem(
                    .serviceUnavailable,
                    type: "unavailable",
                    title: "Service unavailable",
                    detail: "the database cannot be used right now; the operator has been told by the log and /readyz",
                    headers: [.retryAfter: "30"]
                )
            case .constraintViolation(let detail):
                // Checks run before writes; this is the backstop for a race between two writers.
                context.logger.notice("constraint violation", metadata: ["error": "\(detail)"])
                return .conflict("the change conflicts with data written at the same time; reload and retry")
            }
        case let httpError as HTTPError:
            return Self.problem(for: httpError)
        case is NIOTooManyBytesError:
            return Self.problem(for: HTTPError(.contentTooLarge))
        case let responseError as any HTTPResponseError:
            return Self.problem(for: HTTPError(responseError.status))
        default:
            return internalError(error, context: context)
        }
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound:
            return .notFound(error.body ?? "no such resource or route")
        case .contentTooLarge:
            return Problem(
                .contentTooLarge,
                type: "payload-too-large",
                title: "Payload too large",
                detail: error.body ?? "the request body is larger than this endpoint accepts (server.max_body_bytes, server.max_import_bytes)"
            )
        case .methodNotAllowed:
            return Problem(.methodNotAllowed, type: "method-not-allowed", title: "Method not allowed", detail: error.body, headers: error.headers)
        default:
            return Problem(
                error.status,
                type: error.status.code < 500 ? "bad-request" : "internal",
                title: error.status.reasonPhrase,
                detail: error.body,
                headers: error.headers
            )
        }
    }

    private func internalError(_ error: any Error, context: Context) -> Problem {
        context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        return Problem(
            .internalServerError,
            type: "internal",
            title: "Internal error",
            detail: "the server failed to handle the request; it has been logged with request id \(RequestTrace.id ?? context.id)"
        )
    }
}
