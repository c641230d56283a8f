import ChanxiaoCore
import ChanxiaoReports

/// Matches as a spreadsheet opens them: the list's members as columns, objects flattened
/// (`cost_breakdown_fen.price`, `supplier_contact.contact_phone`; empty where the object is
/// null), text guarded against formulas, UTF-8 with a byte-order mark.
enum MatchCSV {
    /// Members that are objects or null, with their keys: a page where every one is null still
    /// has their columns.
    static let objectMembers = ["supplier_contact": Supplier.contactFieldNames]

    static func text(_ rows: [[(name: String, value: JSONValue)]]) -> String {
        // Each member's columns: itself, or the keys its objects have in any row.
        var columns: [(name: String, keys: [String]?)] = []
        var index: [String: Int] = [:]
        if let first = rows.first {
            for (name, _) in first {
                index[name] = columns.count
                columns.append((name, objectMembers[name]?.sorted()))
            }
        }
        for row in rows {
            for (name, value) in row {
                let keys: [String]? = value.objectValue.map { Array($0.keys) }
                if let at = index[name] {
                    if let keys { columns[at].keys = Array(Set(columns[at].keys ?? []).union(keys)).sorted() }
                } else {
                    index[name] = columns.count
                    columns.append((name, keys?.sorted()))
                }
            }
        }
        let header = columns.flatMap { column in column.keys.map { $0.map { "\(column.name).\($0)" } } ?? [column.name] }
        var text = ReportCSV.byteOrderMark + CSVWriter.line(header)
        for row in rows {
            let values = Dictionary(row, uniquingKeysWith: { a, _ in a })
            let cells = columns.flatMap { column -> [String] in
                let value = values[column.name] ?? .null
                guard let keys = column.keys else { return [value.csvText] }
                return keys.map { value.objectValue?[$0]?.csvText ?? "" }
            }
            text += CSVWriter.line(cells.map(CSVCell.guarded))
        }
        return text
    }
}
