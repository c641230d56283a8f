import ArgumentParser
import ChanxiaoCore
import ChanxiaoStore
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a CSV file into the catalog, all or nothing.",
        discussion: """
            The file is UTF-8 (a byte-order mark is fine) with a header row naming the columns; see docs/cli.md.
            Every row is checked before anything is written: if any row is bad, every problem is listed and nothing
            is imported. Rows without an id get one. Use --mode upsert to replace resources whose id exists.
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("What the file holds: \(CatalogKind.allValueStrings.joined(separator: ", ")).", valueName: "kind"))
    var kind: CatalogKind

    @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: "insert: every id must be new; upsert: existing ids are replaced.")
    var mode: ImportMode = .insert

    func run() async throws {
        let config = try common.loadConfig()
        let (bytes, name) = try Console.readInput(file)
        let (database, _) = try common.openDatabase(config)
        let now = Date()
        let parseContext = config.parseContext(now: now)
        let showProgress = bytes.count > 256 * 1024
        let progress: @Sendable (CatalogCSV.Phase, Int, Int) -> Void = { phase, done, total in
            Console.progress("\(name): \(phase.rawValue) \(done)/\(total) rows", final: phase == .writing && done == total)
        }
        do {
            let summary = try await database.importCSV(
                kind,
                bytes: bytes,
                mode: mode,
                parseContext: parseContext,
                context: Console.writeContext(config: config, now: now),
                progress: showProgress ? progress : nil
            )
            print(
                "imported \(summary.rows) \(kind.plural) from \(name): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged"
            )
        } catch let failure as ValidationFailure {
            if showProgress { Console.progress("", final: false) }
            throw Console.refuseImport(name, failure)
        }
    }
}
