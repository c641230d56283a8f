import ChanxiaoCore
import Testing

/// The access table, written out as the specification: for each principal and resource, the
/// access for read, create, update and delete, in that order.
///   A = .all, O = .owned(the principal's own buyer or supplier), D = .denied
@Suite("AccessPolicy")
struct AccessPolicyTests {
    enum Expected: Sendable {
        case A, O, D
    }

    static let admin = Principal(tokenID: "tok_admin", role: .admin)
    static let organizer = Principal(tokenID: "tok_org", role: .organizer)
    static let buyer = Principal(tokenID: "tok_buy", role: .buyer, buyerID: "buy_1")
    static let supplier = Principal(tokenID: "tok_sup", role: .supplier, supplierID: "sup_1")
    /// What a calendar app subscribes with: it reads the calendar feeds and nothing else.
    static let calendar = Principal(tokenID: "tok_cal", role: .calendar)
    /// A certifying authority's reviewer: certifications and the catalog it reviews, nothing else.
    static let reviewer = Principal(tokenID: "tok_rev", role: .reviewer, regions: ["450000"])
    static let unboundBuyer = Principal(tokenID: "tok_buy0", role: .buyer)
    static let unboundSupplier = Principal(tokenID: "tok_sup0", role: .supplier)
    /// A buyer token carrying only a supplier id is as unbound as one carrying nothing.
    static let crossedBuyer = Principal(tokenID: "tok_buy2", role: .buyer, supplierID: "sup_1")
    static let crossedSupplier = Principal(tokenID: "tok_sup2", role: .supplier, buyerID: "buy_1")

    static let resourceNames: [(String, Resource)] =
        CatalogKind.allCases.map { ("catalog(\($0.rawValue))", Resource.catalog($0)) }
        + CatalogKind.allCases.map { ("bulk(\($0.rawValue))", Resource.bulk($0)) }
        + [
            ("reference", .reference), ("audit", .audit), ("match_run", .matchRun), ("match", .match),
            ("rotation", .rotation), ("livestream", .livestream), ("fair_application", .fairApplication), ("booth", .booth),
            ("calendar", .calendar), ("report", .report), ("daemon", .daemon), ("certification", .certification),
            ("certification_objection", .certificationObjection), ("demand_summary", .demandSummary),
            ("complaint", .complaint),
        ]

