import ChanxiaoCore

extension WeeklyReport {
    /// The report's tables as one CSV: a row per county, per network, and the total, with a
    /// column per unit for each volume (only units that occur). The lists (featured counties,
    /// livestreams, outlets, buyers at risk) are in the JSON and Markdown forms.
    public var csv: String {
        let lines: [(section: String, key: String, name: String, figures: WeeklyFigures, extra: Int?)] =
            counties.map { ("county", $0.code, [$0.city, $0.name].compactMap { $0 }.joined(separator: " "), $0.figures, nil) }
            + networks.map { ("network", $0.network ?? "", $0.network ?? "", $0.figures, $0.buyersAtRisk) }
            + [("total", "", "", totals, atRisk.count)]
        let units = MeasureUnit.allCases.filter { unit in
            lines.contains {
                $0.figures.matched.byUnit[unit] != nil || $0.figures.accepted.byUnit[unit] != nil || $0.figures.sold.byUnit[unit] != nil
            }
        }
        var header = ["week", "section", "key", "name"]
        for measure in ["matched", "accepted", "sold"] { header += units.map { "\(measure)_\($0.rawValue)" } }
        header += ["sales_amount_fen", "poverty_amount_fen", "livestreams", "new_outlets", "buyers_at_risk"]
        var out = CSVWriter.line(header)
        for line in lines {
            let f = line.figures
            var cells = [week.description, line.section, CSVCell.guarded(line.key), CSVCell.guarded(line.name)]
            for volumes in [f.matched, f.accepted, f.sold] { cells += units.map { String(volumes.byUnit[$0] ?? 0) } }
            cells += [
                String(f.salesAmountFen), String(f.povertyAmountFen), String(f.livestreams), String(f.newOutlets),
                line.extra.map(String.init) ?? "",
            ]
            out += CSVWriter.line(cells)
        }
        return out
    }
}

/// Report CSVs are opened in spreadsheet programs: text cells are guarded against formulas
/// (`CSVCell.guarded`), and the file starts with a byte-order mark.
public enum ReportCSV {
    /// The byte-order mark that tells spreadsheet programs the file is UTF-8.
    public static let byteOrderMark = "\u{FEFF}"
}
