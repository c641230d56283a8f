import Foundation

/// Opaque pagination cursors: the id of the last item of a page, base64url-encoded, so that
/// clients do not build them and ids with any allowed characters survive a query string.
public enum Cursor {
    public static func encode(afterID id: String) -> String {
        Data(("v1:" + id).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The id after which the next page starts, or nil if `cursor` was not made by `encode`.
    public static func decode(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("v1:")
        else { return nil }
        return String(text.dropFirst(3))
    }
}
