import ArgumentParser
import ChanxiaoCore
import ChanxiaoStore
import Foundation

struct Certifications: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certifications",
        abstract: "Certifications of poverty products.",
        subcommands: [ImportList.self]
    )

    struct ImportList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "List products from an authority's official list (CSV), all rows or none.",
            discussion: """
                Columns: \(OfficialListRow.columns.joined(separator: ", ")). A row whose product is listed under the same
                number renews that listing; a new listing counts from valid_from when given, else from today.
                --dry-run reports what would change and writes nothing. See docs/certification.md.
                """
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The CSV file, or - for standard input.", valueName: "file"))
        var file: String

        @Flag(name: .customLong("dry-run"), help: "Check the file and report what would change, without writing.")
        var dryRun = false

        func run() async throws {
            let config = try common.loadConfig()
            let (bytes, name) = try Console.readInput(file)
            let (database, _) = try common.openDatabase(config)
            let context = Console.writeContext(config: config)
            do {
                let rows = try OfficialListFile.rows(bytes, today: context.today)
                let report = try await database.importOfficialList(rows, dryRun: dryRun, context: context)
                for row in report.rows {
                    print("row \(row.row): \(row.productID) \(row.certificateNo) \(row.change.rawValue)")
                }
                let count = { (change: OfficialListReport.Change) in report.rows.filter { $0.change == change }.count }
                print(
                    "\(dryRun ? "would import" : "imported") \(report.rows.count) rows from \(name): \(count(.list)) listed, \(count(.renew)) renewed, \(count(.unchanged)) unchanged"
                )
            } catch let failure as ValidationFailure {
                throw Console.refuseImport(name, failure)
            }
        }
    }
}
