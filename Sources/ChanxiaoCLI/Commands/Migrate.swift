import ArgumentParser
import ChanxiaoStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the database schema (serve does this on start), and list the migrations."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let config = try common.loadConfig()
        let (database, path) = try common.openDatabase(config)
        print("database: \(path)")
        for migration in try database.migrationStatus() {
            print("\(migration.applied ? "applied" : "pending")  \(migration.identifier)")
        }
    }
}
