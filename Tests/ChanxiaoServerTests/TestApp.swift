import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A clock the test moves by hand.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    func now() -> Date { lock.withLock { date } }
    func advance(hours: Double) { lock.withLock { date = date.addingTimeInterval(hours * 3600) } }
}

/// The callers of the role matrix.
enum Caller: String, CaseIterable, Sendable {
    case none, admin, organizer, buyerA, buyerB, supplierA, supplierB, calendar
    /// A reviewer of Guangxi (450000): it governs 451026 (prd-a) but not 341125 (prd-b).
    case reviewer
}

/// An application on a fresh in-memory database with a small catalog and a token per caller.
/// Sendable so that read-only tests may share one: the router and dependencies serve
/// concurrent requests in the daemon too.
struct TestApp: @unchecked Sendable {
    static let now = Timestamp.date(from: "2020-09-01T02:00:00.000Z")!

    let database: AppDatabase
    let config: ConfigStore
    let clock: TestClock
    let dependencies: AppDependencies
    let tokens: [Caller: String]
    /// The week of the seeded match run (2020-W36, the week of TestApp.now) and its ids.
    static let week = IsoWeek(year: 2020, week: 36)!
    let runID: String
    /// The seeded run's one proposal: 300 kg of prd-a (supplier A) for dem-a (buyer A).
    let matchID: String
    /// The `match.proposed` message of that proposal, sent to the staff endpoint `whe-staff`,
    /// buyer A's `whe-buy-a` and supplier A's `whe-sup-a` (see `seedWebhookEndpoints`).
    let messageID: String
    let endpoints: [Endpoint]
    let router: Router<AppRequestContext>
    /// With `certifications`: the open objection to cert-b (prd-b's application, on notice).
    let objectionID: String?
    /// With `complaints`: buyer A's open complaints about prd-a (451026, within the reviewer's
    /// regions) and about prd-b (341125, outside them).
    let complaintID: String?
    let outsideComplaintID: String?

