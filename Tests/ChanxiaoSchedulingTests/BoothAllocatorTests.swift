import ChanxiaoCore
import ChanxiaoDemo
import Foundation
import Testing

@testable import ChanxiaoScheduling

@Suite struct BoothAllocatorTests {
    static func meetsShare(poverty: Int, total: Int, _ share: Double) -> Bool {
        Double(poverty) >= share * Double(total) - 1e-9
    }

    static func check(_ allocation: BoothAllocation, _ instance: BoothInstance, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        let fair = instance.fair
        let claims = instance.claims
        let held = claims.flatMap(\.held)
        let assigned = allocation.assigned.values.flatMap { $0 }
        let got = { (claim: BoothClaim) in allocation.assigned[claim.applicationID]?.count ?? 0 }
        #expect(Set(allocation.assigned.keys).isSubset(of: Set(claims.map(\.applicationID))), "seed \(seed)", sourceLocation: sourceLocation)
        #expect(allocation.assigned.values.allSatisfy { !$0.isEmpty }, "seed \(seed)", sourceLocation: sourceLocation)

        // Numbers: unique, on the ground, not held; the free ones are the rest.
        #expect(Set(assigned).count == assigned.count, "seed \(seed): a booth given twice", sourceLocation: sourceLocation)
        #expect(assigned.allSatisfy { (1...fair.boothCount).contains($0) }, "seed \(seed)", sourceLocation: sourceLocation)
        #expect(Set(assigned).isDisjoint(with: held), "seed \(seed): a held booth given again", sourceLocation: sourceLocation)
        #expect(
            allocation.freeBooths == (1...fair.boothCount).filter { !held.contains($0) && !assigned.contains($0) },
            "seed \(seed)",
            sourceLocation: sourceLocation
        )

        // No claim gets more than it asked for; no applicant more than the cap.
        for claim in claims {
            #expect(got(claim) <= max(0, claim.requested - claim.held.count), "seed \(seed): \(claim.applicationID)", sourceLocation: sourceLocation)
        }
        var perApplicant: [String: Int] = [:]
        for claim in claims { perApplicant[claim.applicant, default: 0] += claim.held.count + got(claim) }
        for (applicant, count) in perApplicant {
            #expect(count <= fair.maxBoothsPerApplicant, "seed \(seed): \(applicant) has \(count)", sourceLocation: sourceLocation)
        }

