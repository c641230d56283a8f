import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoReports
import ChanxiaoStore
import Foundation

/// Matches as a spreadsheet opens them: the list's members as columns, objects flattened
/// (`cost_breakdown_fen.price`, `supplier_contact.contact_phone`; empty where the object is
/// null), text guarded against formulas, UTF-8 with a byte-order mark.
enum MatchCSV {
    /// Members that are objects or null, with their keys: a page where every one is null still
    /// has their columns.
    static let objectMembers = ["supplier_contact": Supplier.contactFieldNames]

    /// A match that names the columns of an export with no rows.
    private static let placeholder = Match(
        id: "",
        runID: "",
        week: IsoWeek(year: 2020, week: 1)!,
        demandID: "",
        buyerID: "",
        productID: "",
        supplierID: "",
        countyCode: "",
        volume: 0,
        unitPriceFen: 0,
        unitCost: 0,
        costBreakdown: ScoreTerm.allCases.map { ($0.rawValue, 0) },
        proposedAt: Date(timeIntervalSince1970: 0),
        expiresAt: Date(timeIntervalSince1970: 0)
    )

    static func text(_ rows: [[(name: String, value: JSONValue)]]) -> String {
        // Each member's columns: itself, or the keys its objects have in any row.
        var columns: [(name: String, keys: [String]?)] = []
        var index: [String: Int] = [:]
        for (name, value) in rows.first ?? MatchNames().fields(of: placeholder) {
            index[name] = columns.count
            columns.append((name, objectMembers[name]?.sorted() ?? value.objectValue.map { $0.keys.sorted() }))
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
            // Text is guarded against formulas; numbers (a negative discount) stay numbers.
            func cell(_ value: JSONValue?) -> String {
                guard case .string(let text)? = value else { return value?.csvText ?? "" }
                return CSVCell.guarded(text)
            }
            let cells = columns.flatMap { column -> [String] in
                let value = values[column.name] ?? .null
                guard let keys = column.keys else { return [cell(value)] }
                return keys.map { cell(value.objectValue?[$0]) }
            }
            text += CSVWriter.line(cells)
        }
        return text
    }
}
