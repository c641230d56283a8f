import Logging
import Synchronization

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `time=… level=info logger=chanxiao msg="…" key=value`, for people and grep.
    case logfmt
    /// One JSON object per line, for log shippers.
    case json
}

/// The level and format in force, shared by every handler of the process so that a reload
/// changes them at once, without a restart.
public final class LogSettings: Sendable {
    private let state: Mutex<(level: Logger.Level, format: LogFormat)>

    public init(level: Logger.Level = .info, format: LogFormat = .logfmt) {
        state = Mutex((level, format))
    }

    public var level: Logger.Level { state.withLock { $0.level } }
    public var format: LogFormat { state.withLock { $0.format } }

    public func update(level: Logger.Level, format: LogFormat) {
        state.withLock { $0 = (level, format) }
    }
}
