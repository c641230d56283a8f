import Foundation

/// Chinese display conventions (`+Formats`), and the neutralising of text that comes from users.
enum RobotText {
    /// Makes user-supplied text inert in the robots' markdown: line breaks and other controls
    /// become one space (a name cannot add lines), characters that open markup (emphasis, code,
    /// links, tables, HTML such as Feishu's `<at id=all>`) become their full-width forms, which
    /// read the same in Chinese text. `_` stays, because ids use it and mid-word it is inert.
    /// Long text is cut so that one name cannot crowd out a digest.
    static func plain(_ text: String, limit: Int = 40) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .spaceSeparator:
                pendingSpace = !scalars.isEmpty
                continue
            default:
                break
            }
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            // Bidirectional overrides would reorder the rest of the line on screen.
            if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) { continue }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(fullWidth[scalar] ?? scalar)
        }
        let result = String(scalars)
        return result.count > limit ? String(result.prefix(max(1, limit - 1))) + "…" : result
    }

    private static let fullWidth: [Unicode.Scalar: Unicode.Scalar] = [
        "*": "＊", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "~": "～", "|": "｜", "\\": "＼", "&": "＆",
    ]

    /// User-supplied text made safe to show; nil when absent or blank, so that a caller can
    /// fall back to an id.
    static func shown(_ text: String?, limit: Int = 40) -> String? {
        guard let text, !text.isEmpty else { return nil }
        let shown = plain(text, limit: limit)
        return shown.isEmpty ? nil : shown
    }

    /// The name, else the id, else a dash: a message never needs a call back to the daemon.
    static func name(_ name: String?, id: String?) -> String {
        shown(name) ?? shown(id) ?? "—"
    }
}
