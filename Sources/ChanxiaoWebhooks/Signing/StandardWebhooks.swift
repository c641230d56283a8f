import Crypto
import Foundation

/// Signing by the Standard Webhooks specification (standardwebhooks.com): the signature is
/// `v1,` + base64 of HMAC-SHA256 over `id.timestamp.body`, keyed by the bytes the `whsec_`
/// secret encodes. Several active secrets (during a rotation) give several signatures,
/// separated by spaces, so that a receiver holding either secret verifies.
public enum StandardWebhooks {
    public static let secretPrefix = "whsec_"

    /// A fresh secret: `whsec_` + base64 of `byteCount` random bytes (24 to 64, by the spec).
    public static func generateSecret(byteCount: Int = 32, using generator: inout some RandomNumberGenerator) -> String {
        precondition((24...64).contains(byteCount), "Standard Webhooks secrets hold 24 to 64 bytes")
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return secretPrefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a `whsec_` secret, or nil when it is not one.
    public static func key(of secret: String) -> Data? {
        guard secret.hasPrefix(secretPrefix), let data = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))),
            !data.isEmpty
        else { return nil }
        return data
    }

    /// `v1,<base64>` for one secret.
    public static func signature(secret: String, id: String, timestamp: Int64, body: some DataProtocol) -> String? {
        guard let key = key(of: secret) else { return nil }
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header value: one signature per secret, newest first.
    public static func signatureHeader(secrets: [String], id: String, timestamp: Int64, body: some DataProtocol) -> String {
        secrets.compactMap { signature(secret: $0, id: id, timestamp: timestamp, body: body) }.joined(separator: " ")
    }

    /// The three headers of one attempt.
    public static func headers(secrets: [String], id: String, timestamp: Int64, body: some DataProtocol) -> [(name: String, value: String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signatureHeader(secrets: secrets, id: id, timestamp: timestamp, body: body)),
        ]
    }
}

/// The signing schemes of the chat robots' custom webhooks.
public enum RobotSigning {
    /// DingTalk custom robot (加签): `sign` = URL-encoded base64 HMAC-SHA256 keyed by the
    /// secret over "timestamp\nsecret", with `timestamp` in milliseconds; both go in the query.
    public static func dingTalk(secret: String, timestampMilliseconds: Int64) -> (timestamp: String, sign: String) {
        let text = "\(timestampMilliseconds)\n\(secret)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let base64 = Data(mac).base64EncodedString()
        return (String(timestampMilliseconds), percentEncoded(base64))
    }

    /// Feishu (Lark) custom bot (签名校验): `sign` = base64 HMAC-SHA256 keyed by
    /// "timestamp\nsecret" over an empty message, with `timestamp` in seconds; both go in the
    /// JSON body.
    public static func feishu(secret: String, timestampSeconds: Int64) -> (timestamp: String, sign: String) {
        let key = "\(timestampSeconds)\n\(secret)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data(key.utf8)))
        return (String(timestampSeconds), Data(mac).base64EncodedString())
    }

    /// Percent-encoding for a query value: everything but RFC 3986's unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
