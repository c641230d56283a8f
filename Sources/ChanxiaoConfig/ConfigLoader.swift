import CYaml
import ChanxiaoCore
import Foundation
import Yams

/// Builds the effective configuration from, in rising precedence: built-in defaults, the YAML
/// file, `CHANXIAO_*` environment variables, and command-line flags. The result is validated
/// as a whole; any problem rejects it with every issue listed.
public enum ConfigLoader {
    /// Names the config file when `--config` is not given.
    public static let fileVariable = "CHANXIAO_CONFIG"

    /// A command-line flag that overrides one key.
    public struct Flag: Sendable {
        public var key: String
        public var flag: String
        public var value: String

        public init(key: String, flag: String, value: String) {
            self.key = key
            self.flag = flag
            self.value = value
        }
    }

    public static func load(
        file: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        flags: [Flag] = []
    ) throws(ConfigError) -> ChanxiaoConfig {
        let path = file ?? environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let path else { return try load(yaml: "", path: "<defaults>", environment: environment, flags: flags) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(issues: [ConfigIssue(key: "(file)", message: "cannot read \(path): \(Self.reason(error))", source: nil)])
        }
        return try load(yaml: text, path: path, environment: environment, flags: flags)
    }

    public static func load(
        yaml: String,
        path: String = "<config>",
        environment: [String: String] = [:],
        flags: [Flag] = []
    ) throws(ConfigError) -> ChanxiaoConfig {
        var values: [String: ConfigReader.Value] = [:]
        var issues: [ConfigIssue] = []

        let aliases = aliasIssues(in: yaml, path: path)
        if !aliases.isEmpty { throw ConfigError(issues: aliases) }
        do {
            if let root = try Yams.compose(yaml: yaml) {
                flatten(root, prefix: "", path: path, into: &values, issues: &issues)
            }
        } catch {
            let (problem, line) = Self.yamlProblem(error)
            throw ConfigError(issues: [ConfigIssue(key: "(file)", message: "not valid YAML: \(problem)", source: .file(path: path, line: line))])
        }

        let keys = ChanxiaoConfig.allKeys
        let byVariable = Dictionary(uniqueKeysWithValues: keys.map { (ChanxiaoConfig.environmentName(for: $0), $0) })
        // An empty variable is unset, as a key written with no value takes its default.
        for (name, text) in environment where name.hasPrefix("CHANXIAO_") && name != fileVariable && !text.isEmpty {
            guard let key = byVariable[name] else {
                issues.append(
                    ConfigIssue(
                        key: name,
                        message: "unknown environment variable; configuration variables are CHANXIAO_ followed by a key, e.g. CHANXIAO_SERVER_PORT",
                        source: .environment(name)
                    )
                )
                continue
            }
            values[key] = ConfigReader.Value(text: text, source: .environment(name))
        }
        for flag in flags {
            values[flag.key] = ConfigReader.Value(text: flag.value, source: .flag(flag.flag))
        }

        var reader = ConfigReader(values: values)
        let config = ChanxiaoConfig.read(&reader)
        reader.rejectUnknownKeys()
        issues += reader.issues
        if !issues.isEmpty { throw ConfigError(issues: issues) }
        return config
    }

