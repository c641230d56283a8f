import ChanxiaoCore
import Hummingbird

/// Reference data every role may read, and who the caller is.
struct ReferenceController: Sendable {
    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/categories", .policy(.read, .reference)) { _, _, _ in
            Respond.list(
                ProductCategory.allCases.map { category in
                    [
                        ("code", .string(category.rawValue)), ("name_zh", .string(category.chineseName)),
                        ("name_en", .string(category.englishName)),
                    ]
                },
                nextCursor: nil
            )
        }
        endpoints.on(.get, "/v1/units", .policy(.read, .reference)) { _, _, _ in
            Respond.list(
                MeasureUnit.allCases.map { unit in
                    [("code", .string(unit.rawValue)), ("name_zh", .string(unit.chineseName))]
                },
                nextCursor: nil
            )
        }
        endpoints.on(.get, "/v1/me", .anyToken) { _, _, caller in
            let principal = caller.principal
            return Respond.json([
                ("token_id", .string(principal.tokenID)), ("role", .string(principal.role.rawValue)),
                ("buyer_id", JSONValue(principal.buyerID)), ("supplier_id", JSONValue(principal.supplierID)),
                ("regions", .array(principal.regions.map(JSONValue.string))),
            ])
        }
    }
}