    /// `configSource` reads the configuration again for reloads (a file the test edits).
    init(
        schedules: ScheduleFixture = .none,
        certifications: Bool = false,
        complaints: Bool = false,
        heartbeats: Heartbeats = Heartbeats(),
        configure: (inout ChanxiaoConfig) -> Void = { _ in },
        configSource: (@Sendable () throws -> ChanxiaoConfig)? = nil
    ) async throws {
        var config = ChanxiaoConfig()
        config.auth.tokenCacheSeconds = 0
        configure(&config)
        database = try AppDatabase.inMemory()
        self.config = ConfigStore(config, source: configSource)
        let context = WriteContext(actor: "cli:test", role: .admin, now: Self.now)
        let now = Self.now
        try await database.seedCatalog(
            counties: [
                County(code: "451026", name: "那坡县", city: "百色市", povertyStatus: .deep, pairedRegionCodes: ["440300"], createdAt: now, updatedAt: now),
                County(code: "341125", name: "定远县", city: "滁州市", povertyStatus: .provincial, createdAt: now, updatedAt: now),
                County(code: "450123", name: "隆安县", povertyStatus: .national, createdAt: now, updatedAt: now),
            ],
            suppliers: [
                Supplier(id: "sup-a", name: "那坡合作社", countyCode: "451026", kind: .cooperative, createdAt: now, updatedAt: now),
                Supplier(id: "sup-b", name: "定远农场", countyCode: "341125", kind: .familyFarm, createdAt: now, updatedAt: now),
                Supplier(id: "sup-empty", name: "无产品公司", countyCode: "341125", kind: .enterprise, createdAt: now, updatedAt: now),
            ],
            products: [
                Product(
                    id: "prd-a",
                    supplierID: "sup-a",
                    name: "那坡大米",
                    category: .grainOil,
                    unit: .kg,
                    unitPriceFen: 800,
                    weeklyCapacity: 5000,
                    certificateNo: "FP1",
                    certifiedUntil: CalendarDate("2030-12-31"),
                    createdAt: now,
                    updatedAt: now
                ),
                Product(
                    id: "prd-b",
                    supplierID: "sup-b",
                    name: "定远青虾",
                    category: .aquatic,
                    unit: .kg,
                    unitPriceFen: 6800,
                    weeklyCapacity: 800,
                    coldChain: true,
                    createdAt: now,
                    updatedAt: now
                ),
            ],
            buyers: [
                Buyer(id: "buy-a", name: "福田区机关食堂", kind: .canteen, regionCode: "440304", network: "shenzhen-1+10", createdAt: now, updatedAt: now),
                Buyer(id: "buy-b", name: "济源示范区总工会", kind: .union, regionCode: "419001", povertyShareTarget: 0.55, createdAt: now, updatedAt: now),
                Buyer(id: "buy-empty", name: "无需求单位", kind: .budgetUnit, regionCode: "341100", createdAt: now, updatedAt: now),
            ],
            demands: [
                Demand(
                    id: "dem-a",
                    buyerID: "buy-a",
                    category: .grainOil,
                    unit: .kg,
                    weeklyVolume: 300,
                    maxUnitPriceFen: 1000,
                    startsOn: CalendarDate("2020-09-01")!,
                    createdAt: now,
                    updatedAt: now
                ),
                Demand(
                    id: "dem-b",
                    buyerID: "buy-b",
                    category: .aquatic,
                    unit: .kg,
                    weeklyVolume: 50,
                    maxUnitPriceFen: 7000,
                    startsOn: CalendarDate("2020-09-01")!,
                    endsOn: CalendarDate("2020-09-30"),
                    coldChain: true,
                    createdAt: now,
                    updatedAt: now
                ),
            ],
            sales: [
                Sale(
                    id: "sal-a",
                    buyerID: "buy-a",
                    productID: "prd-a",
                    category: .grainOil,
                    unit: .kg,
                    volume: 100,
                    amountFen: 80_000,
                    soldOn: CalendarDate("2020-08-31")!,
                    channel: .canteen,
                    createdAt: now,
                    updatedAt: now
                )
            ],
            outlets: [
                Outlet(
                    id: "out-a",
                    name: "福田区消费扶贫专柜",
                    kind: .counter,
                    countyCode: "451026",
                    buyerID: "buy-a",
                    openedOn: CalendarDate("2020-08-01")!,
                    createdAt: now,
                    updatedAt: now
                )
            ],
            events: [
                SalesEvent(
                    id: "evt-a",
                    name: "那坡县产销对接签约仪式",
                    kind: .signing,
                    heldOn: CalendarDate("2020-08-20")!,
                    countyCodes: ["451026"],
                    createdAt: now,
                    updatedAt: now
                )
            ],
            marker: "test",
            context: context
        )

        var tokens: [Caller: String] = [:]
        tokens[.admin] = try await database.createToken(role: .admin, context: context).secret
        tokens[.organizer] = try await database.createToken(role: .organizer, context: context).secret
        let buyerA = try await database.createToken(role: .buyer, buyerID: "buy-a", context: context)
        tokens[.buyerA] = buyerA.secret
        tokens[.buyerB] = try await database.createToken(role: .buyer, buyerID: "buy-b", context: context).secret
        tokens[.supplierA] = try await database.createToken(role: .supplier, supplierID: "sup-a", context: context).secret
        tokens[.supplierB] = try await database.createToken(role: .supplier, supplierID: "sup-b", context: context).secret
        tokens[.calendar] = try await database.createToken(role: .calendar, label: "calendar app", context: context).secret
        tokens[.reviewer] = try await database.createToken(role: .reviewer, regions: ["450000"], label: "广西审核", context: context).secret
        self.tokens = tokens
        objectionID = certifications ? try await Self.seedCertifications(database, context: context) : nil
        let seeded = complaints ? try await Self.seedComplaints(database, filer: buyerA.token.id) : nil
        (complaintID, outsideComplaintID) = (seeded?.inside, seeded?.outside)

        try await Self.seedWebhookEndpoints(database, context: context)
        clock = TestClock(Self.now)
        dependencies = AppDependencies(database: database, config: self.config, clock: clock, heartbeats: heartbeats)
        (router, endpoints) = buildRouter(dependencies: dependencies)
        let outcome = try await MatchRunner(database: database, config: self.config, clock: clock)
            .run(week: Self.week, dryRun: false, trigger: "cli", actor: "cli:test", role: .admin)
        runID = outcome.run.id
        guard outcome.matches.count == 1 else { throw TestAppError.unexpectedSeed("\(outcome.matches.count) matches") }
        matchID = outcome.matches[0].id
        var messages = WebhookMessageQuery()
        messages.type = .matchProposed
        guard let message = try await database.webhookMessages(messages).items.first else {
            throw TestAppError.unexpectedSeed("no match.proposed message")
        }
        messageID = message.id
        if schedules != .none {
            try await ScheduleFixture.seed(database, planned: schedules == .planned, config: self.config.current, context: context)
        }
    }

