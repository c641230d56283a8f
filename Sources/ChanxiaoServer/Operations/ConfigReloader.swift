import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import Crypto
import Foundation
import Logging

/// What a reload did.
public enum ReloadOutcome: Sendable {
    /// The file changed something: `change.applied` is in force now.
    case applied(ConfigChange)
    /// The file validates and changes nothing that can change live.
    case unchanged(ConfigChange)
    /// The file does not validate; the configuration in force stays.
    case rejected(ConfigError)

    public var name: String {
        switch self {
        case .applied: "applied"
        case .unchanged: "unchanged"
        case .rejected: "rejected"
        }
    }
}

/// Reloads the configuration for SIGHUP and `POST /v1/admin/reload` alike: tells systemd
/// (RELOADING=1, then READY=1), validates the file whole, swaps it in or keeps the old one,
/// logs the outcome with each key, counts it, and updates the log level and format.
public final class ConfigReloader: Sendable {
    let config: ConfigStore
    let notifier: SystemdNotifier
    let logSettings: LogSettings?
    let logger: Logger

    public init(
        config: ConfigStore,
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        logSettings: LogSettings? = nil,
        logger: Logger = Logger(label: "chanxiao")
    ) {
        self.config = config
        self.notifier = notifier
        self.logSettings = logSettings
        self.logger = logger
    }

    @discardableResult
    public func reload(trigger: String) -> ReloadOutcome {
        notifier.reloading(status: "reloading the configuration (\(trigger))")
        let outcome: ReloadOutcome
        do {
            let change = try config.reload()
            outcome = change.applied.isEmpty ? .unchanged(change) : .applied(change)
        } catch let error as ConfigError {
            outcome = .rejected(error)
        } catch {
            outcome = .rejected(ConfigError(issues: [ConfigIssue(key: "(file)", message: "\(error)", source: nil)]))
        }
        let current = config.current
        let hash = ConfigDigest.hash(current)
        switch outcome {
        case .applied(let change), .unchanged(let change):
            logSettings?.update(
                level: Logger.Level(rawValue: current.logging.level) ?? .info,
                format: LogFormat(rawValue: current.logging.format) ?? .logfmt
            )
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "trigger": "\(trigger)", "outcome": "\(outcome.name)", "config_hash": "\(hash)",
                    "applied": "\(change.applied.joined(separator: ","))",
                ]
            )
            for key in change.restartRequired {
                logger.warning("configuration change waits for a restart", metadata: ["key": "\(key)", "trigger": "\(trigger)"])
            }
            DaemonMetrics.configReload(outcome: outcome.name, restartRequired: change.restartRequired.count, at: Date().timeIntervalSince1970)
        case .rejected(let error):
            for issue in error.issues {
                var metadata: Logger.Metadata = ["key": "\(issue.key)", "reason": "\(issue.message)", "trigger": "\(trigger)"]
                if let source = issue.source { metadata["source"] = "\(source)" }
                logger.error("configuration reload rejected; the configuration in force stays", metadata: metadata)
            }
            DaemonMetrics.configReload(outcome: outcome.name, restartRequired: 0, at: Date().timeIntervalSince1970)
        }
        notifier.ready(status: ServingStatus.text(config: current, note: "configuration \(outcome.name)"))
        return outcome
    }
}

/// The configuration's identity: SHA-256 of its canonical text (secrets redacted), in hex.
/// Match runs record it and `GET /v1/admin/config` shows it.
public enum ConfigDigest {
    public static func hash(_ config: ChanxiaoConfig) -> String {
        SHA256.hash(data: Data(config.canonicalText.utf8)).lowercaseHex
    }
}

/// The one-line STATUS the daemon shows in `systemctl status`.
public enum ServingStatus {
    public static func text(config: ChanxiaoConfig, address: String? = nil, note: String? = nil) -> String {
        var text = address.map { "serving on \($0)" } ?? "serving"
        text += "; configuration \(ConfigDigest.hash(config).prefix(12))"
        if let note { text += "; \(note)" }
        return text
    }
}
