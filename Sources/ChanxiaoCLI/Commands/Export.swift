import ArgumentParser
import ChanxiaoCore
import Foundation

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the catalog's resources of one kind as CSV, in the format import reads."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("One of \(CatalogKind.allValueStrings.joined(separator: ", ")).", valueName: "kind"))
    var kind: CatalogKind

    @Argument(help: ArgumentHelp("Output file; standard output when omitted or -.", valueName: "file"))
    var file: String?

    func run() async throws {
        let config = try common.loadConfig()
        let (database, _) = try common.openDatabase(config)
        let text = try await database.exportCSV(kind)
        if let file, file != "-" {
            do {
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            } catch {
                Console.error("cannot write \(file): \(error.localizedDescription)")
                throw ExitCode(CLIExit.ioError)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
