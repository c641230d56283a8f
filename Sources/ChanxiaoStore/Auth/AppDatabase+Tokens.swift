import ChanxiaoCore
import Crypto
import Foundation
import GRDB

/// A bearer token as stored: only the SHA-256 of its secret is kept, so a copy of the
/// database does not hand out working tokens.
public struct APIToken: Sendable, Equatable {
    public var id: String
    public var role: Role
    public var buyerID: String?
    public var supplierID: String?
    /// A reviewer's or organizer's regions (6-digit codes); empty for other roles and for
    /// national reviewers and organizers.
    public var regions: [String]
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    public var principal: Principal {
        Principal(tokenID: id, role: role, buyerID: buyerID, supplierID: supplierID, regions: regions)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("role", .string(role.rawValue)), ("buyer_id", JSONValue(buyerID)), ("supplier_id", JSONValue(supplierID)),
            ("regions", .array(regions.map(JSONValue.string))), ("label", JSONValue(label)),
            ("created_at", .string(Timestamp.string(from: createdAt))),
            ("expires_at", JSONValue(expiresAt.map(Timestamp.string(from:)))), ("revoked_at", JSONValue(revokedAt.map(Timestamp.string(from:)))),
        ]
    }

    init(row: Row) throws {
        id = row["id"]
        role = try ColumnValue.enumeration(row, "role")
        buyerID = row["buyer_id"]
        supplierID = row["supplier_id"]
        regions = try ColumnValue.jsonArray(row, "regions")
        label = row["label"]
        createdAt = try ColumnValue.timestamp(row, "created_at")
        expiresAt = try ColumnValue.optionalTimestamp(row, "expires_at")
        revokedAt = try ColumnValue.optionalTimestamp(row, "revoked_at")
    }

    init(id: String, role: Role, buyerID: String?, supplierID: String?, regions: [String], label: String?, createdAt: Date, expiresAt: Date?) {
        self.id = id
        self.role = role
        self.buyerID = buyerID
        self.supplierID = supplierID
        self.regions = regions
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Token secrets: `cx_` and 43 characters of base64url (32 random bytes).
public enum TokenSecret {
    public static let prefix = "cx_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).lowercaseHex
    }

    /// Whether a presented secret is the expected one (a configured token, not a stored one),
    /// in time that depends on neither: their SHA-256 digests are compared in constant time,
    /// so neither where they first differ nor the expected length shows in the answer's timing.
    /// Stored tokens need no such care: they are looked up by the digest of what is presented.
    public static func matches(_ given: String, expected: String) -> Bool {
        SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(expected.utf8))
    }
}

extension AppDatabase {
    /// Creates a token and returns it with its secret, which is shown this once.
    public func createToken(
        role: Role,
        buyerID: String? = nil,
        supplierID: String? = nil,
        regions: [String] = [],
        label: String? = nil,
        expiresAt: Date? = nil,
        context: WriteContext
    ) async throws -> (token: APIToken, secret: String) {
        var errors: [FieldError] = []
        if !regions.isEmpty, role != .reviewer, role != .organizer {
            errors.append(FieldError(field: "region", message: "only reviewer and organizer tokens are bound to regions"))
        }
        for region in regions {
            if let problem = DivisionCode.problem(with: region, level: .any) { errors.append(FieldError(field: "region", message: problem)) }
        }
        if regions.count > 50 { errors.append(FieldError(field: "region", message: "at most 50 regions")) }
        switch role {
        case .admin, .organizer, .reviewer, .calendar:
            if buyerID != nil { errors.append(FieldError(field: "buyer", message: "only buyer tokens are bound to a buyer")) }
            if supplierID != nil { errors.append(FieldError(field: "supplier", message: "only supplier tokens are bound to a supplier")) }
        case .buyer:
            if buyerID == nil { errors.append(FieldError(field: "buyer", message: "a buyer token needs the buyer id it is bound to")) }
            if supplierID != nil { errors.append(FieldError(field: "supplier", message: "a buyer token cannot be bound to a supplier")) }
        case .supplier:
            if supplierID == nil { errors.append(FieldError(field: "supplier", message: "a supplier token needs the supplier id it is bound to")) }
            if buyerID != nil { errors.append(FieldError(field: "buyer", message: "a supplier token cannot be bound to a buyer")) }
        }
        if let label, label.count > 200 { errors.append(FieldError(field: "label", message: "must be at most 200 characters")) }
        if let expiresAt, expiresAt <= context.now { errors.append(FieldError(field: "expires", message: "must be in the future")) }
        if !errors.isEmpty { throw ValidationFailure(errors) }

        let secret = TokenSecret.generate()
        let token = APIToken(
            id: Identifier.generate(prefix: "tok", at: context.now),
            role: role,
            buyerID: buyerID,
            supplierID: supplierID,
            regions: Array(Set(regions)).sorted(),
            label: label,
            createdAt: context.now,
            expiresAt: expiresAt
        )
        try await write { db in
            if let buyerID, try !Self.exists(.buyer, id: buyerID, db: db) {
                throw ValidationFailure(field: "buyer", message: "no buyer with id \(buyerID)")
            }
            if let supplierID, try !Self.exists(.supplier, id: supplierID, db: db) {
                throw ValidationFailure(field: "supplier", message: "no supplier with id \(supplierID)")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_token (id, secret_sha256, role, buyer_id, supplier_id, regions, label, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, TokenSecret.hash(secret), role.rawValue, buyerID, supplierID, ColumnValue.json(token.regions), label,
                    Timestamp.string(from: context.now), expiresAt.map(Timestamp.string(from:)),
                ]
            )
            try Self.audit(
                db,
                context,
                action: "token.create",
                id: token.id,
                detail: .object([
                    "role": .string(role.rawValue), "buyer_id": JSONValue(buyerID),
                    "supplier_id": JSONValue(supplierID), "label": JSONValue(label),
                ])
            )
        }
        return (token, secret)
    }

    public func tokens() async throws -> [APIToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_token ORDER BY id").map(APIToken.init(row:))
        }
    }

    /// Revokes a token; revoking a revoked token is a no-op that reports its first revocation.
    @discardableResult
    public func revokeToken(id: String, context: WriteContext) async throws -> APIToken {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(kind: "token", id: id)
            }
            var token = try APIToken(row: row)
            if token.revokedAt == nil {
                token.revokedAt = context.now
                try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ?", arguments: [Timestamp.string(from: context.now), id])
                try Self.audit(db, context, action: "token.revoke", id: id)
            }
            return token
        }
    }

    /// Revokes the tokens bound to a buyer or supplier that is being deleted.
    static func revokeTokens(boundTo kind: CatalogKind, id: String, db: Database, context: WriteContext) throws {
        let column = kind == .buyer ? "buyer_id" : "supplier_id"
        try db.execute(
            sql: "UPDATE api_token SET revoked_at = ? WHERE \(column) = ? AND revoked_at IS NULL",
            arguments: [Timestamp.string(from: context.now), id]
        )
    }

    /// The token whose secret this is, if any (usable or not: the caller decides and says why).
    public func token(forSecret secret: String) async throws -> APIToken? {
        let hash = TokenSecret.hash(secret)
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_token WHERE secret_sha256 = ?", arguments: [hash]).map(APIToken.init(row:))
        }
    }
}
