import ChanxiaoDemo
import ChanxiaoWebhooks
import Testing

@Suite("SendSlots")
struct SendSlotsTests {
    typealias Claimant = SendSlots.Claimant

    static func claimant(_ id: String, inFlight: Int = 0, limit: Int = 4, failing: Bool = false, lastServed: Double? = nil) -> Claimant {
        Claimant(id: id, inFlight: inFlight, limit: limit, failing: failing, lastServed: lastServed)
    }

    /// Slots by id, leaving out those given none.
    static func shares(_ claimants: [Claimant], idle: [SendSlots.Idle] = [], concurrency: Int = 16, failingInFlight: Int = 0) -> [String: Int] {
        let busy = claimants.map(\.inFlight).reduce(0, +)
        let shares = SendSlots.share(claimants, idle: idle, concurrency: concurrency, inFlight: busy, failingInFlight: failingInFlight)
        return Dictionary(uniqueKeysWithValues: shares.map { (claimants[$0.index].id, $0.slots) })
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var claimants: [Claimant]
        var concurrency = 16
        var failingInFlight = 0
        /// Active endpoints with nothing due.
        var idle: [SendSlots.Idle] = []
        var expected: [String: Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing due, nothing shared", claimants: [], expected: [:]),
        Case(name: "one endpoint gets up to its own bound", claimants: [claimant("a")], expected: ["a": 4]),
        Case(
            name: "five endpoints get three slots each, so that any four leave one free",
            claimants: ["a", "b", "c", "d", "e"].map { claimant($0) },
            expected: ["a": 3, "b": 3, "c": 3, "d": 3, "e": 3]
        ),
        Case(
            name: "an active endpoint with nothing due keeps its share: four due take twelve, not sixteen",
            claimants: ["dead-1", "dead-2", "dead-3", "dead-4"].map { claimant($0) },
            idle: [.init(limit: 4, failing: false)],
            expected: ["dead-1": 3, "dead-2": 3, "dead-3": 3, "dead-4": 3]
        ),
        Case(
            name: "idle failing endpoints and robots count one slot each, not a full share",
            claimants: [claimant("busy")],
            idle: Array(repeating: .init(limit: 4, failing: true), count: 8) + Array(repeating: .init(limit: 1, failing: false), count: 4),
            expected: ["busy": 4]
        ),
        Case(
            name: "idle failing endpoints count at most their half",
            claimants: [claimant("busy", limit: 16)],
            idle: Array(repeating: .init(limit: 4, failing: true), count: 30),
            expected: ["busy": 8]
        ),
        Case(
            name: "more endpoints than slots: one each, first come",
            claimants: (1...20).map { claimant("e\($0)") },
            expected: Dictionary(uniqueKeysWithValues: (1...16).map { ("e\($0)", 1) })
        ),
        Case(
            name: "free slots go one at a time to each in turn, the first listed taking the remainder",
            claimants: ["a", "b", "c"].map { claimant($0, limit: 16) },
            concurrency: 8,
            expected: ["a": 3, "b": 3, "c": 2]
        ),
        Case(name: "the global bound holds", claimants: ["a", "b", "c"].map { claimant($0) }, concurrency: 5, expected: ["a": 2, "b": 2, "c": 1]),
        Case(
            name: "a freed slot goes to the endpoint with the fewest in flight, even listed last",
            claimants: [
                claimant("slow-1", inFlight: 3), claimant("slow-2", inFlight: 3), claimant("slow-3", inFlight: 3),
                claimant("slow-4", inFlight: 3), claimant("fast", inFlight: 2),
            ],
            concurrency: 15,
            expected: ["fast": 1]
        ),
        Case(
            name: "among equals, the one served longest ago; never served before any",
            claimants: [
                claimant("a", inFlight: 1, lastServed: 9), claimant("b", inFlight: 1, lastServed: 2),
                claimant("c", inFlight: 1, lastServed: nil),
            ],
            concurrency: 5,
            expected: ["c": 1, "b": 1]
        ),
        Case(
            name: "an endpoint at its own bound gets nothing",
            claimants: [claimant("a", inFlight: 4), claimant("b", inFlight: 1)],
            expected: ["b": 3]
        ),
        Case(
            name: "a chat robot gets one send at a time",
            claimants: [claimant("robot", limit: 1), claimant("busy-robot", inFlight: 1, limit: 1)],
            expected: ["robot": 1]
        ),
        Case(
            name: "a failing endpoint gets one send at a time",
            claimants: [claimant("down", failing: true), claimant("up")],
            expected: ["down": 1, "up": 4]
        ),
        Case(
            name: "a failing endpoint with sends in flight from before gets no more",
            claimants: [claimant("down", inFlight: 3, failing: true)],
            expected: [:]
        ),
        Case(
            name: "failing endpoints together hold at most half the slots, leaving the rest to live ones",
            claimants: (1...20).map { claimant("down-\($0)", failing: true) } + [claimant("up", limit: 16)],
            expected: Dictionary(uniqueKeysWithValues: (1...8).map { ("down-\($0)", 1) } + [("up", 8)])
        ),
        Case(
            name: "sends to failing endpoints already in flight count against their half",
            claimants: [claimant("down-1", failing: true), claimant("down-2", failing: true)],
            failingInFlight: 7,
            expected: ["down-1": 1]
        ),
        Case(
            name: "with one slot in all, a failing endpoint may still have it",
            claimants: [claimant("down", failing: true)],
            concurrency: 1,
            expected: ["down": 1]
        ),
        Case(name: "with every slot in flight, nothing is shared", claimants: [claimant("a", inFlight: 2)], concurrency: 2, expected: [:]),
    ]

    @Test(arguments: cases)
    func sharing(_ test: Case) {
        #expect(Self.shares(test.claimants, idle: test.idle, concurrency: test.concurrency, failingInFlight: test.failingInFlight) == test.expected)
    }

    @Test func everyShareIsWithinTheBoundsAndUsesWhatItMay() {
        // Any mix: the shares never exceed a bound, and a slot is left free only when no
        // endpoint may take it.
        var random = ChanxiaoDemo.SplitMix64(seed: 20_261_123)
        for _ in 0..<2_000 {
            let drawn = Int(random.next() % 20) + 1
            let claimants = (0..<Int(random.next() % 12)).map { n in
                Self.claimant(
                    "e\(n)",
                    inFlight: Int(random.next() % 3),
                    limit: Int(random.next() % 4) + 1,
                    failing: random.next() % 3 == 0,
                    lastServed: random.next() % 2 == 0 ? nil : Double(random.next() % 100)
                )
            }
            let inFlight = claimants.map(\.inFlight).reduce(0, +)
            let failingInFlight = claimants.filter(\.failing).map(\.inFlight).reduce(0, +)
            let concurrency = max(drawn, inFlight)
            let idle = (0..<Int(random.next() % 4)).map { _ in SendSlots.Idle(limit: Int(random.next() % 4) + 1, failing: random.next() % 3 == 0) }
            let shares = SendSlots.share(claimants, idle: idle, concurrency: concurrency, inFlight: inFlight, failingInFlight: failingInFlight)
            var given = Array(repeating: 0, count: claimants.count)
            for share in shares { given[share.index] = share.slots }
            let total = given.reduce(0, +)
            let failingTotal = zip(claimants, given).filter { $0.0.failing }.map(\.1).reduce(0, +)
            let caps = SendSlots.caps(claimants, idle: idle, concurrency: concurrency)
            #expect(inFlight + total <= concurrency)
            #expect(failingTotal == 0 || failingInFlight + failingTotal <= SendSlots.failingBudget(concurrency: concurrency))
            for index in claimants.indices where given[index] > 0 {
                #expect(claimants[index].inFlight + given[index] <= caps[index])
            }
            if inFlight + total < concurrency {
                // A slot is left free only when no one may take it.
                for index in claimants.indices {
                    let full = claimants[index].inFlight + given[index] >= caps[index]
                    let failingFull = claimants[index].failing && failingInFlight + failingTotal >= SendSlots.failingBudget(concurrency: concurrency)
                    #expect(full || failingFull, "\(claimants[index].id) could have had another slot")
                }
            }
        }
    }

    /// The fair share, by its definition: the largest share at which the others, each holding
    /// as much (or their own limit), leave any one a slot.
    @Test(arguments: [
        (16, [4, 4, 4, 4, 4], 0, 3),  // 3 × 4 others = 12 ≤ 15; 4 × 4 = 16 is not
        (16, [4], 0, 4),  // alone: its own limit
        (16, [16], 20, 8),  // 8 failing (their half) + 8 = 16, less the smallest (1) = 15
        (16, [4, 1, 1, 1, 1], 8, 4),  // 4 + 4 robots + 8 failing = 16, less 1 = 15
        (16, Array(repeating: 4, count: 20), 0, 1),  // more endpoints than slots: at least one
        (5, [16, 16, 16], 0, 2),  // 2 + 2 others = 4 ≤ 4
        (1, [4, 4], 0, 1),
    ])
    func fairShare(concurrency: Int, limits: [Int], failing: Int, expected: Int) {
        #expect(SendSlots.fairShare(concurrency: concurrency, limits: limits, failing: failing) == expected)
    }
}
