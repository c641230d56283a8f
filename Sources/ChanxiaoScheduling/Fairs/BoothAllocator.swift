import ChanxiaoCore

/// An application as allocation weighs it.
public struct BoothClaim: Sendable, Equatable {
    public var applicationID: String
    public var applicant: String
    public var requested: Int
    /// Every product is a certified poverty product for the whole fair.
    public var poverty: Bool
    /// Deep-poverty and paired applicants come first; higher is earlier.
    public var priority: Int
    /// Booths it already holds.
    public var held: [Int]

    public init(applicationID: String, applicant: String, requested: Int, poverty: Bool, priority: Int, held: [Int] = []) {
        self.applicationID = applicationID
        self.applicant = applicant
        self.requested = requested
        self.poverty = poverty
        self.priority = priority
        self.held = held
    }
}

public struct BoothAllocation: Sendable, Equatable {
    /// Booth numbers newly given, per application.
    public var assigned: [String: [Int]]
    /// Applications still wanting booths, in the order they will be served, with how many.
    public var waitlist: [(applicationID: String, booths: Int)]
    /// Free booths that could not be given without breaking the poverty share.
    public var heldForPoverty: Int
    public var freeBooths: [Int]

    public static func == (a: BoothAllocation, b: BoothAllocation) -> Bool {
        a.assigned == b.assigned && a.heldForPoverty == b.heldForPoverty && a.freeBooths == b.freeBooths
            && a.waitlist.map { "\($0.applicationID):\($0.booths)" } == b.waitlist.map { "\($0.applicationID):\($0.booths)" }
    }
}

/// Gives a fair's free booths to its applications.
///
/// Hard: no applicant holds more than `max_booths_per_applicant`; certified poverty products
/// keep at least `min_poverty_share` of the booths given out (a booth that would break the
/// share stays free); booths already held are kept. Order: priority classes first (deep-poverty
/// and paired applicants); within a class, round-robin — one booth per applicant per round —
/// in an order drawn from the fair and application ids, so equals are treated alike and
/// applying early earns nothing. The share's reserve of booths goes to poverty applicants
/// first; the rest to everyone in the same order. Those left wanting form the waiting list.
public enum BoothAllocator {
    public static func allocate(fair: Fair, claims: [BoothClaim]) -> BoothAllocation {
        let held = Set(claims.flatMap(\.held))
        var free = (1...fair.boothCount).filter { !held.contains($0) }
        var perApplicant: [String: Int] = [:]
        for claim in claims { perApplicant[claim.applicant, default: 0] += claim.held.count }
        var povertyHeld = claims.filter(\.poverty).reduce(0) { $0 + $1.held.count }
        var totalHeld = held.count

        let ordered = claims.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            let x = lottery(fair.id, a.applicationID)
            let y = lottery(fair.id, b.applicationID)
            return x != y ? x < y : a.applicationID < b.applicationID
        }
        var wanted = Dictionary(uniqueKeysWithValues: ordered.map { ($0.applicationID, max(0, $0.requested - $0.held.count)) })
        var given: [String: Int] = [:]
        // Shares are decimals from a config file: compare with a tolerance, so that 28% of 25 is 7.
        let tolerance = 1e-9
        let reserve = Int((fair.minPovertyShare * Double(fair.boothCount) - tolerance).rounded(.up))

        /// Serves `claims` within each priority class in rounds: in round k an applicant holding
        /// fewer than k booths gets one, so nobody gets a second booth before its equals got a first.
        func rounds(_ claims: [BoothClaim], limit: () -> Bool) {
            let classes = Dictionary(grouping: claims, by: \.priority).sorted { $0.key > $1.key }
            for (_, members) in classes {
                for round in 1...fair.maxBoothsPerApplicant {
                    for claim in members where limit() {
                        guard wanted[claim.applicationID]! > 0, perApplicant[claim.applicant, default: 0] < round else { continue }
                        // A booth for a product that is not a poverty product must leave the share intact.
                        if !claim.poverty && Double(povertyHeld) < fair.minPovertyShare * Double(totalHeld + 1) - tolerance { continue }
                        wanted[claim.applicationID]! -= 1
                        given[claim.applicationID, default: 0] += 1
                        perApplicant[claim.applicant, default: 0] += 1
                        totalHeld += 1
                        if claim.poverty { povertyHeld += 1 }
                    }
                }
            }
        }
        let available = free.count
        rounds(ordered.filter(\.poverty)) { given.values.reduce(0, +) < available && povertyHeld < reserve }
        rounds(ordered) { given.values.reduce(0, +) < available }

        // Numbers: each application's booths side by side where possible, in serving order.
        var assigned: [String: [Int]] = [:]
        for claim in ordered {
            guard let count = given[claim.applicationID], count > 0 else { continue }
            assigned[claim.applicationID] = Array(free.prefix(count))
            free.removeFirst(count)
        }
        // The waiting list in the order a freed booth is offered (the share permitting): class
        // first, then the applicant holding fewest booths, then the lottery.
        let waitlist = ordered.enumerated().compactMap { position, claim -> (claim: BoothClaim, holds: Int, position: Int, left: Int)? in
            let holds = perApplicant[claim.applicant, default: 0]
            let left = min(wanted[claim.applicationID]!, fair.maxBoothsPerApplicant - holds)
            return left > 0 ? (claim, holds, position, left) : nil
        }.sorted { a, b in
            if a.claim.priority != b.claim.priority { return a.claim.priority > b.claim.priority }
            return a.holds != b.holds ? a.holds < b.holds : a.position < b.position
        }.map { ($0.claim.applicationID, $0.left) }
        let heldForPoverty = waitlist.isEmpty ? 0 : free.count
        return BoothAllocation(assigned: assigned, waitlist: waitlist, heldForPoverty: heldForPoverty, freeBooths: free)
    }

    /// A fixed pseudo-random rank of an application within a fair (FNV-1a), so that the order
    /// among equals depends neither on arrival nor on the applicant's choice of id prefix.
    static func lottery(_ fairID: String, _ applicationID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(fairID)/\(applicationID)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        // Finalise so that ids differing in the last character spread over the whole range.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