    private static func flatten(
        _ node: Node,
        prefix: String,
        path: String,
        into values: inout [String: ConfigReader.Value],
        issues: inout [ConfigIssue]
    ) {
        let source = ConfigSource.file(path: path, line: node.mark.map(\.line))
        switch node {
        case .mapping(let mapping):
            if ChanxiaoConfig.secretKeys.contains(prefix) {
                // Its keys would become key names in the error, and a secret written there with them.
                issues.append(ConfigIssue(key: prefix, message: "must be a single value, not a mapping", source: source))
                return
            }
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.scalar?.string, !name.isEmpty else {
                    issues.append(ConfigIssue(key: prefix.isEmpty ? "(root)" : prefix, message: "keys must be plain names", source: source))
                    continue
                }
                flatten(valueNode, prefix: prefix.isEmpty ? name : prefix + "." + name, path: path, into: &values, issues: &issues)
            }
        case .scalar(let scalar):
            if prefix.isEmpty {
                // A document that is only a scalar: empty files and a bare `~` are fine, text is not.
                if node.null == nil { issues.append(ConfigIssue(key: "(root)", message: "the file must be a mapping of keys", source: source)) }
                return
            }
            guard notSetBefore(prefix, source: source, values: values, issues: &issues) else { return }
            // `key:` or `key: ~` means "use the default".
            values[prefix] = ConfigReader.Value(text: node.null != nil && scalar.style == .plain ? nil : scalar.string, source: source)
        case .sequence(let sequence):
            if prefix.isEmpty {
                issues.append(ConfigIssue(key: "(root)", message: "the file must be a mapping of keys", source: source))
                return
            }
            let items = sequence.compactMap { $0.scalar?.string }
            guard items.count == sequence.count else {
                issues.append(ConfigIssue(key: prefix, message: "a list may hold only plain values", source: source))
                return
            }
            guard notSetBefore(prefix, source: source, values: values, issues: &issues) else { return }
            // Lists are read only by keys that take them; a list for any other key is refused there.
            values[prefix] = ConfigReader.Value(text: nil, source: source, items: items)
        case .alias:
            issues.append(ConfigIssue(key: prefix, message: "YAML aliases are not supported", source: source))
        }
    }

    /// YAML refuses a key twice in one mapping, but `server: {port: …}` and a top-level
    /// `server.port: …` are different YAML keys for the same setting: the later one would win
    /// unseen. Refused like any other duplicate.
    private static func notSetBefore(
        _ key: String,
        source: ConfigSource,
        values: [String: ConfigReader.Value],
        issues: inout [ConfigIssue]
    ) -> Bool {
        guard let earlier = values[key] else { return true }
        issues.append(ConfigIssue(key: key, message: "is set twice" + (earlier.source.map { "; it is also set at \($0)" } ?? ""), source: source))
        return false
    }

    /// One issue per key that holds an alias (`*name`), read from libyaml's events before Yams
    /// composes the document. Yams replaces each alias by its anchor's node, so a few lines of
    /// aliases of aliases ("billion laughs") make billions of nodes for `flatten` to walk, and an
    /// alias used as a key is hashed whole inside Yams: the loader would hang either way. A
    /// document that does not parse is left to `Yams.compose`, which reports why.
    static func aliasIssues(in yaml: String, path: String) -> [ConfigIssue] {
        var bytes = Array(yaml.utf8)
        guard !bytes.isEmpty else { return [] }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return [] }
        defer { yaml_parser_delete(&parser) }
        var issues: [ConfigIssue] = []
        bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // The open collections; for a mapping, its current key and whether a key comes next.
            var frames: [(mapping: Bool, key: String?, keyNext: Bool)] = []
            var named: Set<String> = []
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                let type = event.type
                defer { yaml_event_delete(&event) }
                if type == YAML_STREAM_END_EVENT { break }
                let isKey = frames.last.map { $0.mapping && $0.keyNext } ?? false
                switch type {
                case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT:
                    if type == YAML_ALIAS_EVENT {
                        // The keys of the enclosing mappings; an alias used as a key stands at its mapping's own path.
                        let key = frames.enumerated().filter { $0.element.mapping && !(isKey && $0.offset == frames.count - 1) }
                            .compactMap(\.element.key).joined(separator: ".")
                        let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                        if named.insert(key).inserted {
                            issues.append(
                                ConfigIssue(
                                    key: key.isEmpty ? "(root)" : key,
                                    message: "YAML aliases (*\(name)) are not supported; write the value out",
                                    source: .file(path: path, line: Int(event.start_mark.line) + 1)
                                )
                            )
                        }
                    }
                    if isKey {
                        frames[frames.count - 1].key =
                            type == YAML_SCALAR_EVENT
                            ? String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
                            : nil
                    }
                    if let last = frames.indices.last, frames[last].mapping { frames[last].keyNext.toggle() }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if isKey { frames[frames.count - 1].key = nil }
                    frames.append((type == YAML_MAPPING_START_EVENT, nil, true))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    frames.removeLast()
                    if let last = frames.indices.last, frames[last].mapping { frames[last].keyNext.toggle() }
                default:
                    break
                }
            }
        }
        return issues
    }

    /// The parser's problem and line, without the quoted source line Yams adds: that line may
    /// hold a secret, and this message goes to the log and to API clients.
    static func yamlProblem(_ error: any Error) -> (String, Int?) {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return ([context?.text, problem].compactMap { $0 }.joined(separator: " "), mark.line)
        case .reader(let problem, _, _, _):
            return (problem, nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams puts the whole document in `context.text`: name the keys only.
            return ("duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.joined(separator: ", "))", context.mark.line)
        default:
            return ("the file cannot be parsed", nil)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}
