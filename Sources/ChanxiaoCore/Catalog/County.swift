import Foundation

/// A producer county, identified by its administrative division code.
public struct County: CatalogEntity {
    public static let kind = CatalogKind.county
    public static let writableFields = ["code", "name", "province", "city", "poverty_status", "poor_population", "paired_region_codes"]

    public var code: String
    public var name: String
    public var province: String
    public var city: String?
    public var povertyStatus: PovertyStatus
    /// Registered poor population covered (建档立卡贫困人口).
    public var poorPopulation: Int
    /// Eastern cities or districts that assist this county (对口帮扶 / 东西部协作).
    public var pairedRegionCodes: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        code: String,
        name: String,
        province: String? = nil,
        city: String? = nil,
        povertyStatus: PovertyStatus,
        poorPopulation: Int = 0,
        pairedRegionCodes: [String] = [],
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.code = code
        self.name = name
        self.province = province ?? DivisionCode.province(of: code) ?? ""
        self.city = city
        self.povertyStatus = povertyStatus
        self.poorPopulation = poorPopulation
        self.pairedRegionCodes = pairedRegionCodes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var id: String { code }
    public var owner: Owner { .none }

    /// Whether the county is paired with a buyer in `region` (either contains the other:
    /// a county paired with 440300 深圳市 is paired with a buyer in 440304 福田区, and the reverse).
    public func isPaired(withBuyerRegion region: String) -> Bool {
        pairedRegionCodes.contains { DivisionCode.region($0, contains: region) || DivisionCode.region(region, contains: $0) }
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("code", .string(code)), ("name", .string(name)), ("province", .string(province)), ("city", JSONValue(city)),
            ("poverty_status", .string(povertyStatus.rawValue)), ("poor_population", JSONValue(poorPopulation)),
            ("paired_region_codes", .array(pairedRegionCodes.map(JSONValue.string))),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> County? {
        let code = r.divisionCode("code", required: true, level: .county)
        let name = r.string("name", required: true, maxLength: 64)
        let province = r.string("province", maxLength: 64)
        let city = r.string("city", maxLength: 64)
        let status = r.oneOf("poverty_status", required: true, PovertyStatus.self)
        let population = r.int("poor_population", in: 0...100_000_000) ?? 0
        let paired = r.divisionCodeList("paired_region_codes", level: .any)
        if let code, let paired, paired.contains(code) {
            r.fail("paired_region_codes", "a county cannot be paired with itself")
        }
        guard let code, let name, let status, let paired, !r.hasErrors else { return nil }
        return County(
            code: code,
            name: name,
            province: province,
            city: city,
            povertyStatus: status,
            poorPopulation: population,
            pairedRegionCodes: paired.uniqued(),
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
