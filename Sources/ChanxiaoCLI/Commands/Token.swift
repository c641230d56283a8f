import ArgumentParser
import ChanxiaoCore
import ChanxiaoStore
import Foundation

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API bearer tokens (only their hashes are stored).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret once.")

        @OptionGroup var common: CommonOptions

        @Option(
            help:
                "admin, organizer (plans and counts within its --region, if given), reviewer (certifies poverty products within its --region), buyer, supplier, or calendar (reads the .ics feeds and /v1/me only: what calendar apps subscribe with)."
        )
        var role: Role

        @Option(help: ArgumentHelp("The buyer a buyer token is bound to.", valueName: "id"))
        var buyer: String?

        @Option(help: ArgumentHelp("The supplier a supplier token is bound to.", valueName: "id"))
        var supplier: String?

        @Option(
            name: .customLong("region"),
            help: ArgumentHelp(
                "A region a reviewer or organizer token acts in (6-digit GB/T 2260 code: 440000, 440300, 440304); repeat for several. None: national.",
                valueName: "code"
            )
        )
        var regions: [String] = []

        @Option(help: "A note saying who or what holds the token.")
        var label: String?

        @Option(
            name: .customLong("expires-in"),
            help: ArgumentHelp("Lifetime such as 90d, 12h or 30m; default auth.default_token_ttl_days (365).", valueName: "duration")
        )
        var expiresIn: String?

        @Flag(name: .customLong("no-expiry"), help: "A token that never expires (revoke it when it is no longer needed).")
        var noExpiry = false

        func run() async throws {
            let config = try common.loadConfig()
            let now = Date()
            var expiresAt = config.defaultTokenExpiry(from: now)
            if let expiresIn {
                guard let seconds = Self.seconds(expiresIn) else {
                    Console.error("--expires-in: expected a number followed by d, h or m (e.g. 90d), got '\(expiresIn)'")
                    throw ExitCode.validationFailure
                }
                guard !noExpiry else {
                    Console.error("--expires-in and --no-expiry contradict each other; give one")
                    throw ExitCode.validationFailure
                }
                expiresAt = now.addingTimeInterval(seconds)
            } else if noExpiry {
                expiresAt = nil
            }
            let (database, _) = try common.openDatabase(config)
            do {
                let (token, secret) = try await database.createToken(
                    role: role,
                    buyerID: buyer,
                    supplierID: supplier,
                    regions: regions,
                    label: label,
                    expiresAt: expiresAt,
                    context: Console.writeContext(now: now)
                )
                print(secret)
                let expiry = token.expiresAt.map { "expires \(Timestamp.string(from: $0))" } ?? "never expires"
                FileHandle.standardError.write(
                    Data("created \(token.id) (\(token.role.rawValue), \(expiry)); the secret above is shown only once\n".utf8)
                )
            } catch let failure as ValidationFailure {
                for error in failure.errors { Console.error("--\(error.field): \(error.message)") }
                throw ExitCode.validationFailure
            }
        }

        static func seconds(_ text: String) -> TimeInterval? {
            guard let unit = text.last, let amount = Int(text.dropLast()), amount > 0 else { return nil }
            let seconds: Double
            switch unit {
            case "d": seconds = Double(amount) * 86_400
            case "h": seconds = Double(amount) * 3600
            case "m": seconds = Double(amount) * 60
            default: return nil
            }
            // At most a hundred years: an expiry the timestamps (years 1–9999) can still hold.
            return seconds <= 36_500 * 86_400 ? seconds : nil
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var common: CommonOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let config = try common.loadConfig()
            let (database, _) = try common.openDatabase(config)
            let tokens = try await database.tokens()
            if json {
                var writer = JSONWriter()
                writer.array(tokens) { $0.object($1.fields) }
                print(String(decoding: writer.bytes, as: UTF8.self))
                return
            }
            let now = Date()
            let rows =
                [["ID", "ROLE", "BOUND TO", "STATUS", "CREATED", "EXPIRES", "LABEL"]]
                + tokens.map { token in
                    let status = token.revokedAt != nil ? "revoked" : token.isUsable(at: now) ? "active" : "expired"
                    return [
                        token.id, token.role.rawValue,
                        token.buyerID.map { "buyer \($0)" } ?? token.supplierID.map { "supplier \($0)" }
                            ?? (token.regions.isEmpty ? "-" : "regions \(token.regions.joined(separator: ","))"),
                        status, Timestamp.string(from: token.createdAt), token.expiresAt.map(Timestamp.string(from:)) ?? "never",
                        token.label ?? "",
                    ]
                }
            let widths = (0..<7).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(
                    zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                        .trimmingCharacters(in: .whitespaces)
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token; it stops working within auth.token_cache_seconds.")

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The token id (tok_…), as token list shows.", valueName: "id"))
        var id: String

        func run() async throws {
            let config = try common.loadConfig()
            let (database, _) = try common.openDatabase(config)
            do {
                let token = try await database.revokeToken(id: id, context: Console.writeContext())
                print("revoked \(token.id) at \(Timestamp.string(from: token.revokedAt!))")
            } catch StoreError.notFound {
                Console.error("no token with id \(id)")
                throw ExitCode(CLIExit.failure)
            }
        }
    }
}
