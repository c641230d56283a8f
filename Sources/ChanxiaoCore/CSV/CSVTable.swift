import Foundation

/// A CSV file (RFC 4180) read whole: a header and data rows of text cells. UTF-8, with or
/// without a byte-order mark; CRLF or LF line ends; quoted cells may hold commas, quotes ("")
/// and line breaks.
public struct CSVTable: Sendable {
    public var header: [String]
    /// Data rows, each with its spreadsheet row number (the header is row 1).
    public var rows: [(number: Int, cells: [String])]

    public init(header: [String], rows: [(number: Int, cells: [String])]) {
        self.header = header
        self.rows = rows
    }

    /// Parses `bytes`. Structural problems (no header, unterminated quotes, rows with the wrong
    /// number of cells, invalid UTF-8, duplicate columns) are all reported, each with its row.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ValidationFailure) -> CSVTable {
        var bytes = Array(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var errors: [FieldError] = []
        var records: [(number: Int, cells: [String])] = []

        var cells: [String] = []
        var cell: [UInt8] = []
        var index = 0
        var record = 1
        var inQuotes = false
        var quoteStartRecord = 1
        var cellWasQuoted = false

        func endCell() {
            if let text = String(validating: cell, as: UTF8.self) {
                cells.append(text)
            } else {
                errors.append(FieldError(field: "file", message: "cell \(cells.count + 1) is not valid UTF-8; save the file as UTF-8", row: record))
                cells.append("")
            }
            cell.removeAll(keepingCapacity: true)
            cellWasQuoted = false
        }
        func endRecord() {
            let quoted = cellWasQuoted
            endCell()
            // A line with nothing on it is not a record (blank lines, a trailing newline); a
            // line of just `""` is one empty cell, as a one-column file writes it.
            if !(cells.count == 1 && cells[0].isEmpty && !quoted) { records.append((record, cells)) }
            cells.removeAll(keepingCapacity: true)
        }

        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        cell.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.append(byte)
                }
            } else {
                switch byte {
                case quote where cell.isEmpty && !cellWasQuoted:
                    inQuotes = true
                    cellWasQuoted = true
                    quoteStartRecord = record
                case quote:
                    errors.append(
                        FieldError(
                            field: "file",
                            message: "a quote (\") inside an unquoted cell; quote the whole cell and double inner quotes",
                            row: record
                        )
                    )
                case comma:
                    endCell()
                case cr:
                    break  // CRLF: the LF ends the record; a lone CR is ignored.
                case lf:
                    endRecord()
                    record += 1
                default:
                    if cellWasQuoted {
                        errors.append(FieldError(field: "file", message: "text after a closing quote", row: record))
                    } else {
                        cell.append(byte)
                    }
                }
            }
            index += 1
        }
        if inQuotes {
            errors.append(FieldError(field: "file", message: "a quoted cell is never closed", row: quoteStartRecord))
        } else if !cell.isEmpty || !cells.isEmpty || cellWasQuoted {
            endRecord()
        }

        guard let headerRecord = records.first else {
            throw ValidationFailure(errors + [FieldError(field: "file", message: "the file is empty; it needs a header row", row: 1)])
        }
        let header = headerRecord.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        for name in header {
            if name.isEmpty {
                errors.append(FieldError(field: "header", message: "a column has no name", row: headerRecord.number))
            } else if !seen.insert(name).inserted {
                errors.append(FieldError(field: name, message: "column appears twice in the header", row: headerRecord.number))
            }
        }
        let rows = Array(records.dropFirst())
        for row in rows where row.cells.count != header.count {
            errors.append(FieldError(field: "file", message: "has \(row.cells.count) cells but the header has \(header.count)", row: row.number))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return CSVTable(header: header, rows: rows)
    }

    /// Each data row as cells keyed by the header's names.
    public var records: [(number: Int, cells: [String: String])] {
        rows.map { row in (row.number, Dictionary(uniqueKeysWithValues: zip(header, row.cells))) }
    }
}

/// Writes RFC 4180 CSV with CRLF line ends, quoting only where needed.
public enum CSVWriter {
    public static func line(_ cells: [String]) -> String {
        // One empty cell would be an empty line, which readers skip as blank: the row would vanish.
        if cells.count == 1, cells[0].isEmpty { return "\"\"\r\n" }
        return cells.map(escape).joined(separator: ",") + "\r\n"
    }

    public static func escape(_ cell: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\n" nor "\r", and a
        // quote followed by a combining mark is one Character too, which replacing "\"" would miss.
        let scalars = cell.unicodeScalars
        guard scalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || scalars.first == " " || scalars.last == " "
        else { return cell }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in scalars {
            if scalar == "\"" { quoted.append("\"") }
            quoted.append(scalar)
        }
        quoted.append("\"")
        return String(quoted)
    }
}
