import ChanxiaoCore
import ChanxiaoStore
import Testing

/// A product's spans are stored as JSON and read back, by a quick reader where they are plain
/// and by the decoder otherwise; either way a product reads as it was certified.
@Suite struct CertifiedSpanStorageTests {
    @Test(
        "spans survive storage whatever their certificate numbers hold",
        arguments: [
            [("FP4510260001", nil, "2030-12-31")],
            [("FP-1", "2020-01-01", "2020-12-31"), ("FP-2", "2021-01-01", "2030-12-31")],
            [("字号〔2020〕39号", nil, "2030-12-31")],
            [("a\"quote", "2020-02-29", "2030-12-31")],
            [("back\\slash/and/slash", nil, "9999-12-31")],
            [("{\"}:,[]", nil, "2030-12-31")],
        ] as [[(String, String?, String)]]
    )
    func roundTrip(_ spans: [(String, String?, String)]) async throws {
        let database = try await Fixtures.database()
        var product = Fixtures.shrimp
        product.id = "prd-spans"
        product.certifiedSpans = spans.map { CertifiedSpan(certificateNo: $0.0, from: $0.1.flatMap(CalendarDate.init), through: CalendarDate($0.2)!) }
        var stored = product
        stored.certifiedSpans = []
        try await database.create(stored, context: Fixtures.context)
        try await database.seedCertifications(for: [product], context: Fixtures.context)
        let read = try #require(try await database.fetch(Product.self, id: "prd-spans"))
        #expect(Set(read.certifiedSpans) == Set(product.certifiedSpans))
    }
}
