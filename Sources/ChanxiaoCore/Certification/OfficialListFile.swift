import Foundation

/// An official list as a CSV file: a header naming the columns, one product per row.
public enum OfficialListFile {
    /// The rows of the file, all checked: every problem of every row is reported together.
    public static func rows(_ bytes: [UInt8], today: CalendarDate) throws -> [OfficialListRow] {
        let table = try CSVTable.parse(bytes)
        var errors: [FieldError] = []
        for required in ["product_id", "certificate_no", "authority_name", "level", "valid_until"] where !table.header.contains(required) {
            errors.append(
                FieldError(field: required, message: "column is missing; the columns are \(OfficialListRow.columns.joined(separator: ", "))", row: 1)
            )
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        var rows: [OfficialListRow] = []
        for (number, cells) in table.rows {
            var reader = FieldReader(text: Dictionary(uniqueKeysWithValues: zip(table.header, cells)), row: number)
            if let row = OfficialListRow.parse(&reader, row: number, today: today) { rows.append(row) } else { errors += reader.errors }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        if rows.isEmpty { throw ValidationFailure(field: "file", message: "has no rows") }
        return rows
    }
}
