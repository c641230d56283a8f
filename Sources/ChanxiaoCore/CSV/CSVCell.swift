/// Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (some also a tab or a
/// carriage return) as a formula, so a name such as `=HYPERLINK(…)` stored by one client could act
/// when an official opens an export or a report. Cells are written with a leading `'`, the
/// spreadsheet's own mark for text, and imports take it off again, so that an export imports back
/// unchanged. A cell that starts with apostrophes before such a character gets one more, which
/// keeps the two directions exact inverses.
public enum CSVCell {
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether `text`, after any leading apostrophes, starts like a formula.
    static func needsGuard(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(first)
    }

    /// The cell as files write it.
    public static func guarded(_ text: String) -> String {
        needsGuard(text[...]) ? "'" + text : text
    }

    /// The text a written cell holds: `guarded` undone.
    public static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'"), needsGuard(cell.dropFirst()) else { return cell }
        return String(cell.dropFirst())
    }
}
