import Foundation
import Logging

/// A swift-log handler that writes each event as one line, in logfmt or JSON (from
/// `LogSettings`, so a reload switches both level and format live).
public struct StructuredLogHandler: LogHandler {
    public let label: String
    let settings: LogSettings
    let write: @Sendable (String) -> Void
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Set only when code asks one logger for a level of its own.
    private var levelOverride: Logger.Level?

    public init(
        label: String,
        settings: LogSettings,
        metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = StructuredLogHandler.standardError
    ) {
        self.label = label
        self.settings = settings
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public var logLevel: Logger.Level {
        get { levelOverride ?? settings.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.line(
            time: Date(),
            level: event.level,
            label: label,
            message: event.message.description,
            metadata: merged,
            format: settings.format
        )
        write(line + "\n")
    }

    /// One event as text, without the newline. Metadata keys come in sorted order.
    public static func line(
        time: Date,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata,
        format: LogFormat
    ) -> String {
        var fields: [(String, String)] = [("time", timestamp(time)), ("level", level.rawValue), ("logger", label), ("msg", message)]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !["time", "level", "logger", "msg"].contains(key) {
            fields.append((key, text(value)))
        }
        switch format {
        case .logfmt:
            return fields.map { "\(logfmtKey($0.0))=\(logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            return "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
        }
    }

    static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let items): "[" + items.map(text).joined(separator: ",") + "]"
        case .dictionary(let entries): "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key)=\(text($0.value))" }.joined(separator: ",") + "}"
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func logfmtKey(_ key: String) -> String {
        let cleaned = String(
            key.unicodeScalars.map { scalar -> Character in
                scalar == "=" || scalar == "\"" || scalar.properties.isWhitespace || scalar.value < 0x20 ? "_" : Character(scalar)
            }
        )
        return cleaned.isEmpty ? "_" : cleaned
    }

    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty || value.unicodeScalars.contains { $0 == "=" || $0 == "\"" || $0 == "\\" || $0.properties.isWhitespace || $0.value < 0x20 }
        guard needsQuotes else { return value }
        return "\"" + escaped(value) + "\""
    }

    static func jsonString(_ value: String) -> String {
        "\"" + escaped(value) + "\""
    }

    /// Backslash escapes shared by both formats: quotes, backslashes and control characters,
    /// so that a message never spans two lines.
    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Writes a line to standard error in one call, so lines from several threads never mix.
    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}
