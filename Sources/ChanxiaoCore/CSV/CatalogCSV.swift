import Foundation

/// Catalog resources as CSV files: the format of `chanxiao import`/`export`, of
/// `POST /v1/import/{kind}`, `GET /v1/export/{kind}` and of CSV bodies posted to a collection.
/// The header names writable fields (`E.writableFields`, in any order, any subset); every row is
/// read by the same `E.parse` as a JSON body, so both carry the same rules.
public enum CatalogCSV {
    /// Stages of reading and importing a large file, for progress reports.
    public enum Phase: String, Sendable {
        case checking
        case writing
    }

    /// Reads a CSV file of `E` rows: every row is parsed and validated, cells guarded against
    /// formulas are read back as written (`CSVCell.unguarded`), and rows without an id get a new
    /// one (`CatalogKind.newID`, in file order). Throws with every problem of every row.
    public static func parse<E: CatalogEntity>(
        _: E.Type,
        bytes: [UInt8],
        context: ParseContext,
        progress: (@Sendable (Phase, Int, Int) -> Void)? = nil
    ) throws(ValidationFailure) -> [(row: Int, entity: E)] {
        let table = try CSVTable.parse(bytes)
        let known = Set(E.writableFields)
        let readOnly = Set(E.readOnlyFields)
        var errors: [FieldError] = []
        for column in table.header where !known.contains(column) {
            let message =
                readOnly.contains(column)
                ? "is read-only and cannot be imported" + (E.readOnlyAdvice[column].map { ": \($0)" } ?? "")
                : "unknown column; \(E.kind.plural) files have the columns: \(E.writableFields.joined(separator: ", "))"
            errors.append(FieldError(field: column, message: message, row: 1))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }

        var entities: [(row: Int, entity: E)] = []
        entities.reserveCapacity(table.rows.count)
        let records = table.records
        for (index, record) in records.enumerated() {
            var cells = record.cells.mapValues(CSVCell.unguarded)
            if E.kind.generatesIDs, (cells["id"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                cells["id"] = E.kind.newID(at: context.now, offset: index)
            }
            switch E.parse(reader: FieldReader(text: cells, row: record.number), context: context) {
            case .success(let entity): entities.append((record.number, entity))
            case .failure(let failure): errors += failure.errors
            }
            if let progress, (index + 1) % 1000 == 0 || index + 1 == records.count { progress(.checking, index + 1, records.count) }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return entities
    }

    /// `entities` as a file that imports back unchanged: the writable fields, guarded cells.
    public static func export<E: CatalogEntity>(_ entities: some Sequence<E>) -> String {
        var text = CSVWriter.line(E.writableFields)
        for entity in entities { text += CSVWriter.line(entity.csvRow) }
        return text
    }
}

extension CatalogKind {
    /// A new id for a resource of this kind made at `date` (`offset` orders those made together).
    public func newID(at date: Date, offset: Int = 0) -> String {
        Identifier.generate(prefix: idPrefix, at: date, offset: offset)
    }

    /// Whether a JSON body's `id` leaves the id to chanxiao: absent, null, or blank text. (Any
    /// other value is the client's, and `parse` judges it.)
    public static func leavesIDToServer(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .string(let text)?: text.trimmingCharacters(in: .whitespaces).isEmpty
        default: false
        }
    }
}
