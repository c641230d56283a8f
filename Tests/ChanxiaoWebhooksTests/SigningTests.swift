import ChanxiaoWebhooks
import Foundation
import Testing

@Suite("Signing")
struct SigningTests {
    // MARK: Standard Webhooks

    /// The test vector of the Standard Webhooks specification and its reference libraries.
    static let specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let specID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let specTimestamp: Int64 = 1_614_265_330
    static let specBody = Data(#"{"test": 2432232314}"#.utf8)
    static let specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func specificationVector() {
        let signature = StandardWebhooks.signature(
            secret: Self.specSecret,
            id: Self.specID,
            timestamp: Self.specTimestamp,
            body: Self.specBody
        )
        #expect(signature == Self.specSignature)
    }

    @Test(
        "any change to id, timestamp or body changes the signature",
        arguments: [
            ("msg_p5jXN8AQM9LWM0D4loKWxJeK", specTimestamp, #"{"test": 2432232314}"#),
            (specID, specTimestamp + 1, #"{"test": 2432232314}"#),
            (specID, specTimestamp, #"{"test": 2432232315}"#),
            (specID, specTimestamp, #"{"test":2432232314}"#),
        ]
    )
    func tampered(id: String, timestamp: Int64, body: String) {
        let signature = StandardWebhooks.signature(secret: Self.specSecret, id: id, timestamp: timestamp, body: Data(body.utf8))
        #expect(signature != nil)
        #expect(signature != Self.specSignature)
    }

    @Test("two secrets give two signatures, in the order given (newest first)")
    func rotation() throws {
        var generator = SystemRandomNumberGenerator()
        let newest = StandardWebhooks.generateSecret(using: &generator)
        let header = StandardWebhooks.signatureHeader(
            secrets: [newest, Self.specSecret],
            id: Self.specID,
            timestamp: Self.specTimestamp,
            body: Self.specBody
        )
        let parts = header.split(separator: " ").map(String.init)
        try #require(parts.count == 2)
        #expect(
            parts[0]
                == StandardWebhooks.signature(
                    secret: newest,
                    id: Self.specID,
                    timestamp: Self.specTimestamp,
                    body: Self.specBody
                )
        )
        #expect(parts[1] == Self.specSignature)
        #expect(parts[0] != parts[1])
    }

    @Test func headers() {
        let headers = StandardWebhooks.headers(
            secrets: [Self.specSecret],
            id: Self.specID,
            timestamp: Self.specTimestamp,
            body: Self.specBody
        )
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == [Self.specID, "1614265330", Self.specSignature])
    }

    @Test("generated secrets are whsec_ + base64 of the requested bytes", arguments: [24, 32, 48, 64])
    func generatedSecret(byteCount: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let secret = StandardWebhooks.generateSecret(byteCount: byteCount, using: &generator)
        #expect(secret.hasPrefix("whsec_"))
        let key = try #require(StandardWebhooks.key(of: secret))
        #expect(key.count == byteCount)
        #expect(StandardWebhooks.generateSecret(byteCount: byteCount, using: &generator) != secret)
    }

    @Test(
        "invalid secrets give no signature",
        arguments: [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",  // no prefix
            "whsec_", "whsec_not base64!", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "",
        ]
    )
    func invalidSecret(secret: String) {
        #expect(StandardWebhooks.key(of: secret) == nil)
        #expect(StandardWebhooks.signature(secret: secret, id: Self.specID, timestamp: Self.specTimestamp, body: Self.specBody) == nil)
        // An invalid secret next to a valid one is skipped, not signed with an empty key.
        #expect(
            StandardWebhooks.signatureHeader(
                secrets: [secret, Self.specSecret],
                id: Self.specID,
                timestamp: Self.specTimestamp,
                body: Self.specBody
            )
                == Self.specSignature
        )
    }

    // MARK: Chat robots

    /// Computed independently with Python:
    ///     ts = 1700000000000; secret = "SEC0123456789abcdef"
    ///     urllib.parse.quote_plus(base64.b64encode(
    ///         hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()))
    @Test(
        "DingTalk: HMAC of timestamp-newline-secret, base64, URL-encoded",
        arguments: [
            (Int64(1_700_000_000_000), "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D"),
            (1_700_000_000_002, "VGvd0brDJp%2FnMZtR%2BXnA3yBIlhowT%2BTwkRPua0q1%2Fjg%3D"),  // '+' must become %2B
        ]
    )
    func dingTalk(timestamp: Int64, expected: String) {
        let signed = RobotSigning.dingTalk(secret: "SEC0123456789abcdef", timestampMilliseconds: timestamp)
        #expect(signed.timestamp == String(timestamp))
        #expect(signed.sign == expected)
    }

    /// Computed independently with Python:
    ///     t = 1599360473; secret = "demo-feishu-secret"
    ///     base64.b64encode(hmac.new(f"{t}\n{secret}".encode(), b"", hashlib.sha256).digest())
    @Test func feishu() {
        let signed = RobotSigning.feishu(secret: "demo-feishu-secret", timestampSeconds: 1_599_360_473)
        #expect(signed.timestamp == "1599360473")
        #expect(signed.sign == "I14G+BylJBIS1VqI4nUg1mKqMAjMGZlFJGT36IJRUr8=")
    }
}
