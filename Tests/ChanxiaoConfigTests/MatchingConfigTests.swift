import ChanxiaoCore
import ChanxiaoMatching
import Testing

@testable import ChanxiaoConfig

@Suite("matching configuration")
struct MatchingConfigTests {
    @Test func listsComeFromYAMLOrCommaSeparatedText() throws {
        let fromFile = try load("matching:\n  eligible_statuses: [deep, national, deep]\n")
        #expect(fromFile.matching.eligibleStatuses == [.national, .deep])
        let fromEnvironment = try load("", environment: ["CHANXIAO_MATCHING_ELIGIBLE_STATUSES": "lifted, none"])
        #expect(fromEnvironment.matching.eligibleStatuses == [.lifted, .none])
    }

    @Test(arguments: [
        (
            "matching:\n  eligible_statuses: [deep, rich]\n", "matching.eligible_statuses",
            "unknown value rich; allowed: national, provincial, deep, lifted, none"
        ),
        ("matching:\n  eligible_statuses: []\n", "matching.eligible_statuses", "must name at least one poverty status"),
        ("server:\n  port: [1, 2]\n", "server.port", "must be a single value, not a list"),
        (
            "matching:\n  scorers:\n    spread:\n      second_share: 0.2\n", "matching.scorers.spread.second_share",
            "must not be below first_share (0.3)"
        ),
        (
            "matching:\n  scorers:\n    spread:\n      second_surcharge: 0.01\n", "matching.scorers.spread.second_surcharge",
            "must not be below first_surcharge (0.05): the surcharge must rise with volume"
        ),
        ("matching:\n  schedule:\n    time: \"25:00\"\n", "matching.schedule.time", "must be a time of day written HH:MM, got '25:00'"),
        ("matching:\n  schedule:\n    time: \"6:00\"\n", "matching.schedule.time", "must be a time of day written HH:MM, got '6:00'"),
        (
            "matching:\n  schedule:\n    weekday: someday\n", "matching.schedule.weekday",
            "must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday, got 'someday'"
        ),
        ("matching:\n  scorers:\n    paired:\n      discount: 1.5\n", "matching.scorers.paired.discount", "must be between 0.0 and 0.9, got 1.5"),
    ])
    func badValuesNameTheKey(yaml: String, key: String, message: String) {
        let found = issues(yaml: yaml)
        #expect(found.map(\.key) == [key])
        #expect(found.first?.message == message)
    }

    @Test func scheduleAndScorersAreRead() throws {
        let config = try load(
            """
            matching:
              scorers:
                paired:
                  enabled: false
                  discount: 0.2
                spread:
                  first_share: 0.1
              schedule:
                weekday: monday
                time: "07:30"
              proposals:
                expire_after_hours: 24
            """
        )
        #expect(config.matching.paired == MatchingSettings.Term(enabled: false, share: 0.2))
        #expect(config.matching.spread.firstShare == 0.1)
        #expect(config.matchingLifecycle.scheduleWeekday == 1)
        #expect(config.matchingLifecycle.scheduleMinute == 7 * 60 + 30)
        #expect(config.matchingLifecycle.proposalTTLHours == 24)
    }

    @Test func theCanonicalTextNamesEveryKeyAndFollowsTheValues() throws {
        let defaults = ChanxiaoConfig()
        let lines = defaults.canonicalText.split(separator: "\n")
        #expect(lines.map { String($0.split(separator: "=")[0]) } == ChanxiaoConfig.allKeys)
        #expect(lines.contains("matching.eligible_statuses=national,provincial,deep,lifted"))
        #expect(lines.contains("matching.schedule.time=18:00"))
        // The same configuration written differently has the same text; a changed value changes it.
        let reordered = try load("matching:\n  eligible_statuses: [lifted, deep, provincial, national]\n")
        #expect(reordered.canonicalText == defaults.canonicalText)
        let changed = try load("matching:\n  scorers:\n    paired:\n      discount: 0.11\n")
        #expect(changed.canonicalText != defaults.canonicalText)
        // Reading the canonical values back gives the same configuration.
        #expect(
            try load(
                "",
                environment: Dictionary(
                    uniqueKeysWithValues: changed.effectiveValues.filter { !$0.value.isEmpty }
                        .map { (ChanxiaoConfig.environmentName(for: $0.key), $0.value) }
                )
            ) == changed
        )
    }
}