    //                                     read create update delete
    static let specification: [(principal: Principal, resource: String, access: [Expected])] =
        [
            // Admin: everything.
            (admin, "catalog(county)", [.A, .A, .A, .A]),
            (admin, "catalog(supplier)", [.A, .A, .A, .A]),
            (admin, "catalog(product)", [.A, .A, .A, .A]),
            (admin, "catalog(buyer)", [.A, .A, .A, .A]),
            (admin, "catalog(demand)", [.A, .A, .A, .A]),
            (admin, "bulk(county)", [.A, .A, .A, .A]),
            (admin, "bulk(supplier)", [.A, .A, .A, .A]),
            (admin, "bulk(product)", [.A, .A, .A, .A]),
            (admin, "bulk(buyer)", [.A, .A, .A, .A]),
            (admin, "bulk(demand)", [.A, .A, .A, .A]),
            (admin, "reference", [.A, .A, .A, .A]),
            (admin, "audit", [.A, .A, .A, .A]),
            (admin, "daemon", [.A, .A, .A, .A]),
            (admin, "match_run", [.A, .A, .A, .A]),
            (admin, "match", [.A, .A, .A, .A]),
            // Admin: schedules too.
            (admin, "catalog(venue)", [.A, .A, .A, .A]),
            (admin, "catalog(host)", [.A, .A, .A, .A]),
            (admin, "catalog(fair)", [.A, .A, .A, .A]),
            (admin, "bulk(venue)", [.A, .A, .A, .A]),
            (admin, "bulk(host)", [.A, .A, .A, .A]),
            (admin, "bulk(fair)", [.A, .A, .A, .A]),
            // Admin: sales, outlets, events and reports.
            (admin, "catalog(sale)", [.A, .A, .A, .A]),
            (admin, "catalog(outlet)", [.A, .A, .A, .A]),
            (admin, "catalog(event)", [.A, .A, .A, .A]),
            (admin, "bulk(sale)", [.A, .A, .A, .A]),
            (admin, "bulk(outlet)", [.A, .A, .A, .A]),
            (admin, "bulk(event)", [.A, .A, .A, .A]),
            (admin, "report", [.A, .A, .A, .A]),
            (admin, "rotation", [.A, .A, .A, .A]),
            (admin, "livestream", [.A, .A, .A, .A]),
            (admin, "fair_application", [.A, .A, .A, .A]),
            (admin, "booth", [.A, .A, .A, .A]),
            (admin, "calendar", [.A, .A, .A, .A]),
            // Organizer: reads the catalog and reference lists, exports; never writes; no audit log.
            (organizer, "catalog(county)", [.A, .D, .D, .D]),
            (organizer, "catalog(supplier)", [.A, .D, .D, .D]),
            (organizer, "catalog(product)", [.A, .D, .D, .D]),
            (organizer, "catalog(buyer)", [.A, .D, .D, .D]),
            (organizer, "catalog(demand)", [.A, .D, .D, .D]),
            (organizer, "bulk(county)", [.A, .D, .D, .D]),
            (organizer, "bulk(supplier)", [.A, .D, .D, .D]),
            (organizer, "bulk(product)", [.A, .D, .D, .D]),
            (organizer, "bulk(buyer)", [.A, .D, .D, .D]),
            (organizer, "bulk(demand)", [.A, .D, .D, .D]),
            (organizer, "reference", [.A, .D, .D, .D]),
            (organizer, "audit", [.D, .D, .D, .D]),
            (organizer, "daemon", [.D, .D, .D, .D]),
            // Organizer: starts and reads match runs, reads matches, decides none.
            (organizer, "match_run", [.A, .A, .D, .D]),
            (organizer, "match", [.A, .D, .D, .D]),
            // Organizer: plans schedules and keeps the venues, hosts and fairs it plans with.
            (organizer, "catalog(venue)", [.A, .A, .A, .A]),
            (organizer, "catalog(host)", [.A, .A, .A, .A]),
            (organizer, "catalog(fair)", [.A, .A, .A, .A]),
            (organizer, "bulk(venue)", [.A, .A, .A, .A]),
            (organizer, "bulk(host)", [.A, .A, .A, .A]),
            (organizer, "bulk(fair)", [.A, .A, .A, .A]),
            // Organizer: sales, outlets, events and reports.
            (organizer, "catalog(sale)", [.A, .A, .A, .A]),
            (organizer, "catalog(outlet)", [.A, .A, .A, .A]),
            (organizer, "catalog(event)", [.A, .A, .A, .A]),
            (organizer, "bulk(sale)", [.A, .A, .A, .A]),
            (organizer, "bulk(outlet)", [.A, .A, .A, .A]),
            (organizer, "bulk(event)", [.A, .A, .A, .A]),
            (organizer, "report", [.A, .A, .A, .A]),
            (organizer, "rotation", [.A, .A, .A, .A]),
            (organizer, "livestream", [.A, .A, .A, .A]),
            (organizer, "fair_application", [.A, .A, .A, .A]),
            (organizer, "booth", [.A, .A, .A, .A]),
            (organizer, "calendar", [.A, .D, .D, .D]),
            // Buyer: reference lists and counties; its own buyer record read-only; its own demands fully.
            (buyer, "catalog(county)", [.A, .D, .D, .D]),
            (buyer, "catalog(supplier)", [.D, .D, .D, .D]),
            (buyer, "catalog(product)", [.D, .D, .D, .D]),
            (buyer, "catalog(buyer)", [.O, .D, .D, .D]),
            (buyer, "catalog(demand)", [.O, .O, .O, .O]),
            (buyer, "bulk(county)", [.D, .D, .D, .D]),
            (buyer, "bulk(supplier)", [.D, .D, .D, .D]),
            (buyer, "bulk(product)", [.D, .D, .D, .D]),
            (buyer, "bulk(buyer)", [.D, .D, .D, .D]),
            (buyer, "bulk(demand)", [.D, .D, .D, .D]),
            (buyer, "reference", [.A, .D, .D, .D]),
            (buyer, "audit", [.D, .D, .D, .D]),
            (buyer, "daemon", [.D, .D, .D, .D]),
            // Buyer: its own matches, which it accepts or declines (update); no runs.
            (buyer, "match_run", [.D, .D, .D, .D]),
            (buyer, "match", [.O, .D, .O, .D]),
            // Buyer: reads venues, fairs, published schedules and calendars; hosts are for planners.
            (buyer, "catalog(venue)", [.A, .D, .D, .D]),
            (buyer, "catalog(host)", [.D, .D, .D, .D]),
            (buyer, "catalog(fair)", [.A, .D, .D, .D]),
            (buyer, "bulk(venue)", [.D, .D, .D, .D]),
            (buyer, "bulk(host)", [.D, .D, .D, .D]),
            (buyer, "bulk(fair)", [.D, .D, .D, .D]),
            // Buyer: sales, outlets, events and reports.
            (buyer, "catalog(sale)", [.O, .O, .O, .O]),
            (buyer, "catalog(outlet)", [.O, .D, .D, .D]),
            (buyer, "catalog(event)", [.A, .D, .D, .D]),
            (buyer, "bulk(sale)", [.D, .D, .D, .D]),
            (buyer, "bulk(outlet)", [.D, .D, .D, .D]),
            (buyer, "bulk(event)", [.D, .D, .D, .D]),
            (buyer, "report", [.O, .D, .D, .D]),
            (buyer, "rotation", [.A, .D, .D, .D]),
            (buyer, "livestream", [.A, .D, .D, .D]),
            (buyer, "fair_application", [.D, .D, .D, .D]),
            (buyer, "booth", [.A, .D, .D, .D]),
            (buyer, "calendar", [.A, .D, .D, .D]),
            // Supplier: reference lists and counties; its own supplier record read-only; its own products fully.
            (supplier, "catalog(county)", [.A, .D, .D, .D]),
            (supplier, "catalog(supplier)", [.O, .D, .D, .D]),
            (supplier, "catalog(product)", [.O, .O, .O, .O]),
            (supplier, "catalog(buyer)", [.D, .D, .D, .D]),
            (supplier, "catalog(demand)", [.D, .D, .D, .D]),
            (supplier, "bulk(county)", [.D, .D, .D, .D]),
            (supplier, "bulk(supplier)", [.D, .D, .D, .D]),
            (supplier, "bulk(product)", [.D, .D, .D, .D]),
            (supplier, "bulk(buyer)", [.D, .D, .D, .D]),
            (supplier, "bulk(demand)", [.D, .D, .D, .D]),
            (supplier, "reference", [.A, .D, .D, .D]),
            (supplier, "audit", [.D, .D, .D, .D]),
            (supplier, "daemon", [.D, .D, .D, .D]),
            // Supplier: reads the matches of its products.
            (supplier, "match_run", [.D, .D, .D, .D]),
            (supplier, "match", [.O, .D, .D, .D]),
            // Supplier: as a buyer, and applies for fair booths for itself.
            (supplier, "catalog(venue)", [.A, .D, .D, .D]),
            (supplier, "catalog(host)", [.D, .D, .D, .D]),
            (supplier, "catalog(fair)", [.A, .D, .D, .D]),
            (supplier, "bulk(venue)", [.D, .D, .D, .D]),
            (supplier, "bulk(host)", [.D, .D, .D, .D]),
            (supplier, "bulk(fair)", [.D, .D, .D, .D]),
            // Supplier: sales, outlets, events and reports.
            (supplier, "catalog(sale)", [.D, .D, .D, .D]),
            (supplier, "catalog(outlet)", [.D, .D, .D, .D]),
            (supplier, "catalog(event)", [.A, .D, .D, .D]),
            (supplier, "bulk(sale)", [.D, .D, .D, .D]),
            (supplier, "bulk(outlet)", [.D, .D, .D, .D]),
            (supplier, "bulk(event)", [.D, .D, .D, .D]),
            (supplier, "report", [.D, .D, .D, .D]),
            (supplier, "rotation", [.A, .D, .D, .D]),
            (supplier, "livestream", [.A, .D, .D, .D]),
            (supplier, "fair_application", [.O, .O, .D, .D]),
            (supplier, "booth", [.A, .D, .D, .D]),
            (supplier, "calendar", [.A, .D, .D, .D]),
            // Certification: suppliers apply for their own products; anyone with a token objects;
            // reviewers and admins decide; organizers read, and certify nothing.
            (admin, "certification", [.A, .A, .A, .A]),
            (admin, "certification_objection", [.A, .A, .A, .A]),
            (organizer, "certification", [.A, .D, .D, .D]),
            (organizer, "certification_objection", [.D, .A, .D, .D]),
            (buyer, "certification", [.D, .D, .D, .D]),
            (buyer, "certification_objection", [.D, .A, .D, .D]),
            (supplier, "certification", [.O, .O, .D, .D]),
            (supplier, "certification_objection", [.D, .A, .D, .D]),
            // Demand in aggregate: suppliers plan with it, staff read it; buyers do not read others' demand.
            (admin, "demand_summary", [.A, .A, .A, .A]),
            (organizer, "demand_summary", [.A, .D, .D, .D]),
            (buyer, "demand_summary", [.D, .D, .D, .D]),
            (supplier, "demand_summary", [.A, .D, .D, .D]),
            // Complaints: every token files and reads (the store scopes the reading to what it
            // filed, a reviewer's regions, or all for admins); admins and reviewers decide.
            (admin, "complaint", [.A, .A, .A, .A]),
            (organizer, "complaint", [.A, .A, .D, .D]),
            (buyer, "complaint", [.A, .A, .D, .D]),
            (supplier, "complaint", [.A, .A, .D, .D]),
        ] + reviewerRows

