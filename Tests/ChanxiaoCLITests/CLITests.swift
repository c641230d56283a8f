import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct CLITests {
    let counties = """
        code,name,province,city,poverty_status,poor_population,paired_region_codes
        451026,那坡县,,百色市,deep,20000,440300;440304
        341125,"定远县",安徽省,滁州市,provincial,,

        """

    @Test func theExecutableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: CLIRunner.executable.path), "run swift build first")
    }

    @Test func importThenExportRoundTrips() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("counties.csv", "\u{FEFF}" + counties)
        let imported = try cli.run("import", "counties", "counties.csv", "--database", "db.sqlite")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "imported 2 counties from counties.csv: 2 created, 0 updated, 0 unchanged\n")

        let exported = try cli.run("export", "counties", "--database", "db.sqlite")
        #expect(exported.status == 0)
        #expect(
            exported.stdout.components(separatedBy: "\r\n") == [
                "code,name,province,city,poverty_status,poor_population,paired_region_codes",
                "341125,定远县,安徽省,滁州市,provincial,0,",
                "451026,那坡县,广西壮族自治区,百色市,deep,20000,440300;440304",
                "",
            ]
        )

        // The export imports back unchanged, from a file or from standard input.
        #expect(try cli.run("export", "counties", "out.csv", "--database", "db.sqlite").status == 0)
        let again = try cli.run("import", "counties", "out.csv", "--mode", "upsert", "--database", "db.sqlite")
        #expect(again.stdout.hasSuffix("0 created, 0 updated, 2 unchanged\n"))
        let piped = try cli.run("import", "counties", "-", "--mode", "upsert", "--database", "db.sqlite", stdin: exported.stdout)
        #expect(piped.stdout == "imported 2 counties from standard input: 0 created, 0 updated, 2 unchanged\n")
    }

    @Test func aBadFileIsRejectedWholeWithEveryProblem() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write(
            "bad.csv",
            """
            code,name,poverty_status,poor_population
            451026,那坡县,deep,20000
            45102,短码,deep,
            451027,凌云县,rich,-1
            """
        )
        let result = try cli.run("import", "counties", "bad.csv", "--database", "db.sqlite")
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.csv was not imported (nothing was written): 3 problems"))
        #expect(result.stderr.contains("row 3: code: must be a 6-digit administrative division code"))
        #expect(result.stderr.contains("row 4: poverty_status: unknown value 'rich'"))
        #expect(result.stderr.contains("row 4: poor_population: must be from 0 to 100000000"))
        #expect(try cli.run("export", "counties", "--database", "db.sqlite").stdout.components(separatedBy: "\r\n").count == 2)

        let missing = try cli.run("import", "counties", "nowhere.csv", "--database", "db.sqlite")
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("cannot read nowhere.csv"))
        let wrongKind = try cli.run("import", "farms", "bad.csv", "--database", "db.sqlite")
        #expect(wrongKind.status != 0)
        #expect(wrongKind.stderr.contains("farms"))
    }

    @Test func tokensAreCreatedListedAndRevoked() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let unbound = try cli.run("token", "create", "--role", "buyer", "--database", "db.sqlite")
        #expect(unbound.status != 0)
        #expect(unbound.stderr.contains("--buyer: a buyer token needs the buyer id it is bound to"))

        let created = try cli.run("token", "create", "--role", "organizer", "--label", "扶贫办", "--expires-in", "90d", "--database", "db.sqlite")
        #expect(created.status == 0)
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("cx_") && secret.count == 46)
        let id = try #require(created.stderr.split(separator: " ").dropFirst().first.map(String.init))

        let listed = try cli.run("token", "list", "--database", "db.sqlite")
        #expect(listed.stdout.contains(id) && listed.stdout.contains("active") && listed.stdout.contains("扶贫办"))
        #expect(!listed.stdout.contains(secret))

        #expect(try cli.run("token", "revoke", id, "--database", "db.sqlite").status == 0)
        #expect(try cli.run("token", "list", "--json", "--database", "db.sqlite").stdout.contains(#""revoked_at":"20"#))
        let unknown = try cli.run("token", "revoke", "tok_nope", "--database", "db.sqlite")
        #expect(unknown.status == 1)
        #expect(try cli.run("token", "create", "--role", "admin", "--expires-in", "soon", "--database", "db.sqlite").status != 0)
        // Beyond a hundred years the expiry would pass what timestamps hold (year 9999).
        #expect(try cli.run("token", "create", "--role", "admin", "--expires-in", "52560000d", "--database", "db.sqlite").status != 0)
    }

    /// Tokens expire after auth.default_token_ttl_days unless told otherwise; a calendar token
    /// is bound to nothing.
    @Test func tokensExpireByDefault() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let plain = try cli.run("token", "create", "--role", "calendar", "--label", "日历", "--database", "db.sqlite")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stderr.contains("(calendar, expires "))
        let forever = try cli.run("token", "create", "--role", "admin", "--no-expiry", "--database", "db.sqlite")
        #expect(forever.stderr.contains("(admin, never expires)"))
        let both = try cli.run("token", "create", "--role", "admin", "--no-expiry", "--expires-in", "1d", "--database", "db.sqlite")
        #expect(both.status != 0)
        let bound = try cli.run("token", "create", "--role", "calendar", "--buyer", "buy-a", "--database", "db.sqlite")
        #expect(bound.status != 0)
        let listed = try cli.run("token", "list", "--json", "--database", "db.sqlite").stdout
        #expect(listed.contains(#""role":"calendar""#))
        #expect(listed.contains(#""expires_at":null"#))
    }

    @Test func configurationErrorsStopEveryCommand() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("bad.yaml", "server:\n  port: 99999\nlogging:\n  levle: info\n")
        let checked = try cli.run("config", "check", "bad.yaml")
        #expect(checked.status == 78)
        #expect(checked.stderr.contains("server.port: must be from 0 to 65535, got 99999 (bad.yaml:2)"))
        #expect(checked.stderr.contains("logging.levle: unknown key; did you mean logging.level?"))
        #expect(try cli.run("migrate", "--config", "bad.yaml").status == 78)
        #expect(try cli.run("migrate", environment: ["CHANXIAO_SERVER_PORT": "http"]).status == 78)

        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/chanxiao.yaml").path
        #expect(try cli.run("config", "check", shipped).status == 0)
        #expect(try cli.run("config", "check", "--config", shipped).stdout == "\(shipped): ok\n")
        #expect(try cli.run("config", "check").status == 64)

        let migrated = try cli.run("migrate", "--config", shipped, environment: ["CHANXIAO_DATABASE_PATH": "state/chanxiao.sqlite"])
        #expect(migrated.status == 0)
        #expect(migrated.stdout.hasPrefix("database: state/chanxiao.sqlite\napplied  "))
        #expect(FileManager.default.fileExists(atPath: cli.path("state/chanxiao.sqlite")))
    }

    @Test func theDatabaseGoesToTheStateDirectoryUnderSystemd() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let state = cli.path("state")
        let migrated = try cli.run("migrate", environment: ["STATE_DIRECTORY": state])
        #expect(migrated.stdout.hasPrefix("database: \(state)/chanxiao.sqlite"))
        let local = try cli.run("migrate")
        #expect(local.stdout.hasPrefix("database: var/chanxiao.sqlite"))
    }

    @Test func serveWithTheDemoAnswersOverHTTPAndStopsOnSIGTERM() async throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let process = cli.process(["serve", "--demo", "--port", "0", "--database", "demo.sqlite"])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The banner names the URL and the demo token.
        var banner = ""
        let reader = out.fileHandleForReading
        while !banner.contains("try: curl") {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        let url = try #require(banner.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        let token = try #require(
            banner.split(separator: "\n").first { $0.hasPrefix("demo admin token: ") }?.split(separator: " ").last.map(String.init)
        )
        #expect(url.hasPrefix("http://127.0.0.1:"))

        var request = URLRequest(url: URL(string: url + "/v1/counties?limit=500")!)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((body["items"] as? [Any])?.count ?? 0 > 50)

        process.terminate()  // SIGTERM: graceful shutdown
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // A second start reuses the demo and revokes the first demo token.
        let listed = try cli.run("token", "list", "--database", "demo.sqlite")
        #expect(listed.stdout.contains("active"))
        let second = cli.process(["serve", "--demo", "--port", "0", "--database", "demo.sqlite"])
        let secondOut = Pipe()
        second.standardOutput = secondOut
        second.standardError = FileHandle.nullDevice
        try second.run()
        var secondBanner = ""
        while !secondBanner.contains("try: curl") {
            let chunk = secondOut.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            secondBanner += String(decoding: chunk, as: UTF8.self)
        }
        second.terminate()
        second.waitUntilExit()
        let tokens = try cli.run("token", "list", "--database", "demo.sqlite").stdout
        #expect(tokens.components(separatedBy: " revoked ").count - 1 == 1)
        #expect(tokens.components(separatedBy: " active ").count - 1 == 1)
    }

    @Test func theDemoRefusesADatabaseThatHoldsOtherData() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try cli.write("counties.csv", counties)
        #expect(try cli.run("import", "counties", "counties.csv", "--database", "db.sqlite").status == 0)
        let refused = try cli.run("serve", "--demo", "--port", "0", "--database", "db.sqlite")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already holds a catalog that is not the demo"))
    }
}
