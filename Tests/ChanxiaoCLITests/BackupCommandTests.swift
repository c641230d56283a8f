import Foundation
import Testing

/// `chanxiao backup DEST`, through the built executable.
@Suite struct BackupCommandTests {
    let counties = """
        code,name,province,city,poverty_status,poor_population,paired_region_codes
        451026,那坡县,,百色市,deep,20000,440300;440304
        341125,"定远县",安徽省,滁州市,provincial,,

        """

    /// A directory with a database holding two counties.
    func prepared() throws -> CLIRunner {
        let cli = try CLIRunner()
        try cli.write("counties.csv", counties)
        let imported = try cli.run("import", "counties", "counties.csv", "--database", "db.sqlite")
        #expect(imported.status == 0, "\(imported.stderr)")
        return cli
    }

    @Test func aBackupIsAFileThatOpensWithTheSameRows() throws {
        let cli = try prepared()
        defer { cli.cleanUp() }
        let original = try cli.run("export", "counties", "--database", "db.sqlite")

        let result = try cli.run("backup", "copy.sqlite", "--database", "db.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        let line = result.stdout
        #expect(line.hasPrefix("copy.sqlite: ") && line.hasSuffix(" ms\n") && line.contains(" bytes, "), "\(line)")
        #expect(line.split(separator: "\n").count == 1)
        #expect(FileManager.default.fileExists(atPath: cli.path("copy.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: cli.path("copy.sqlite.partial")))
        let size = try FileManager.default.attributesOfItem(atPath: cli.path("copy.sqlite"))[.size] as? NSNumber
        #expect(line.contains(": \(size?.intValue ?? -1) bytes"))

        let restored = try cli.run("export", "counties", "--database", "copy.sqlite")
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout == original.stdout)
        #expect(restored.stdout.components(separatedBy: "\r\n").count == 4)
    }

    @Test func intoADirectoryTheFileIsNamedByItsUTCTime() throws {
        let cli = try prepared()
        defer { cli.cleanUp() }
        try FileManager.default.createDirectory(atPath: cli.path("backups"), withIntermediateDirectories: true)
        let result = try cli.run("backup", "backups", "--database", "db.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.path("backups"))
        #expect(names.count == 1)
        let name = try #require(names.first)
        #expect(name.range(of: #"^chanxiao-\d{8}T\d{6}Z\.sqlite$"#, options: .regularExpression) != nil, "\(name)")
        #expect(result.stdout.hasPrefix("backups/\(name): "), "\(result.stdout)")
        let slashed = try cli.run("backup", "backups/", "--force", "--database", "db.sqlite")
        #expect(slashed.status == 0, "\(slashed.stderr)")
        #expect(slashed.stdout.hasPrefix("backups/chanxiao-"), "\(slashed.stdout)")

        let restored = try cli.run("export", "counties", "--database", "backups/\(name)")
        #expect(restored.stdout == (try cli.run("export", "counties", "--database", "db.sqlite")).stdout)
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        let cli = try prepared()
        defer { cli.cleanUp() }
        try cli.write("copy.sqlite", "an older file")

        let refused = try cli.run("backup", "copy.sqlite", "--database", "db.sqlite")
        #expect(refused.status == 73)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("copy.sqlite already exists; pass --force to replace it"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: cli.path("copy.sqlite"), encoding: .utf8) == "an older file")

        let forced = try cli.run("backup", "copy.sqlite", "--force", "--database", "db.sqlite")
        #expect(forced.status == 0, "\(forced.stderr)")
        let restored = try cli.run("export", "counties", "--database", "copy.sqlite")
        #expect(restored.stdout.contains("451026,那坡县"))
    }

    @Test func mistakesAreRefusedWithAReason() throws {
        let cli = try prepared()
        defer { cli.cleanUp() }

        let missingDirectory = try cli.run("backup", "nowhere/copy.sqlite", "--database", "db.sqlite")
        #expect(missingDirectory.status == 74)
        #expect(missingDirectory.stderr.contains("backup to nowhere/copy.sqlite failed"), "\(missingDirectory.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("nowhere")))

        let notADirectory = try cli.run("backup", "backups/", "--database", "db.sqlite")
        #expect(notADirectory.status == 74)
        #expect(notADirectory.stderr.contains("no directory backups/"), "\(notADirectory.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("backups")))

        let itself = try cli.run("backup", "./db.sqlite", "--force", "--database", "db.sqlite")
        #expect(itself.status != 0)
        #expect(itself.stderr.contains("is the database itself"), "\(itself.stderr)")

        let noDatabase = try cli.run("backup", "copy.sqlite", "--database", "typo.sqlite")
        #expect(noDatabase.status != 0)
        #expect(noDatabase.stderr.contains("no database at typo.sqlite"), "\(noDatabase.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("typo.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: cli.path("copy.sqlite")))
    }
}