    /// The reviewer: certifications and objections wholly (its regions are checked by the
    /// store), reads the counties, suppliers and products it reviews and the reference lists.
    static let reviewerRows: [(principal: Principal, resource: String, access: [Expected])] = resourceNames.map { name, _ in
        switch name {
        case "certification": (reviewer, name, [.A, .D, .A, .D])
        case "certification_objection": (reviewer, name, [.A, .A, .A, .A])
        case "complaint": (reviewer, name, [.A, .A, .A, .D])
        case "reference", "catalog(county)", "catalog(supplier)", "catalog(product)": (reviewer, name, [.A, .D, .D, .D])
        default: (reviewer, name, [.D, .D, .D, .D])
        }
    }
    // Bound roles without their id: denied everything (checked below over every resource).

    struct Case: Sendable, CustomTestStringConvertible {
        var principal: Principal
        var operation: Operation
        var resource: Resource
        var expected: Access
        var testDescription: String { "\(principal.tokenID) \(operation.rawValue) \(resource) → \(expected)" }
    }

    static var cases: [Case] {
        let resources = Dictionary(uniqueKeysWithValues: resourceNames)
        var cases: [Case] = []
        for row in specification {
            for (operation, expected) in zip(Operation.allCases, row.access) {
                let access: Access =
                    switch expected {
                    case .A: .all
                    case .O: .owned(row.principal.ownership!)
                    case .D: .denied
                    }
                cases.append(Case(principal: row.principal, operation: operation, resource: resources[row.resource]!, expected: access))
            }
        }
        for (name, resource) in resourceNames {
            for operation in Operation.allCases {
                let allowed = name == "calendar" && operation == .read
                cases.append(Case(principal: calendar, operation: operation, resource: resource, expected: allowed ? .all : .denied))
            }
        }
        for principal in [unboundBuyer, unboundSupplier, crossedBuyer, crossedSupplier] {
            for (_, resource) in resourceNames {
                for operation in Operation.allCases {
                    cases.append(Case(principal: principal, operation: operation, resource: resource, expected: .denied))
                }
            }
        }
        return cases
    }

