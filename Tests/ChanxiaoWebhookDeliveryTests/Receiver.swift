import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A real HTTP receiver on loopback, scripted per path, that keeps every request it gets.
final class Receiver: Sendable {
    struct Received: Sendable {
        var path: String
        var query: String
        var headers: [String: String]
        var body: [UInt8]
        var at: ContinuousClock.Instant
    }

    private let log = Mutex<[Received]>([])
    private let failures = Mutex<[String: Int]>([:])

    var received: [Received] { log.withLock { $0 } }

    func received(at path: String) -> [Received] { received.filter { $0.path == path } }

    /// `/flaky` answers 500 this many times before it answers 200.
    func failNext(_ count: Int, at path: String = "/flaky") {
        failures.withLock { $0[path] = count }
    }

    private func record(_ request: Request) async throws {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let entry = Received(
            path: request.uri.path,
            query: request.uri.query ?? "",
            headers: headers,
            body: Array(body.readableBytesView),
            at: .now
        )
        log.withLock { $0.append(entry) }
    }

    private static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    var router: Router<BasicRequestContext> {
        let router = Router()
        router.post("ok") { request, _ in
            try await self.record(request)
            return Response(status: .noContent)
        }
        router.post("flaky") { request, _ in
            try await self.record(request)
            let fail = self.failures.withLock { counts -> Bool in
                guard let left = counts["/flaky"], left > 0 else { return false }
                counts["/flaky"] = left - 1
                return true
            }
            return fail ? Self.json(#"{"error":"try later"}"#, status: .internalServerError) : Response(status: .ok)
        }
        router.post("slow") { request, _ in
            try await self.record(request)
            try await Task.sleep(for: .seconds(3))
            return Response(status: .ok)
        }
        router.post("gone") { request, _ in
            try await self.record(request)
            return Response(status: .gone)
        }
        router.post("busy") { request, _ in
            try await self.record(request)
            return Self.json(#"{"error":"slow down"}"#, status: .tooManyRequests, headers: [.retryAfter: "120"])
        }
        router.post("error") { request, _ in
            try await self.record(request)
            return Self.json(#"{"error":"internal"}"#, status: .internalServerError)
        }
        router.post("throttled") { request, _ in
            try await self.record(request)
            return Self.json(#"{"error":"slow down"}"#, status: .tooManyRequests)
        }
        router.post("redirect") { request, _ in
            try await self.record(request)
            return Response(status: .found, headers: [.location: "/ok"])
        }
        router.post("robot") { request, _ in
            try await self.record(request)
            return Self.json(#"{"errcode":0,"errmsg":"ok"}"#)
        }
        router.post("robot-limited") { request, _ in
            try await self.record(request)
            return Self.json(#"{"errcode":45009,"errmsg":"api freq out of limit"}"#)
        }
        router.post("feishu") { request, _ in
            try await self.record(request)
            return Self.json(#"{"code":0,"msg":"success","data":{}}"#)
        }
        return router
    }

    /// Runs `body` with the receiver listening on a free loopback port.
    func serve<Value: Sendable>(_ body: @Sendable (_ base: String) async throws -> Value) async throws -> Value {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}
