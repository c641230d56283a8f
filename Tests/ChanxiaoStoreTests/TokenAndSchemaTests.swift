import ChanxiaoCore
import ChanxiaoStore
import Foundation
import GRDB
import Testing

@Suite struct TokenTests {
    @Test func tokensAreStoredAsHashesAndResolveToTheirPrincipal() async throws {
        let database = try await Fixtures.database()
        let (token, secret) = try await database.createToken(role: .buyer, buyerID: "buy-canteen", label: "canteen system", context: Fixtures.context)
        #expect(secret.hasPrefix("cx_"))
        #expect(secret.count == 46)
        #expect(token.principal == Principal(tokenID: token.id, role: .buyer, buyerID: "buy-canteen"))
        #expect(try await database.token(forSecret: secret) == token)
        #expect(try await database.token(forSecret: secret + "x") == nil)

        let stored = try await database.reader.read { db in try String.fetchAll(db, sql: "SELECT secret_sha256 FROM api_token") }
        #expect(stored == [TokenSecret.hash(secret)])
        #expect(!stored[0].contains(secret))
    }

    @Test(
        "configured secrets compare by digest",
        arguments: [
            ("metrics-token-0123456789", "metrics-token-0123456789", true),
            ("Metrics-token-0123456789", "metrics-token-0123456789", false),  // differs first
            ("metrics-token-012345678X", "metrics-token-0123456789", false),  // differs last
            ("metrics-token-012345678", "metrics-token-0123456789", false),  // a prefix
            ("metrics-token-01234567890", "metrics-token-0123456789", false),  // longer
            ("", "metrics-token-0123456789", false),
        ]
    )
    func configuredSecretsMatchOnlyThemselves(_ given: String, _ expected: String, _ matches: Bool) {
        #expect(TokenSecret.matches(given, expected: expected) == matches)
    }

    @Test func revokedAndExpiredTokensAreNotUsable() async throws {
        let database = try await Fixtures.database()
        let (token, _) = try await database.createToken(role: .admin, expiresAt: Fixtures.now.addingTimeInterval(60), context: Fixtures.context)
        #expect(token.isUsable(at: Fixtures.now))
        #expect(!token.isUsable(at: Fixtures.now.addingTimeInterval(60)))
        let revoked = try await database.revokeToken(id: token.id, context: Fixtures.context)
        #expect(revoked.revokedAt == Fixtures.now)
        #expect(!revoked.isUsable(at: Fixtures.now))
        // Revoking twice keeps the first time.
        let again = try await database.revokeToken(
            id: token.id,
            context: WriteContext(actor: "x", role: .admin, now: Fixtures.now.addingTimeInterval(5))
        )
        #expect(again.revokedAt == Fixtures.now)
        await #expect(throws: StoreError.notFound(kind: "token", id: "tok_none")) {
            try await database.revokeToken(id: "tok_none", context: Fixtures.context)
        }
    }

    static let invalid: [(Role, String?, String?, String)] = [
        (.buyer, nil, nil, "buyer"),
        (.supplier, nil, nil, "supplier"),
        (.admin, "buy-canteen", nil, "buyer"),
        (.organizer, nil, "sup-coop", "supplier"),
        (.buyer, "buy-nobody", nil, "buyer"),
        (.supplier, nil, "sup-nobody", "supplier"),
        (.buyer, "buy-canteen", "sup-coop", "supplier"),
    ]

    @Test(arguments: invalid.indices)
    func bindingsMustFitTheRole(_ index: Int) async throws {
        let (role, buyer, supplier, field) = Self.invalid[index]
        let database = try await Fixtures.database()
        let failure = await #expect(throws: ValidationFailure.self) {
            try await database.createToken(role: role, buyerID: buyer, supplierID: supplier, context: Fixtures.context)
        }
        #expect(failure?.errors.map(\.field) == [field])
        #expect(try await database.tokens().isEmpty)
    }

    @Test func deletingABuyerRevokesItsTokens() async throws {
        let database = try await Fixtures.database()
        let (token, _) = try await database.createToken(role: .buyer, buyerID: "buy-union", context: Fixtures.context)
        try await database.delete(Buyer.self, id: "buy-union", context: Fixtures.context)
        #expect(try await database.tokens().first { $0.id == token.id }?.revokedAt == Fixtures.now)
    }
}

@Suite struct SchemaTests {
    @Test func aFileDatabaseUsesWALAndForeignKeys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase.open(path: directory.appendingPathComponent("nested/db.sqlite").path)
        let (mode, foreignKeys) = try await database.reader.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
        #expect(try database.migrationStatus().allSatisfy(\.applied))
        #expect(await database.isResponsive())
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let queue = try DatabaseQueue()
        _ = try AppDatabase(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 from the future')")
        }
        #expect(throws: StoreError.newerSchema(["2099-01-01 from the future"])) {
            try AppDatabase(queue)
        }
    }

    @Test func theSchemaEnforcesInvariantsEvenAgainstRawSQL() async throws {
        let database = try await Fixtures.database()
        let statements = [
            "UPDATE product SET unit_price_fen = 0 WHERE id = 'prd-rice'",
            "UPDATE product SET supplier_id = 'sup-ghost' WHERE id = 'prd-rice'",
            "UPDATE demand SET ends_on = '2020-01-01' WHERE id = 'dem-rice'",
            "UPDATE supplier SET blacklisted = 1 WHERE id = 'sup-coop'",
            "DELETE FROM county WHERE code = '451026'",
        ]
        for sql in statements {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try database.writer.write { db in try db.execute(sql: sql) }
            }
        }
    }

    @Test func seedingTwiceIsANoOp() async throws {
        let database = try AppDatabase.inMemory()
        let first = try await database.seedCatalog(
            counties: [Fixtures.naPo],
            suppliers: [Fixtures.coop],
            products: [Fixtures.rice],
            buyers: [Fixtures.canteen],
            demands: [Fixtures.riceDemand],
            marker: "demo",
            context: Fixtures.context
        )
        let second = try await database.seedCatalog(
            counties: [Fixtures.naPo],
            suppliers: [Fixtures.coop],
            products: [Fixtures.rice],
            buyers: [Fixtures.canteen],
            demands: [Fixtures.riceDemand],
            marker: "demo",
            context: Fixtures.context
        )
        #expect(first && !second)
        #expect(try await database.metadata("demo") == Timestamp.string(from: Fixtures.now))
        #expect(
            try await database.counts() == [
                .county: 1, .supplier: 1, .product: 1, .buyer: 1, .demand: 1, .venue: 0, .host: 0, .fair: 0,
                .sale: 0, .outlet: 0, .event: 0,
            ]
        )
    }
}