        // The poverty share of every booth given out, held ones included.
        let poverty = claims.filter(\.poverty).reduce(0) { $0 + $1.held.count + got($1) }
        let total = held.count + assigned.count
        if !assigned.isEmpty {
            #expect(
                meetsShare(poverty: poverty, total: total, fair.minPovertyShare),
                "seed \(seed): \(poverty) of \(total) below \(fair.minPovertyShare)",
                sourceLocation: sourceLocation
            )
        }

        // The waiting list: exactly the claims still wanting booths they may have, by how many, in serving order.
        let waiting = Dictionary(uniqueKeysWithValues: allocation.waitlist.map { ($0.applicationID, $0.booths) })
        for claim in claims {
            let wants = max(0, claim.requested - claim.held.count) - got(claim)
            let may = fair.maxBoothsPerApplicant - perApplicant[claim.applicant, default: 0]
            let expected = min(wants, may)
            #expect(
                waiting[claim.applicationID] == (expected > 0 ? expected : nil),
                "seed \(seed): waitlist of \(claim.applicationID)",
                sourceLocation: sourceLocation
            )
        }
        // Serving order: priority class, then the applicant holding fewest booths, then the fair's lottery.
        let holds = { (applicant: String) in
            claims.filter { $0.applicant == applicant }.reduce(0) { $0 + $1.held.count + (allocation.assigned[$1.applicationID]?.count ?? 0) }
        }
        let order = allocation.waitlist.compactMap { entry in claims.first { $0.applicationID == entry.applicationID } }
            .map { (priority: $0.priority, holds: holds($0.applicant), rank: BoothAllocator.lottery(fair.id, $0.applicationID)) }
        #expect(
            zip(order, order.dropFirst()).allSatisfy { a, b in
                a.priority != b.priority ? a.priority > b.priority : a.holds != b.holds ? a.holds < b.holds : a.rank < b.rank
            },
            "seed \(seed): waitlist not in serving order",
            sourceLocation: sourceLocation
        )

        // No booth left free that a waiting claim could take without breaking the share or the cap.
        if !allocation.freeBooths.isEmpty {
            for entry in allocation.waitlist {
                guard let claim = claims.first(where: { $0.applicationID == entry.applicationID }) else { continue }
                let could = meetsShare(poverty: poverty + (claim.poverty ? 1 : 0), total: total + 1, fair.minPovertyShare)
                #expect(
                    !could,
                    "seed \(seed): booth \(allocation.freeBooths[0]) left free though \(claim.applicationID) could take it",
                    sourceLocation: sourceLocation
                )
            }
        }
        #expect(allocation.heldForPoverty <= allocation.freeBooths.count, "seed \(seed)", sourceLocation: sourceLocation)
        if allocation.heldForPoverty > 0 {
            #expect(
                allocation.waitlist.allSatisfy { entry in claims.first { $0.applicationID == entry.applicationID }?.poverty == false },
                "seed \(seed): booths held back for poverty while a poverty claim waits",
                sourceLocation: sourceLocation
            )
        }

        // A higher class waits only while a lower class got booths from the poverty reserve.
        for entry in allocation.waitlist {
            guard let waiting = claims.first(where: { $0.applicationID == entry.applicationID }) else { continue }
            for lower in claims where lower.priority < waiting.priority && got(lower) > 0 {
                #expect(
                    lower.poverty && !waiting.poverty,
                    "seed \(seed): \(waiting.applicationID) (priority \(waiting.priority)) waits while \(lower.applicationID) (priority \(lower.priority)) got booths",
                    sourceLocation: sourceLocation
                )
            }
        }
    }

    @Test(arguments: 0..<300)
    func allocationsKeepTheRules(seed: Int) {
        let seed = UInt64(seed)
        let instance = BoothInstance.make(seed: seed)
        let allocation = BoothAllocator.allocate(fair: instance.fair, claims: instance.claims)
        Self.check(allocation, instance, seed: seed)
        // Determinism, and independence from the order the claims arrive in.
        #expect(BoothAllocator.allocate(fair: instance.fair, claims: instance.claims) == allocation, "seed \(seed)")
        var random = SplitMix64(seed: seed)
        for _ in 0..<3 {
            let shuffled = instance.claims.shuffled(using: &random)
            #expect(BoothAllocator.allocate(fair: instance.fair, claims: shuffled) == allocation, "seed \(seed): order of claims matters")
        }
    }

    /// The generator reaches the interesting cases: waiting lists, booths held back, held booths, several classes.
    @Test func generatorCoversTheCases() {
        var waitlisted = 0
        var heldBack = 0
        var holding = 0
        var classes = 0
        var capped = 0
        for seed in 0..<300 {
            let instance = BoothInstance.make(seed: UInt64(seed))
            let allocation = BoothAllocator.allocate(fair: instance.fair, claims: instance.claims)
            if !allocation.waitlist.isEmpty && allocation.freeBooths.isEmpty { waitlisted += 1 }
            if allocation.heldForPoverty > 0 { heldBack += 1 }
            if instance.claims.contains(where: { !$0.held.isEmpty }) { holding += 1 }
            if Set(instance.claims.map(\.priority)).count > 1 { classes += 1 }
            if instance.claims.contains(where: { $0.requested > instance.fair.maxBoothsPerApplicant }) { capped += 1 }
        }
        for (name, count) in [("waitlisted", waitlisted), ("held back", heldBack), ("holding", holding), ("classes", classes), ("capped", capped)] {
            #expect(count >= 20, "\(name): \(count) of 300")
        }
    }

    static func claim(_ id: String, _ applicant: String, requested: Int, poverty: Bool = true, priority: Int = 0, held: [Int] = []) -> BoothClaim {
        BoothClaim(applicationID: id, applicant: applicant, requested: requested, poverty: poverty, priority: priority, held: held)
    }

    /// One booth per applicant per round within a class: two equal claims for two booths get one each.
    @Test func roundRobinWithinAClass() {
        let claims = [Self.claim("a", "county:1", requested: 2), Self.claim("b", "county:2", requested: 2)]
        // Without a poverty share, the rounds alone decide.
        let free = BoothAllocator.allocate(fair: SF.fair(booths: 2, share: 0, perApplicant: 2), claims: claims)
        #expect(free.assigned.mapValues(\.count) == ["a": 1, "b": 1])
        #expect(Set(free.waitlist.map(\.applicationID)) == ["a", "b"])
        // With a 30% share the reserve (one booth) is given first; the round must go on from there.
        let shared = BoothAllocator.allocate(fair: SF.fair(booths: 2, share: 0.3, perApplicant: 2), claims: claims)
        #expect(shared.assigned.mapValues(\.count) == ["a": 1, "b": 1])
    }

    /// "One booth per applicant per round": an applicant does not get a booth per application.
    @Test func oneBoothPerApplicantPerRound() {
        let fair = SF.fair(booths: 2, share: 0, perApplicant: 4)
        // Ids whose lottery puts both of S's applications before T's.
        let ids = (0..<10).map { "a\($0)" }.sorted { BoothAllocator.lottery(fair.id, $0) < BoothAllocator.lottery(fair.id, $1) }
        let claims = [
            Self.claim(ids[0], "supplier:S", requested: 2), Self.claim(ids[1], "supplier:S", requested: 2),
            Self.claim(ids[2], "supplier:T", requested: 2),
        ]
        let allocation = BoothAllocator.allocate(fair: fair, claims: claims)
        #expect(allocation.assigned[ids[2]]?.count == 1, "T waits while S gets a second booth in the first round")
    }

    /// Round-robin within a class: a waiting claim never has two booths fewer than another
    /// claim of its class and kind (poverty or not).
    @Test(arguments: 0..<300)
    func roundsAreFair(seed: Int) {
        let instance = BoothInstance.make(seed: UInt64(seed))
        let allocation = BoothAllocator.allocate(fair: instance.fair, claims: instance.claims)
        let got = { (claim: BoothClaim) in allocation.assigned[claim.applicationID]?.count ?? 0 }
        // Rounds count an applicant's booths over all its applications and those it held before;
        // compare applicants with one application and nothing held, where that is the claim's count.
        let single = { (claim: BoothClaim) in claim.held.isEmpty && instance.claims.filter { $0.applicant == claim.applicant }.count == 1 }
        for entry in allocation.waitlist {
            guard let waiting = instance.claims.first(where: { $0.applicationID == entry.applicationID }) else { continue }
            // Free booths left while a claim waits: they are held for the poverty share, and
            // only a claim without poverty products can be waiting for that reason.
            if !allocation.freeBooths.isEmpty {
                #expect(!waiting.poverty, "seed \(seed): a poverty claim waits while booths are free")
                continue
            }
            guard single(waiting) else { continue }
            for other in instance.claims where other.priority == waiting.priority && other.poverty == waiting.poverty && single(other) {
                #expect(
                    got(other) <= got(waiting) + 1,
                    "seed \(seed): \(other.applicationID) got \(got(other)), \(waiting.applicationID) waits with \(got(waiting))"
                )
            }
        }
    }

    /// Among equals, the fair's lottery decides, not the order of arrival or of the ids.
    @Test(arguments: 0..<20)
    func lotteryDecidesAmongEquals(seed: Int) {
        var random = SplitMix64(seed: UInt64(seed))
        // Distinct by construction (a guard that skipped collisions let seeds pass untested).
        let ids = (0..<4).map { "app-\(random.next() % 1000)-\($0)" }
        let fair = SF.fair(booths: 1, share: 0, perApplicant: 1, id: "fair-\(seed)")
        let claims = ids.enumerated().map { Self.claim($0.element, "county:\($0.offset)", requested: 1) }
        let winner = ids.min { BoothAllocator.lottery(fair.id, $0) < BoothAllocator.lottery(fair.id, $1) }!
        let allocation = BoothAllocator.allocate(fair: fair, claims: claims)
        #expect(allocation.assigned == [winner: [1]])
        #expect(
            allocation.waitlist.map(\.applicationID)
                == ids.filter { $0 != winner }.sorted { BoothAllocator.lottery(fair.id, $0) < BoothAllocator.lottery(fair.id, $1) }
        )
    }

    @Test func higherClassFirst() {
        let allocation = BoothAllocator.allocate(
            fair: SF.fair(booths: 2, perApplicant: 2),
            claims: [Self.claim("low", "county:1", requested: 2), Self.claim("high", "county:2", requested: 2, priority: 2)]
        )
        #expect(allocation.assigned.mapValues(\.count) == ["high": 2])
        #expect(allocation.waitlist.map(\.applicationID) == ["low"])
        #expect(allocation.freeBooths.isEmpty && allocation.heldForPoverty == 0)
    }

    /// The cap counts every application of an applicant and the booths it holds.
    @Test func capCountsHeldBoothsAndEveryApplication() {
        let allocation = BoothAllocator.allocate(
            fair: SF.fair(booths: 10, share: 0, perApplicant: 2),
            claims: [
                Self.claim("a1", "supplier:s1", requested: 1, held: [1]),
                Self.claim("a2", "supplier:s1", requested: 3),
                Self.claim("b", "supplier:s2", requested: 1),
            ]
        )
        #expect(allocation.assigned.mapValues(\.count) == ["a2": 1, "b": 1])
        #expect(allocation.waitlist.isEmpty)
        #expect(!allocation.assigned.values.joined().contains(1))
    }

    /// Without poverty claims nothing can be given while the share is above zero.
    @Test func noPovertyClaimsNoBooths() {
        let claims = [Self.claim("x", "supplier:s1", requested: 2, poverty: false)]
        let strict = BoothAllocator.allocate(fair: SF.fair(booths: 4, share: 0.3), claims: claims)
        #expect(strict.assigned.isEmpty)
        #expect(strict.heldForPoverty == 4 && strict.waitlist.map(\.booths) == [2])
        let none = BoothAllocator.allocate(fair: SF.fair(booths: 4, share: 0), claims: claims)
        #expect(none.assigned.mapValues(\.count) == ["x": 2] && none.heldForPoverty == 0)
    }

    /// 3 of 10 booths at 30% is enough: the rest go to a higher-class non-poverty claim.
    @Test func exactShareIsEnough() {
        let allocation = BoothAllocator.allocate(
            fair: SF.fair(booths: 10, share: 0.3, perApplicant: 10),
            claims: [
                Self.claim("high", "supplier:s1", requested: 10, poverty: false, priority: 1),
                Self.claim("low", "county:1", requested: 10, priority: 0),
            ]
        )
        #expect(allocation.assigned.mapValues(\.count) == ["low": 3, "high": 7])
    }

    /// 7 of 25 booths is 28%, which meets a 28% share: the poverty reserve is 7 booths.
    @Test func reserveIsTheShareOfTheBooths() {
        let allocation = BoothAllocator.allocate(
            fair: SF.fair(booths: 25, share: 0.28, perApplicant: 25),
            claims: [
                Self.claim("high", "supplier:s1", requested: 18, poverty: false, priority: 1),
                Self.claim("low", "county:1", requested: 25, priority: 0),
            ]
        )
        #expect(allocation.assigned.mapValues(\.count) == ["low": 7, "high": 18])
    }

    /// 7 poverty booths of 50 is 14%, which meets a 14% share: the 50th booth may go to a
    /// non-poverty claim.
    @Test func shareCheckAtTheExactBoundary() {
        let allocation = BoothAllocator.allocate(
            fair: SF.fair(booths: 60, share: 0.14, perApplicant: 60),
            claims: [
                Self.claim("low", "county:1", requested: 7, priority: 0),
                Self.claim("high", "supplier:s1", requested: 43, poverty: false, priority: 1),
            ]
        )
        #expect(allocation.assigned.mapValues(\.count) == ["low": 7, "high": 43])
    }
}
