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
            let bytes: [UInt8]
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else if let data = FileManager.default.contents(atPath: file) {
                bytes = Array(data)
            } else {
                Console.error("cannot read \(file)")
                throw ExitCode(CLIExit.ioError)
            }
            let (database, _) = try common.openDatabase(config)
            let context = Console.writeContext(rules: config.writeRules, zone: config.zone)
            let name = file == "-" ? "standard input" : file
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
                Console.error("\(name) was not imported (nothing was written): \(failure.totalCount) problem\(failure.totalCount == 1 ? "" : "s")")
                for error in failure.errors {
                    FileHandle.standardError.write(Data("  \(error)\n".utf8))
                }
                throw ExitCode(CLIExit.dataError)
            }
        }
    }
}
