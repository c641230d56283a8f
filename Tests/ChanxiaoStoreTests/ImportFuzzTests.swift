import ChanxiaoCore
import ChanxiaoFixtures
import ChanxiaoStore
import Foundation
import GRDB
import Testing

/// What one import did.
enum ImportOutcome: Equatable, CustomStringConvertible {
    case imported(ImportSummary)
    case refused([FieldError])
    /// Any error other than a validation failure: always a bug.
    case failed(String)

    var description: String {
        switch self {
        case .imported(let summary):
            "imported \(summary.rows) rows (\(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged)"
        case .refused(let errors): "refused with \(errors.count) errors: " + errors.prefix(5).map(\.description).joined(separator: "; ")
        case .failed(let error): "failed: \(error)"
        }
    }
}

/// A property a case broke.
struct ImportViolation: Error, CustomStringConvertible {
    var property: String
    var detail: String
    var description: String { "\(property): \(detail)" }
}

/// Every table of a database, hashed: `raw` byte for byte, `masked` with generated ids (random
/// by design) blanked, for comparing two databases that took the same import.
struct DatabaseDigest: Equatable {
    var raw: [String: UInt64]
    var masked: [String: UInt64]

    static func of(_ database: AppDatabase) async throws -> DatabaseDigest {
        try await database.reader.read { db in
            var raw: [String: UInt64] = [:]
            var masked: [String: UInt64] = [:]
            var tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map { "\"\($0)\"" }
            tables.append("sqlite_master")
            for table in tables {
                var lines: [String] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table)")
                while let row = try rows.next() {
                    var line = ""
                    for (column, value) in row {
                        line += column + "="
                        switch value.storage {
                        case .null: line += "∅"
                        case .int64(let number): line += "i\(number)"
                        case .double(let number): line += "d\(number.bitPattern)"
                        case .string(let text): line += "s" + text
                        case .blob(let data): line += "b" + data.base64EncodedString()
                        }
                        line += "\u{1F}"
                    }
                    lines.append(line)
                }
                raw[table] = fnv1a(lines.sorted())
                masked[table] = fnv1a(lines.map(maskGeneratedIDs).sorted())
            }
            return DatabaseDigest(raw: raw, masked: masked)
        }
    }

    static func differences(_ a: [String: UInt64], _ b: [String: UInt64]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }

    private static func fnv1a(_ lines: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for line in lines {
            for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            hash = (hash ^ 0x1E) &* 0x100_0000_01B3
        }
        return hash
    }

    /// `prd_01eh…` (a prefix, `_`, 26 Crockford base32 characters) → `prd_*`.
    static func maskGeneratedIDs(_ text: String) -> String {
        guard text.contains("_") else { return text }
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz".utf8)
        var bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), bytes.count - index - 1 >= 26, bytes[(index + 1)...(index + 26)].allSatisfy(alphabet.contains) {
                bytes.replaceSubrange((index + 1)...(index + 26), with: [UInt8(ascii: "*")])
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs import cases against copies of one small catalog and judges them.
struct ImportFuzzHarness {
    let template: AppDatabase
    let templateDigest: DatabaseDigest
    let templateCounts: [CatalogKind: Int]

    static func make() async throws -> ImportFuzzHarness {
        let template = try await Fixtures.databaseWithReports()
        return ImportFuzzHarness(
            template: template,
            templateDigest: try await DatabaseDigest.of(template),
            templateCounts: try await template.counts()
        )
    }

    /// A private copy of the catalog: every case starts from the same database, so a seed alone replays it.
    func freshDatabase() throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try template.writer.backup(to: queue)
        return try AppDatabase(queue)
    }

    func run(_ kind: CatalogKind, _ bytes: [UInt8], _ mode: ImportMode, on database: AppDatabase) async -> ImportOutcome {
        do {
            return .imported(
                try await database.importCSV(
                    kind,
                    bytes: bytes,
                    mode: mode,
                    parseContext: Fixtures.parseContext,
                    context: Fixtures.context
                )
            )
        } catch let failure as ValidationFailure {
            return .refused(failure.errors)
        } catch {
            return .failed("\(type(of: error)): \(error)")
        }
    }

    /// The first property `test` breaks, or nil. Also returns the outcome, for the statistics.
    func check(_ test: ImportCase, determinism: Bool = true) async -> (ImportOutcome?, ImportViolation?) {
        do {
            let database = try freshDatabase()
            let outcome = await run(test.kind, test.bytes, test.mode, on: database)
            // Taken before judging, which may import again.
            let first = try await DatabaseDigest.of(database)
            if let violation = try await judge(test, outcome, database, after: first) { return (outcome, violation) }
            if determinism {
                let other = try freshDatabase()
                let again = await run(test.kind, test.bytes, test.mode, on: other)
                if again != outcome {
                    return (outcome, ImportViolation(property: "the same input gives the same result", detail: "first \(outcome), then \(again)"))
                }
                let second = try await DatabaseDigest.of(other)
                if first.masked != second.masked {
                    return (
                        outcome,
                        ImportViolation(
                            property: "the same input gives the same result",
                            detail: "the databases differ afterwards in \(DatabaseDigest.differences(first.masked, second.masked))"
                        )
                    )
                }
            }
            return (outcome, nil)
        } catch {
            return (nil, ImportViolation(property: "the harness works", detail: "\(error)"))
        }
    }

    private func judge(_ test: ImportCase, _ outcome: ImportOutcome, _ database: AppDatabase, after: DatabaseDigest) async throws -> ImportViolation?
    {
        switch outcome {
        case .failed(let error):
            return ImportViolation(property: "only validation failures are thrown", detail: error)

        case .refused(let errors):
            if test.mustImport {
                return ImportViolation(property: "a valid file imports", detail: outcome.description)
            }
            // The file's records are its lines outside quotes; a report may name the header or any of them.
            let lastRow = test.bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            if errors.isEmpty { return ImportViolation(property: "a refusal names line and field", detail: "no errors") }
            if let bad = errors.first(where: { $0.field.isEmpty || $0.row == nil || !(1...lastRow).contains($0.row!) }) {
                return ImportViolation(property: "a refusal names line and field", detail: "\(bad) (the file has \(lastRow) lines)")
            }
            let missing = test.expectedErrors.filter { expected in !errors.contains(where: expected.matches) }
            if !missing.isEmpty {
                return ImportViolation(
                    property: "a refusal reports every known problem",
                    detail: "missing \(missing); got \(errors.prefix(20).map(\.description))"
                )
            }
            if after.raw != templateDigest.raw {
                return ImportViolation(
                    property: "a refused import changes nothing",
                    detail: "tables changed: \(DatabaseDigest.differences(templateDigest.raw, after.raw))"
                )
            }
            return nil

        case .imported(let summary):
            if !test.expectedErrors.isEmpty {
                return ImportViolation(
                    property: "a refusal reports every known problem",
                    detail: "the file has \(test.expectedErrors) but \(outcome)"
                )
            }
            let table = try CSVTable.parse(test.bytes)
            guard summary.rows == table.rows.count, summary.created + summary.updated + summary.unchanged == summary.rows,
                test.mode == .upsert || summary.created == summary.rows, summary.kind == test.kind.plural
            else {
                return ImportViolation(property: "an import takes every row", detail: "\(table.rows.count) data rows but \(outcome)")
            }
            let counts = try await database.counts()
            for kind in CatalogKind.allCases {
                let expected = templateCounts[kind]! + (kind == test.kind ? summary.created : 0)
                if counts[kind] != expected {
                    return ImportViolation(
                        property: "an import takes every row",
                        detail: "\(kind.plural): \(counts[kind] ?? -1) rows, expected \(expected) after \(outcome)"
                    )
                }
            }
            if let violation = try await exportViolation(test.kind.storedType, database: database, bytes: test.bytes) { return violation }
            return try await reimportViolation(test, table, database)
        }
    }

    /// Upserting the file just imported finds every row as it is: nothing is created or updated.
    /// (Rows without an id get a new one each time, so files with such rows are skipped.)
    private func reimportViolation(_ test: ImportCase, _ table: CSVTable, _ database: AppDatabase) async throws -> ImportViolation? {
        let idField = test.kind.idField
        guard table.records.allSatisfy({ !($0.cells[idField] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let before = try await DatabaseDigest.of(database)
        let again = await run(test.kind, test.bytes, .upsert, on: database)
        guard case .imported(let summary) = again, summary.unchanged == summary.rows else {
            return ImportViolation(property: "importing the same file again changes nothing", detail: "the upsert \(again)")
        }
        let after = try await DatabaseDigest.of(database)
        let changed = DatabaseDigest.differences(before.raw, after.raw).filter { $0 != "\"audit_log\"" && $0 != "\"sqlite_sequence\"" }
        if !changed.isEmpty {
            return ImportViolation(property: "importing the same file again changes nothing", detail: "tables changed: \(changed)")
        }
        return nil
    }

    /// The export must hold every imported row as the file gave it.
    private func exportViolation<E: StoredEntity>(_: E.Type, database: AppDatabase, bytes: [UInt8]) async throws -> ImportViolation? {
        func violation(_ detail: String) -> ImportViolation { ImportViolation(property: "an export reads the rows back", detail: detail) }
        let records = try CSVTable.parse(bytes).records
        let input = try CatalogCSV.parse(E.self, bytes: bytes, context: Fixtures.parseContext)
        var explicit: [String: E] = [:]
        var generated = 0
        for (record, row) in zip(records, input) {
            if (record.cells[E.kind.idField] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                generated += 1
            } else {
                explicit[row.entity.id] = row.entity
            }
        }
        let text = try await database.exportCSV(E.kind)
        let exported: [(row: Int, entity: E)]
        do {
            exported = try CatalogCSV.parse(E.self, bytes: Array(text.utf8), context: Fixtures.parseContext)
        } catch {
            return violation("the export does not import: \(error)")
        }
        let byID = Dictionary(exported.map { ($0.entity.id, $0.entity) }, uniquingKeysWith: { first, _ in first })
        if byID.count != exported.count { return violation("the export repeats ids") }
        for (id, entity) in explicit.sorted(by: { $0.key < $1.key }) {
            guard let stored = byID[id] else { return violation("\(id) is not in the export") }
            let given = entity.writableJSON
            let kept = stored.writableJSON
            for field in E.writableFields where given[field] != kept[field] {
                // A sale takes the category and unit of its product when the row leaves them out.
                if E.kind == .sale, field == "category" || field == "unit", given[field] == nil || given[field] == .null { continue }
                return violation(
                    "\(id).\(field) was imported as \(given[field].map { "\($0)" } ?? "nothing") but exported as \(kept[field].map { "\($0)" } ?? "nothing")"
                )
            }
        }
        let known = Set(FuzzCatalog.existingIDs(E.kind)).union(explicit.keys)
        let new = byID.keys.filter { !known.contains($0) }.count
        if new != generated { return violation("\(generated) rows without an id, but \(new) new generated ids in the export") }
        return nil
    }

    /// A smaller input that breaks the same property (for a valid file that is refused: fewer rows).
    func shrink(_ test: ImportCase, _ violation: ImportViolation) async -> [UInt8] {
        switch violation.property {
        case "a refusal reports every known problem", "the harness works":
            return test.bytes  // the expectation is tied to the rows as generated
        case "a valid file imports":
            // Rows only, keeping the header: dropping rows of a valid file keeps it valid.
            let lines = FuzzShrink.splitLines(test.bytes)
            guard let header = lines.first else { return test.bytes }
            let body = await FuzzShrink.bytes(Array(lines.dropFirst()).flatMap { $0 }, budget: 200) { candidate in
                let smaller = header + candidate
                guard (try? CSVTable.parse(smaller).rows.count) != nil, let database = try? freshDatabase() else { return false }
                if case .refused = await run(test.kind, smaller, test.mode, on: database) { return true }
                return false
            }
            return header + body
        default:
            var loose = test
            loose.mustImport = false
            loose.expectedErrors = []
            return await FuzzShrink.bytes(test.bytes) { candidate in
                loose.bytes = candidate
                return await check(loose).1?.property == violation.property
            }
        }
    }
}

/// Statistics of one run, printed at the end.
struct ImportFuzzStatistics {
    var cases = 0
    var imported = 0
    var refused = 0
    var predicted = 0
    var rows = 0
    var bytes = 0
    var slowest: (seed: UInt64, seconds: Double) = (0, 0)
}

@Suite("Import fuzzing", .serialized)
struct ImportFuzzTests {
    /// Quick enough for every `swift test` (a few seconds in debug); `CHANXIAO_FUZZ_CASES` raises it.
    static let quickCases = 200

    /// Cells a spreadsheet can hold, with the characters CSV treats specially.
    static let cellAlphabet: [String] = [
        "a", "Z", "0", " ", ",", ";", "\"", "\n", "\r", "\r\n", "\t", "\u{0}", "\u{FEFF}", "定", "🍚",
        "e\u{301}", "\u{301}", "'", "=", "\\",
    ]

    @Test("what CSVWriter writes, CSVTable reads back cell for cell, one spreadsheet row per record")
    func writerParserRoundTrip() throws {
        let seeds = FuzzSettings.seeds(quick: Self.quickCases * 8)
        var failures = 0
        for seed in seeds {
            var random = FuzzRandom(seed: seed)
            let width = 1 + random.below(random.chance(0.3) ? 1 : 6)
            let header = (0..<width).map { "c\($0)" }
            let rows = (0..<random.below(8)).map { _ in
                (0..<width).map { _ in (0..<random.below(random.chance(0.2) ? 1 : 6)).map { _ in random.pick(Self.cellAlphabet) }.joined() }
            }
            let text = CSVWriter.line(header) + rows.map(CSVWriter.line).joined()
            let parsed: CSVTable
            do { parsed = try CSVTable.parse(Array(text.utf8)) } catch {
                failures += 1
                Issue.record("CSV round trip \(FuzzSettings.hex(seed)): \(text.debugDescription) does not parse: \(error)")
                if failures >= 5 { break } else { continue }
            }
            if parsed.header != header || parsed.rows.map(\.cells) != rows || parsed.rows.map(\.number) != rows.indices.map({ $0 + 2 }) {
                failures += 1
                Issue.record(
                    "CSV round trip \(FuzzSettings.hex(seed)): wrote \(rows) as \(text.debugDescription), read \(parsed.rows.map(\.cells)) at rows \(parsed.rows.map(\.number))"
                )
                if failures >= 5 { break }
            }
        }
        print("ImportFuzzTests: \(seeds.count) CSV round-trip cases")
    }

    @Test("every file imports whole or is refused with line and field, leaving the database as it was; the same input gives the same result")
    func importProperties() async throws {
        let harness = try await ImportFuzzHarness.make()
        let seeds = FuzzSettings.seeds(quick: Self.quickCases)
        let breadcrumb = FuzzBreadcrumb(suite: "import")
        var statistics = ImportFuzzStatistics()
        var failures = 0
        let clock = ContinuousClock()
        let started = clock.now
        for seed in seeds {
            let test = ImportCaseGenerator.make(seed: seed)
            breadcrumb.record(
                "seed \(FuzzSettings.hex(seed)) \(test.kind.plural) \(test.mode)\n\(test.steps.joined(separator: "\n"))\n\(FuzzReproduction.literal(test.bytes))\n"
            )
            let caseStart = clock.now
            let (outcome, violation) = await harness.check(test)
            let seconds = (clock.now - caseStart) / .seconds(1)
            statistics.cases += 1
            statistics.bytes += test.bytes.count
            if seconds > statistics.slowest.seconds { statistics.slowest = (seed, seconds) }
            switch outcome {
            case .imported(let summary)?:
                statistics.imported += 1
                statistics.rows += summary.rows
            case .refused?:
                statistics.refused += 1
                if !test.expectedErrors.isEmpty { statistics.predicted += 1 }
            default: break
            }
            let tooSlow = seconds > 30 ? ImportViolation(property: "an import finishes promptly", detail: "took \(seconds) s") : nil
            guard let violation = violation ?? tooSlow else { continue }
            failures += 1
            let shrunk = await harness.shrink(test, violation)
            Issue.record(
                Comment(
                    rawValue: """
                        Import fuzz case \(FuzzSettings.hex(seed)) breaks "\(violation.property)": \(violation.detail)
                          replay: CHANXIAO_FUZZ_REPLAY=\(FuzzSettings.hex(seed)) swift test --skip-build --filter ImportFuzzTests
                          kind \(test.kind.plural), mode \(test.mode); how it was made:
                            \(test.steps.joined(separator: "\n    "))
                          reproduction (\(shrunk.count) of \(test.bytes.count) bytes):
                            try await database.importCSV(.\(test.kind), bytes: \(FuzzReproduction.literal(shrunk)), mode: .\(test.mode), parseContext: Fixtures.parseContext, context: Fixtures.context)
                        """
                )
            )
            if failures >= 5 { break }  // enough to act on; the rest are likely the same bug
        }
        breadcrumb.clear()
        let elapsed = (clock.now - started) / .seconds(1)
        let summary = """
            ImportFuzzTests: \(statistics.cases) cases in \(String(format: "%.1f", elapsed)) s from \(seeds.count == 1 ? "case " + FuzzSettings.hex(seeds[0]) : "base seed " + FuzzSettings.hex(FuzzSettings.baseSeed())): \
            \(statistics.imported) imported (\(statistics.rows) rows), \(statistics.refused) refused (\(statistics.predicted) with predicted errors), \
            \(statistics.bytes) bytes; slowest \(String(format: "%.2f", statistics.slowest.seconds)) s (\(FuzzSettings.hex(statistics.slowest.seed)))
            """
        print(summary)
        #expect(failures == 0, Comment(rawValue: summary))
    }
}

/// Inputs the fuzzer found, kept as fixed cases: each must keep every property.
struct ImportRegression: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: CatalogKind
    var mode: ImportMode
    var text: String
    var mustImport: Bool
    var testDescription: String { name }

    static let all: [ImportRegression] = [
        // The audit entry's detail was JSON in hash order: the same import left different bytes.
        ImportRegression(
            name: "a header-only file, audited the same way twice",
            kind: .buyer,
            mode: .insert,
            text: "max_suppliers_per_category",
            mustImport: true
        ),
        ImportRegression(
            name: "an event file, audited the same way twice",
            kind: .event,
            mode: .insert,
            text: "kind,note,county_codes,name, held_on\nother,,341125;451026,;褧米C ,0331-08-17",
            mustImport: true
        ),
        // Upserting it again counted the row as updated (and moved updated_at): the row was
        // compared before it took its product's category and unit.
        ImportRegression(
            name: "a sale that leaves category and unit to its product, imported again",
            kind: .sale,
            mode: .insert,
            text: "sold_on,note,buyer_id,amount_fen,id,unit,product_id,volume,channel\n1205-05-04,Ⅷ,buy-union,54400,x,,prd-shrimp,8,canteen",
            mustImport: true
        ),
        ImportRegression(
            name: "a sales file with a generated id, audited the same way twice",
            kind: .sale,
            mode: .upsert,
            text: "product_id,id,unit,channel,sold_on,note,volume,buyer_id,amount_fen\nprd-rice,,,canteen,0001-01-01,县远县,3,buy-union,2400",
            mustImport: true
        ),
    ]
}

extension ImportFuzzTests {
    /// A one-column row with an empty cell was written as an empty line, which reads as a blank line: the row vanished.
    @Test("a lone empty cell survives writing and reading")
    func loneEmptyCell() throws {
        let rows = [[";\t🍚"], [""], ["x"], [""]]
        let text = CSVWriter.line(["c0"]) + rows.map(CSVWriter.line).joined()
        #expect(CSVWriter.line([""]) == "\"\"\r\n")
        let parsed = try CSVTable.parse(Array(text.utf8))
        #expect(parsed.rows.map(\.cells) == rows)
        #expect(parsed.rows.map(\.number) == [2, 3, 4, 5])
    }

    /// A quote followed by a combining mark is one Character, so replacing "\"" left it single: the cell ended early.
    @Test("a quote before a combining mark is doubled")
    func quoteBeforeCombiningMark() throws {
        let rows = [["\"\"\u{0301}0 "], ["x\"\u{0301},evil"]]
        #expect(CSVWriter.escape("x\"\u{0301},evil") == "\"x\"\"\u{0301},evil\"")
        let parsed = try CSVTable.parse(Array((CSVWriter.line(["c0"]) + rows.map(CSVWriter.line).joined()).utf8))
        #expect(parsed.rows.map(\.cells) == rows)
    }

    @Test("inputs the fuzzer found", arguments: ImportRegression.all)
    func regression(_ regression: ImportRegression) async throws {
        let harness = try await ImportFuzzHarness.make()
        let test = ImportCase(
            seed: 0,
            kind: regression.kind,
            mode: regression.mode,
            bytes: Array(regression.text.utf8),
            steps: [],
            mustImport: regression.mustImport,
            expectedErrors: []
        )
        let (_, violation) = await harness.check(test)
        #expect(violation == nil, Comment(rawValue: violation?.description ?? ""))
    }
}
