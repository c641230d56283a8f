/// RFC 7396 merge patch of one flat object: members replace, a null member removes (back to
/// the default), the rest stay.
public enum MergePatch {
    /// `base` patched. A null member that is not in `writable` (read-only or unknown) is kept,
    /// so that it is refused like any other value instead of vanishing: `{"ends_onn": null}`
    /// must not answer 200 having changed nothing.
    public static func apply(_ patch: [String: JSONValue], to base: [String: JSONValue], writable: Set<String>) -> [String: JSONValue] {
        var merged = base
        for (key, value) in patch {
            merged[key] = value == .null && writable.contains(key) ? nil : value
        }
        return merged
    }
}
