import Foundation

/// A supplier's application for one of its products, with the evidence a county reviewer
/// asks for (seed 003 §五(一)).
public struct CertificationApplication: Sendable, Equatable {
    public var id: String?
    public var productID: String
    public var productionBase: String
    public var linkedHouseholds: Int
    public var foodSafetyDocs: [String]

    public init(id: String? = nil, productID: String, productionBase: String, linkedHouseholds: Int, foodSafetyDocs: [String]) {
        self.id = id
        self.productID = productID
        self.productionBase = productionBase
        self.linkedHouseholds = linkedHouseholds
        self.foodSafetyDocs = foodSafetyDocs
    }

    public static func parse(_ r: inout FieldReader) -> CertificationApplication? {
        let id = r.identifier("id")
        let product = r.identifier("product_id", required: true)
        let base = r.string("production_base", required: true, maxLength: 200)
        // At most every household of a large county; the figure is the applicant's own.
        let households = r.int("linked_households", required: true, in: 0...1_000_000)
        let documents = r.list("food_safety_docs", maxCount: 20, expected: "a document number of 1 to 64 characters without control characters") {
            text in
            !text.isEmpty && text.count <= 64 && !text.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) } ? text : nil
        }
        r.rejectUnknownFields()
        guard let product, let base, let households, !r.hasErrors else { return nil }
        return CertificationApplication(
            id: id,
            productID: product,
            productionBase: base,
            linkedHouseholds: households,
            foodSafetyDocs: documents ?? []
        )
    }
}

/// What an authority decides when it approves an application for notice, or lists a product
/// from an official list: the certificate and its validity.
public struct CertificationDecision: Sendable, Equatable {
    public var certificateNo: String
    public var authorityCode: String?
    public var authorityName: String
    public var level: CertificationLevel
    public var validFrom: CalendarDate?
    public var validUntil: CalendarDate

    public static let fields = ["certificate_no", "authority_code", "authority_name", "level", "valid_from", "valid_until"]

    public init(
        certificateNo: String,
        authorityCode: String?,
        authorityName: String,
        level: CertificationLevel,
        validFrom: CalendarDate? = nil,
        validUntil: CalendarDate
    ) {
        self.certificateNo = certificateNo
        self.authorityCode = authorityCode
        self.authorityName = authorityName
        self.level = level
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Reads the decision's fields; `today` refuses a validity that has already ended.
    public static func parse(_ r: inout FieldReader, today: CalendarDate) -> CertificationDecision? {
        let number = r.string("certificate_no", required: true, maxLength: 64)
        let level = r.oneOf("level", required: true, CertificationLevel.self)
        let code = r.divisionCode("authority_code", required: level != nil && level != .national, level: .any)
        let name = r.string("authority_name", required: true, maxLength: 128)
        let from = r.date("valid_from")
        let until = r.date("valid_until", required: true)
        if let level, let code {
            if level == .national {
                r.fail("authority_code", "a national authority has no region code; leave it out")
            } else if let problem = level.problem(withAuthorityCode: code) {
                r.fail("authority_code", problem)
            }
        }
        if let from, let until, from > until { r.fail("valid_from", "must not be after valid_until (\(until))") }
        if let until, until < today { r.fail("valid_until", "has already passed (\(until) is before today, \(today))") }
        guard let number, let level, let name, let until, !r.hasErrors else { return nil }
        return CertificationDecision(
            certificateNo: number,
            authorityCode: level == .national ? nil : code,
            authorityName: name,
            level: level,
            validFrom: from,
            validUntil: until
        )
    }

    /// Why this authority cannot certify a product of `county`: its region must contain it.
    public func problem(forCounty county: String) -> String? {
        guard let authorityCode, !DivisionCode.region(authorityCode, contains: county) else { return nil }
        return "authority \(authorityCode) does not cover the product's county \(county)"
    }
}

/// One row of an official list (the published 扶贫产品目录 of an authority).
public struct OfficialListRow: Sendable, Equatable {
    public var row: Int
    public var productID: String
    public var decision: CertificationDecision

    public static let columns = ["product_id"] + CertificationDecision.fields

    public static func parse(_ r: inout FieldReader, row: Int, today: CalendarDate) -> OfficialListRow? {
        let product = r.identifier("product_id", required: true)
        let decision = CertificationDecision.parse(&r, today: today)
        r.rejectUnknownFields()
        guard let product, let decision, !r.hasErrors else { return nil }
        return OfficialListRow(row: row, productID: product, decision: decision)
    }
}
