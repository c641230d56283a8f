import Testing

/// `--week` at either end of the calendar: refused with the weeks that can be used (exit 64),
/// not a crash. Matching looks a year back and reports read into the next week, so the first
/// and last weeks of years 1 and 9999 have neighbours that do not exist.
@Suite struct WeekOptionTests {
    @Test(arguments: [
        ["match", "--dry-run", "--week", "0001-W01"],
        ["match", "--week", "9999-W52"],
        ["report", "weekly", "--week", "9999-W52"],
        ["report", "weekly", "--week", "0001-W01"],
    ])
    func aWeekAtTheEndOfTheCalendarIsRefused(arguments: [String]) throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run(arguments: arguments + ["--database", "db.sqlite"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--week must be from 0002-W01 to 9997-W52"), "\(result.stderr)")
    }
}
