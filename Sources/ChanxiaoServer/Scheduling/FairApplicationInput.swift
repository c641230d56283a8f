import ChanxiaoCore

/// The body of `POST /v1/fairs/{id}/applications`: a county or a supplier asking for booths.
struct FairApplicationInput {
    var id: String?
    var applicantKind: ApplicantKind
    /// For a county's application; a supplier's county comes from the supplier.
    var countyCode: String?
    var supplierID: String?
    var productIDs: [String]
    var boothsRequested: Int

    static func parse(_ body: [String: JSONValue]) throws -> FairApplicationInput {
        var r = FieldReader(json: body)
        let id = r.identifier("id")
        let kind = r.oneOf("applicant_kind", required: true, ApplicantKind.self)
        let county = kind == .county ? r.divisionCode("county_code", required: true, level: .county) : nil
        let supplier = kind == .supplier ? r.identifier("supplier_id", required: true) : nil
        let products = r.list("product_ids", maxCount: 50, expected: "a product id") { Identifier.problem(with: $0) == nil ? $0 : nil }
        let booths = r.int("booths_requested", required: true, in: 1...10_000)
        r.rejectUnknownFields()
        if let products, products.isEmpty { r.fail("product_ids", "must name at least one product to exhibit") }
        guard let kind, let products, let booths, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return FairApplicationInput(
            id: id,
            applicantKind: kind,
            countyCode: county,
            supplierID: supplier,
            productIDs: products,
            boothsRequested: booths
        )
    }
}
