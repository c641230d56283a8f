import ChanxiaoCore
import Foundation

/// Stages of a CSV import, for progress reports on large files.
public enum ImportPhase: String, Sendable {
    case checking
    case writing
}

extension AppDatabase {
    /// Reads a CSV file of `E` rows: every row is parsed and validated, and rows without an id
    /// get a generated one (in file order). Throws with every problem of every row.
    public static func parseCSV<E: StoredEntity>(
        _: E.Type, bytes: [UInt8], context: ParseContext, progress: (@Sendable (ImportPhase, Int, Int) -> Void)? = nil
    ) throws(ValidationFailure) -> [(row: Int, entity: E)] {
        let table = try CSVTable.parse(bytes)
        let known = Set(E.writableFields)
        let readOnly = Set(E.readOnlyFields)
        var errors: [FieldError] = []
        for column in table.header where !known.contains(column) {
            let message = readOnly.contains(column) ? "is read-only and cannot be imported"
                : "unknown column; \(E.kind.plural) files have the columns: \(E.writableFields.joined(separator: ", "))"
            errors.append(FieldError(field: column, message: message, row: 1))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }

        let baseMilliseconds = UInt64(context.now.timeIntervalSince1970 * 1000)
        var entities: [(row: Int, entity: E)] = []
        entities.reserveCapacity(table.rows.count)
        let records = table.records
        for (index, record) in records.enumerated() {
            var cells = record.cells
            if E.kind != .county, (cells["id"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                cells["id"] = Identifier.generate(prefix: E.kind.idPrefix, millisecondsSince1970: baseMilliseconds + UInt64(index))
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

    /// Imports a CSV file of `kind` all-or-nothing: one transaction, any bad row rejects it.
    public func importCSV(
        _ kind: CatalogKind, bytes: [UInt8], mode: ImportMode, parseContext: ParseContext, context: WriteContext,
        progress: (@Sendable (ImportPhase, Int, Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        func run<E: StoredEntity>(_ type: E.Type) async throws -> ImportSummary {
            let rows = try Self.parseCSV(type, bytes: bytes, context: parseContext, progress: progress)
            return try await importEntities(rows, mode: mode, context: context, progress: progress.map { report in
                { @Sendable done, total in report(.writing, done, total) }
            })
        }
        return try await run(kind.storedType)
    }

    /// Every resource of `kind` as CSV in the import format (header of writable fields), so an
    /// export can be edited and imported back.
    public func exportCSV(_ kind: CatalogKind) async throws -> String {
        func run<E: StoredEntity>(_ type: E.Type) async throws -> String {
            var text = CSVWriter.line(E.writableFields)
            for entity in try await all(type) { text += CSVWriter.line(entity.csvRow) }
            return text
        }
        return try await run(kind.storedType)
    }
}
