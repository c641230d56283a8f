import Foundation

/// What a reload does: the configuration to put in force, the keys it changes, and the keys
/// whose new values wait for a restart (the running value stays in force for those).
public struct ConfigChange: Sendable, Equatable {
    /// The file's configuration with the startup-only values of the one running.
    public var config: ChanxiaoConfig
    /// Keys whose values change now, in schema order.
    public var applied: [String]
    /// Keys the file changes that take effect only after a restart.
    public var restartRequired: [String]

    public init(running: ChanxiaoConfig, loaded: ChanxiaoConfig) {
        let restartKeys = Set(ChanxiaoConfig.restartRequiredKeys)
        let changed = Self.changedKeys(from: running, to: loaded)
        config = loaded.keepingStartupSettings(of: running)
        applied = changed.filter { !restartKeys.contains($0) }
        restartRequired = changed.filter(restartKeys.contains)
    }

    public var isEmpty: Bool { applied.isEmpty && restartRequired.isEmpty }

    /// Keys with different values, secrets included (their listed values are redacted alike).
    static func changedKeys(from old: ChanxiaoConfig, to new: ChanxiaoConfig) -> [String] {
        let before = Dictionary(old.effectiveValues.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        var keys = new.effectiveValues.filter { before[$0.key] != $0.value }.map(\.key)
        if old.metrics.token != new.metrics.token, !keys.contains("metrics.token") { keys.append("metrics.token") }
        return keys
    }
}
