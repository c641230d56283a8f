import ChanxiaoCore
import ChanxiaoDemo
import Foundation

@testable import ChanxiaoScheduling

/// A fair and its claims drawn at random; the booths already held respect the cap and the share.
struct BoothInstance {
    var fair: Fair
    var claims: [BoothClaim]

    static let shares = [0.0, 0.2, 0.25, 0.3, 1.0 / 3, 0.5, 0.6, 0.75, 1.0]

    static func make(seed: UInt64) -> BoothInstance {
        var random = SplitMix64(seed: seed &* 0xD1B5_4A32_D192_ED03 &+ 7)
        let fair = SF.fair(booths: random.int(1...30), share: random.pick(shares), perApplicant: random.int(1...4), id: "fair-\(seed % 7)")
        let applicants = (0..<random.int(1...6)).map { $0 % 2 == 0 ? "county:52260\($0)" : "supplier:s\($0)" }
        var free = Array(1...fair.boothCount).shuffled(using: &random)
        var perApplicant: [String: Int] = [:]
        var poverty = 0
        var total = 0
        var claims: [BoothClaim] = []
        for n in 0..<random.int(0...10) {
            let applicant = random.pick(applicants)
            let isPoverty = random.chance(1, in: 2)
            let requested = random.int(1...5)
            var held: [Int] = []
            if random.chance(1, in: 4) {
                for _ in 0..<random.int(1...requested) {
                    guard let booth = free.last, perApplicant[applicant, default: 0] < fair.maxBoothsPerApplicant else { break }
                    if !isPoverty && Double(poverty) < fair.minPovertyShare * Double(total + 1) - 1e-9 { break }
                    free.removeLast()
                    held.append(booth)
                    perApplicant[applicant, default: 0] += 1
                    total += 1
                    if isPoverty { poverty += 1 }
                }
            }
            // Ids that do not sort as they were made.
            let id = "app-\(String(random.next() % 100_000, radix: 36))-\(n)"
            claims.append(
                BoothClaim(
                    applicationID: id,
                    applicant: applicant,
                    requested: requested,
                    poverty: isPoverty,
                    priority: random.pick([0, 0, 0, 1, 1, 3]),
                    held: held
                )
            )
        }
        return BoothInstance(fair: fair, claims: claims)
    }
}
