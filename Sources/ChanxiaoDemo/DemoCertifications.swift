import ChanxiaoCore
import Foundation

/// The demo's certifications in every state: products without a current certificate apply,
/// and their applications are taken as far as each state, on days before the demo starts, so
/// that a reviewer's queue, a public notice with an objection, a listing and a revocation are
/// there to look at.
public enum DemoCertifications {
    /// How far one application goes.
    public enum Stage: String, Sendable, CaseIterable {
        case applied, reviewing, notice, objected, rejected, listed, revoked
    }

    public struct Plan: Sendable {
        public var stage: Stage
        public var application: CertificationApplication
        public var decision: CertificationDecision
    }

    /// One application per stage, for the first products that have no current certificate on
    /// `today` (in catalog order, so the demo is the same every time).
    public static func plans(catalog: DemoCatalog, today: CalendarDate) -> [Plan] {
        let counties = Dictionary(uniqueKeysWithValues: catalog.counties.map { ($0.code, $0) })
        let candidates = catalog.products.filter { !$0.isCertified(on: today) }
        return zip(Stage.allCases, candidates).map { stage, product in
            let county = counties[product.countyCode]
            return Plan(
                stage: stage,
                application: CertificationApplication(
                    id: "cert-demo-\(stage.rawValue)",
                    productID: product.id,
                    productionBase: "\(county?.name ?? product.countyCode)\(product.name)生产基地",
                    linkedHouseholds: 40 + product.weeklyCapacity % 200,
                    foodSafetyDocs: ["SC\(product.countyCode)\(String(format: "%04d", product.weeklyCapacity % 10_000))"]
                ),
                decision: CertificationDecision(
                    certificateNo: "FP\(product.countyCode)D\(Stage.allCases.firstIndex(of: stage)! + 1)",
                    authorityCode: product.countyCode,
                    authorityName: "\(county?.name ?? product.countyCode)扶贫产品认定工作组",
                    level: .county,
                    validUntil: today.adding(days: 3 * 365)
                )
            )
        }
    }
}
