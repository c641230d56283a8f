import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoReports
import ChanxiaoStore
import Foundation

/// `chanxiao report weekly|counties`: the same files as the report endpoints.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the weekly report or the county statistics table.",
        subcommands: [Weekly.self, Counties.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, markdown, csv
    }

    struct Weekly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the weekly report (周报) of an ISO week: JSON, Markdown or CSV."
        )

        @OptionGroup var common: CommonOptions

        @Option(help: ArgumentHelp("The ISO week, e.g. 2020-W38; the last completed week when omitted.", valueName: "week"))
        var week: String?

        @Option(help: "json, markdown or csv.")
        var format: Format = .markdown

        @Option(
            help: ArgumentHelp(
                "Only this region: its buyers and venues and the counties inside it or paired with it (a province, city or district code).",
                valueName: "code"
            )
        )
        var region: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Output file; standard output when omitted or -.", valueName: "file"))
        var output: String?

        func run() async throws {
            let config = try common.loadConfig()
            let week = try ReportCommand.week(week, config: config)
            if let region, let problem = DivisionCode.problem(with: region, level: .any) { throw ReportCommand.usage("--region: \(problem)") }
            let (database, _) = try common.openDatabase(config)
            let report = try await database.weeklyReport(
                week,
                policy: config.shareTargetPolicy,
                settings: config.reports,
                zone: config.zone,
                within: region.flatMap { Jurisdiction(regions: [$0]) }
            )
            let text =
                switch format {
                case .json: String(decoding: JSONWriter.encode(report.json), as: UTF8.self) + "\n"
                case .markdown: report.markdown(zone: config.zone)
                case .csv: ReportCSV.byteOrderMark + report.csv
                }
            try ReportCommand.write(text, to: output)
        }
    }

    struct Counties: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the county statistics table (seed 002 annex) as CSV with a 合计 row, UTF-8 with BOM."
        )

        @OptionGroup var common: CommonOptions

        @Option(help: ArgumentHelp("First day, YYYY-MM-DD; 1 January of the year of --to when omitted.", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("Last day, YYYY-MM-DD; today when omitted.", valueName: "date"))
        var to: String?

        @Option(help: ArgumentHelp("Only the counties in this region (a province, city or county code).", valueName: "code"))
        var region: String?

        @Option(name: .shortAndLong, help: ArgumentHelp("Output file; standard output when omitted or -.", valueName: "file"))
        var output: String?

        func run() async throws {
            let config = try common.loadConfig()
            let today = CalendarDate.today(in: config.zone, now: Date())
            let end = try ReportCommand.date(to, option: "--to") ?? today
            let start = try ReportCommand.date(from, option: "--from") ?? CalendarDate(year: end.year, month: 1, day: 1)!
            guard start <= end else { throw ReportCommand.usage("--to (\(end)) must not be before --from (\(start))") }
            if let region, let problem = DivisionCode.problem(with: region, level: .any) { throw ReportCommand.usage("--region: \(problem)") }
            let (database, _) = try common.openDatabase(config)
            let table = try await database.countyTable(from: start, to: end, region: region)
            try ReportCommand.write(table.csv, to: output)
        }
    }

    static func week(_ text: String?, config: ChanxiaoConfig) throws -> IsoWeek {
        guard let text else { return IsoWeek(containing: CalendarDate.today(in: config.zone, now: Date())).adding(weeks: -1) }
        guard let week = IsoWeek(text) else { throw usage("--week must be an ISO week written YYYY-Www, e.g. 2020-W38, not '\(text)'") }
        if let problem = IsoWeek.planningProblem(week) { throw usage("--week \(problem)") }
        return week
    }

    static func date(_ text: String?, option: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let date = CalendarDate(text) else { throw usage("\(option) must be a date written YYYY-MM-DD, not '\(text)'") }
        return date
    }

    static func usage(_ message: String) -> ExitCode {
        Console.error(message)
        return ExitCode(CLIExit.usage)
    }

    static func write(_ text: String, to file: String?) throws {
        guard let file, file != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            Console.error("cannot write \(file): \(error.localizedDescription)")
            throw ExitCode(CLIExit.ioError)
        }
    }
}
