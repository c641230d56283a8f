import ArgumentParser
import ChanxiaoCore

/// `chanxiao`: the daemon and its administration commands.
public struct ChanxiaoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "chanxiao",
        abstract: "Match poverty-county products to institutional buyers (产销对接).",
        version: ChanxiaoVersion.current,
        subcommands: [
            Serve.self, Migrate.self, Import.self, Export.self, MatchCommand.self, ReportCommand.self, Token.self, Config.self, Backup.self,
            Certifications.self,
        ]
    )

    public init() {}
}

extension ChanxiaoCommand {
    /// Parses the process arguments and runs the chosen subcommand, exiting with its status.
    public static func runAsRoot(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let refusal as FigureOutOfRange {
            // Stored records whose figures cannot be reported exactly: the data, not the command.
            Console.error(refusal.description + "; narrow the period or region, or correct the records")
            exit(withError: ExitCode(CLIExit.dataError))
        } catch {
            exit(withError: error)
        }
    }
}
