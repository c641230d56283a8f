import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Testing

/// What chanxiao sends, verified by an independent implementation: Python's
/// `standardwebhooks` package, run by `Tests/Scripts/verify_webhook.py`. Without python3 or
/// the package the test fails and says what to install; it never skips.
@Suite(.serialized) struct StandardWebhooksInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/verify_webhook.py")

    struct VerifierFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Each case verified by the package: ok, or the package's reason.
    static func verify(_ cases: [(secret: String, headers: [String: String], body: String)]) throws -> [[String: JSONValue]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-webhooks-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let json: JSONValue = .array(
            cases.map { item in
                .object(["secret": .string(item.secret), "headers": .object(item.headers.mapValues(JSONValue.string)), "body": .string(item.body)])
            }
        )
        try Data(JSONWriter.encode(json)).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw VerifierFailure(description: "could not start python3 for the Standard Webhooks check: \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return try JSONValue.parse(data).array?.compactMap(\.objectValue) ?? []
        case 127:
            throw VerifierFailure(
                description: "python3 is not installed; the check needs it with the standardwebhooks package (pip install standardwebhooks)"
            )
        default: throw VerifierFailure(description: "the Standard Webhooks check failed (exit \(process.terminationStatus)): \(stderr)")
        }
    }

    @Test func thePythonPackageVerifiesWhatWeSendWithEitherSecret() async throws {
        let receiver = Receiver()
        let newSecret = try await receiver.serve { base -> String in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/ok")
            var generator = SystemRandomNumberGenerator()
            let newSecret = StandardWebhooks.generateSecret(byteCount: 48, using: &generator)
            _ = try await fixture.database.rotateWebhookSecret(id: "hook", newSecret: newSecret, overlap: 3600, context: fixture.context)
            try await fixture.propose(2)
            await fixture.service.deliverDue()
            return newSecret
        }
        let received = receiver.received(at: "/ok")
        #expect(received.count == 2)
        var cases: [(secret: String, headers: [String: String], body: String)] = []
        for request in received {
            let headers = request.headers.filter { $0.key.hasPrefix("webhook-") }
            let body = String(decoding: request.body, as: UTF8.self)
            #expect(headers["webhook-signature"]?.split(separator: " ").count == 2)
            cases.append((newSecret, headers, body))
            cases.append((DeliveryFixture.secret, headers, body))
            // A changed body, or a secret that never signed, must not verify.
            cases.append((newSecret, headers, body.replacingOccurrences(of: "保靖", with: "保镜")))
            cases.append(("whsec_" + Data(repeating: 7, count: 32).base64EncodedString(), headers, body))
        }
        let results = try Self.verify(cases)
        #expect(results.count == cases.count)
        for (index, result) in results.enumerated() {
            let shouldVerify = index % 4 < 2
            #expect(result["ok"] == .bool(shouldVerify), "case \(index): \(result)")
            if shouldVerify { #expect(result["type"] == .string("match.proposed")) }
        }
    }

    @Test func theSpecificationsVectorVerifiesInBothImplementations() throws {
        // The published vector carries an old timestamp, which the package refuses as too
        // old; the signature itself is checked here, the package's acceptance above.
        #expect(
            StandardWebhooks.signature(
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
                timestamp: 1_614_265_330,
                body: Array(#"{"test": 2432232314}"#.utf8)
            ) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        )
        let results = try Self.verify([
            (
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                [
                    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                ],
                #"{"test": 2432232314}"#
            )
        ])
        #expect(results.first?["ok"] == .bool(false))
        #expect(results.first?["error"]?.string?.contains("too old") == true)
    }
}
