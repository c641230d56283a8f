/// The id of the request (or job) a task works for, carried as a task-local value so that
/// every layer can read it without passing it along: the HTTP middleware sets it from the
/// `X-Request-Id` header (or makes one), log lines carry it as `request_id`, and webhook
/// messages written on the request's behalf store it (and send it as `X-Request-Id`).
///
/// Store writes run their closures on GRDB's queues, where task-locals are not visible: read
/// `RequestTrace.id` in the calling task (as `WriteContext` does when it is made) and pass it in.
public enum RequestTrace {
    /// The current request id, nil outside a request.
    @TaskLocal public static var id: String?

    public static let maxLength = 128

    /// Whether a client's id can be taken as it is: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`
    /// (so that it is safe in a log line and a header, and cannot forge either).
    public static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return bytes.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }

    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)  // Crockford base32, lower case

    /// A fresh id: `req_` and 20 random base32 characters (100 bits).
    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        var bytes = Array("req_".utf8)
        bytes.reserveCapacity(24)
        for _ in 0..<20 {
            bytes.append(alphabet[Int(generator.next() & 31)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }
}