    /// Endpoints of staff, buyer A and supplier A for match events, and an idle one of buyer B.
    static func seedWebhookEndpoints(_ database: AppDatabase, context: WriteContext) async throws {
        let endpoints: [(id: String, owner: Owner?)] = [
            ("whe-staff", nil), ("whe-buy-a", .buyer("buy-a")), ("whe-sup-a", .supplier("sup-a")),
            ("whe-buy-b", .buyer("buy-b")),
        ]
        for (id, owner) in endpoints {
            let endpoint = WebhookEndpoint(
                id: id,
                url: "https://hooks.example.org/\(id)",
                eventTypes: id == "whe-buy-b" ? ["rotation.*"] : ["match.*"],
                owner: owner,
                createdBy: "cli:test",
                createdAt: now,
                updatedAt: now
            )
            _ = try await database.createWebhookEndpoint(endpoint, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", context: context)
        }
    }

    /// The `Authorization` header a calendar app sends: Basic, any user name, the token as password.
    func basic(_ caller: Caller, user: String = "calendar") -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(tokens[caller] ?? "")".utf8).base64EncodedString()]
    }

    /// Sends one request through the router and returns the response. A POST without a body
    /// says `Content-Type: application/json`, as clients must; `bare` sends it without one.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as caller: Caller = .admin,
        json: String? = nil,
        body: String? = nil,
        contentType: String? = nil,
        bare: Bool = false,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token = tokens[caller] { headers[.authorization] = "Bearer \(token)" }
        var payload: ByteBuffer?
        if let json {
            headers[.contentType] = contentType ?? "application/json"
            payload = ByteBuffer(string: json)
        } else if let body {
            if let contentType { headers[.contentType] = contentType }
            payload = ByteBuffer(string: body)
        } else if method == .post, !bare {
            headers[.contentType] = contentType ?? "application/json"
        }
        let app = Application(router: router)
        let (finalHeaders, finalBody) = (headers, payload)
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: method, headers: finalHeaders, body: finalBody)
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a JSON object (or an empty one when it is not).
    var object: [String: JSONValue] {
        (try? JSONValue.parseObject(Data(buffer: body))) ?? [:]
    }

    var items: [[String: JSONValue]] {
        guard case .array(let values)? = object["items"] else { return [] }
        return values.compactMap(\.objectValue)
    }

    /// The `field` of each problem `errors` item.
    var errorFields: [String] {
        guard case .array(let errors)? = object["errors"] else { return [] }
        return errors.compactMap { $0.objectValue?["field"].flatMap { if case .string(let field) = $0 { field } else { nil } } }
    }

    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}

extension JSONValue {
    var int: Int64? { if case .int(let number) = self { number } else { nil } }
    var double: Double? {
        switch self {
        case .double(let number): number
        case .int(let number): Double(number)
        default: nil
        }
    }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var objects: [[String: JSONValue]] { array?.compactMap(\.objectValue) ?? [] }
}

enum TestAppError: Error {
    case unexpectedSeed(String)
}

extension TestApp {
    /// prd-b's application cert-b, approved for notice (until 2020-09-07) by the county, with
    /// one open objection, whose id is returned. prd-a keeps its seeded listing cert-seed-prd-a.
    static func seedCertifications(_ database: AppDatabase, context: WriteContext) async throws -> String {
        _ = try await database.applyForCertification(
            CertificationApplication(id: "cert-b", productID: "prd-b", productionBase: "定远县池河镇", linkedHouseholds: 120, foodSafetyDocs: ["SC1"]),
            owner: nil,
            context: context
        )
        _ = try await database.actOnCertification(id: "cert-b", action: .review, input: CertificationActInput(noticeDays: 7), context: context)
        let decision = CertificationDecision(
            certificateNo: "FP341125-B",
            authorityCode: "341125",
            authorityName: "定远县扶贫产品认定工作组",
            level: .county,
            validUntil: CalendarDate("2023-09-01")!
        )
        _ = try await database.actOnCertification(
            id: "cert-b",
            action: .approve,
            input: CertificationActInput(decision: decision, noticeDays: 7),
            context: context
        )
        return try await database.objectToCertification(id: "cert-b", reason: "产地存疑", context: context).id
    }
}

extension TestApp {
    /// Buyer A's complaints about prd-a (in the reviewer's regions) and prd-b (outside them).
    static func seedComplaints(_ database: AppDatabase, filer: String) async throws -> (inside: String, outside: String) {
        let context = WriteContext(actor: filer, role: .buyer, now: now)
        let inside = try await database.fileComplaint(
            ComplaintFiling(subjectKind: .product, subjectID: "prd-a", category: .shortWeight, description: "每袋少约半斤"),
            context: context
        )
        let outside = try await database.fileComplaint(
            ComplaintFiling(subjectKind: .product, subjectID: "prd-b", category: .quality, description: "青虾不新鲜"),
            context: context
        )
        return (inside.complaint.id, outside.complaint.id)
    }
}
