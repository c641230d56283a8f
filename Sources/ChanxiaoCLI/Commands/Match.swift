import ArgumentParser
import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoServer
import Foundation

struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Run matching for a week: propose suppliers for every active demand and explain what stays unmet.",
        discussion: """
            Proposals supersede the week's earlier ones; accepted matches hold their volume and declined ones are not
            proposed again. --dry-run computes without storing anything. --export-dimacs writes the min-cost-flow problem
            the allocator solved, in the DIMACS format, so that another solver can check the optimum.
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The ISO week, e.g. 2020-W38; default the coming week.", valueName: "week"))
    var week: String?

    @Flag(help: "Compute and report, but store nothing.")
    var dryRun = false

    @Option(name: .customLong("export-dimacs"), help: ArgumentHelp("Write the solved flow problem to this file.", valueName: "file"))
    var exportDimacs: String?

    @Flag(help: "Print the run as JSON (with the proposals on a dry run).")
    var json = false

    func run() async throws {
        let config = try common.loadConfig()
        var target = IsoWeek(containing: CalendarDate.today(in: config.zone, now: Date())).adding(weeks: 1)
        if let week {
            guard let parsed = IsoWeek(week) else {
                Console.error("--week: expected an ISO week such as 2020-W38, got '\(week)'")
                throw ExitCode.validationFailure
            }
            if let problem = IsoWeek.planningProblem(parsed) {
                Console.error("--week \(problem)")
                throw ExitCode.validationFailure
            }
            target = parsed
        }
        let (database, _) = try common.openDatabase(config)
        let runner = MatchRunner(database: database, config: ConfigStore(config))
        let outcome = try await runner.run(week: target, dryRun: dryRun, trigger: "cli", actor: Console.actor, role: .admin)

        if let exportDimacs {
            let text = DIMACS.write(
                outcome.result.networks,
                comments: [
                    "chanxiao \(ChanxiaoVersion.current) match run \(outcome.run.id) for \(target)",
                    "min-cost flow of the final round; optimum \(outcome.result.stats.totalCost) (hundredths of a fen)",
                ]
            )
            do {
                try text.write(toFile: exportDimacs, atomically: true, encoding: .utf8)
            } catch {
                Console.error("cannot write \(exportDimacs): \(error.localizedDescription)")
                throw ExitCode(CLIExit.ioError)
            }
        }
        if json {
            let lists = outcome.stored ? [] : [(name: "matches", items: outcome.matches.map(\.fields))]
            print(String(decoding: JSONWriter.encode(outcome.run.fields, lists: lists), as: UTF8.self))
            return
        }
        let stats = outcome.result.stats
        let fill = stats.demandVolume == 0 ? 100 : Double(stats.matchedVolume) / Double(stats.demandVolume) * 100
        print(
            """
            \(outcome.stored ? "run \(outcome.run.id)" : "dry run (nothing stored)") for \(target)
              demands:   \(stats.demands) with \(stats.demandVolume) units to match (\(stats.heldVolume) already accepted)
              matched:   \(stats.matchedVolume) units (\(String(format: "%.1f", fill))%) in \(outcome.matches.count) proposals
              unmet:     \(stats.unmetVolume) units over \(outcome.result.unmet.count) demands\(stats.volumeLostToSupplierCap > 0 ? ", \(stats.volumeLostToSupplierCap) lost to supplier caps" : "")
              cost:      \(String(format: "%.2f", ChanxiaoCore.Match.fen(stats.proposedCost) / 100)) yuan effective
              solved:    \(stats.groups) groups, \(stats.nodes) nodes, \(stats.arcs) arcs, \(stats.repairRounds) repair rounds in \(outcome.run.durationMilliseconds) ms
            """
        )
    }
}