    @Test("every role × operation × resource", arguments: cases)
    func access(_ test: Case) {
        #expect(AccessPolicy.access(test.principal, test.operation, test.resource) == test.expected)
    }

    @Test("the specification covers every role, operation and resource exactly once")
    func specificationIsComplete() {
        #expect(Operation.allCases == [.read, .create, .update, .delete])
        #expect(Role.allCases == [.admin, .organizer, .buyer, .supplier, .reviewer, .calendar])
        #expect(Self.resourceNames.count == 37)
        for principal in [Self.admin, Self.organizer, Self.buyer, Self.supplier, Self.reviewer] {
            let rows = Self.specification.filter { $0.principal == principal }
            #expect(rows.map(\.resource).sorted() == Self.resourceNames.map(\.0).sorted(), "\(principal.role)")
            #expect(rows.allSatisfy { $0.access.count == Operation.allCases.count })
        }
        #expect(Self.cases.count == 37 * 4 * 10)
    }

    @Test("owned access names the principal's own buyer or supplier")
    func ownership() {
        #expect(Self.buyer.ownership == .buyer("buy_1"))
        #expect(Self.supplier.ownership == .supplier("sup_1"))
        #expect(Self.admin.ownership == nil)
        #expect(Self.organizer.ownership == nil)
        #expect(Self.calendar.ownership == nil)
        #expect(Principal(tokenID: "t", role: .admin, buyerID: "buy_1", supplierID: "sup_1").ownership == nil)
        #expect(Self.unboundBuyer.ownership == nil)
        #expect(Self.crossedBuyer.ownership == nil)
        #expect(Self.crossedSupplier.ownership == nil)
        #expect(AccessPolicy.access(Principal(tokenID: "t", role: .buyer, buyerID: "buy_9"), .update, .catalog(.demand)) == .owned(.buyer("buy_9")))
        #expect(
            AccessPolicy.access(Principal(tokenID: "t", role: .supplier, supplierID: "sup_9"), .delete, .catalog(.product))
                == .owned(.supplier("sup_9"))
        )
        // An admin token bound to a buyer still sees everything.
        #expect(AccessPolicy.access(Principal(tokenID: "t", role: .admin, buyerID: "buy_1"), .read, .catalog(.demand)) == .all)
    }

    @Test("owned resources are the ones whose owner matches")
    func entityOwners() {
        let demand = Demand(id: "d", buyerID: "buy_1", category: .tea, unit: .kg, weeklyVolume: 1, maxUnitPriceFen: 1, startsOn: day("2020-09-01"))
        let product = Product(id: "p", supplierID: "sup_1", name: "n", category: .tea, unit: .kg, unitPriceFen: 1, weeklyCapacity: 1)
        #expect(AccessPolicy.access(Self.buyer, .read, .catalog(.demand)) == .owned(demand.owner))
        #expect(AccessPolicy.access(Self.supplier, .update, .catalog(.product)) == .owned(product.owner))
        #expect(
            AccessPolicy.access(Self.buyer, .read, .catalog(.buyer))
                == .owned(Buyer(id: "buy_1", name: "b", kind: .canteen, regionCode: "440304").owner)
        )
        #expect(
            AccessPolicy.access(Self.supplier, .read, .catalog(.supplier))
                == .owned(Supplier(id: "sup_1", name: "s", countyCode: "341125", kind: .enterprise).owner)
        )
    }
}
