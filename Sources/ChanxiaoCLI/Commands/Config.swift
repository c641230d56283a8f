import ArgumentParser
import ChanxiaoConfig
import Foundation

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with configuration files.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file offline, with the same rules the daemon applies; non-zero exit on error."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: ArgumentHelp("The YAML file to check; default --config, else $CHANXIAO_CONFIG.", valueName: "file"))
        var file: String?

        @Flag(help: "Also apply CHANXIAO_* environment variables, as the daemon would.")
        var withEnvironment = false

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let path = file ?? common.config ?? environment[ConfigLoader.fileVariable] else {
                Console.error("name the file to check: chanxiao config check FILE")
                throw ExitCode.validationFailure
            }
            var flags: [ConfigLoader.Flag] = []
            if let database = common.database { flags.append(.init(key: "database.path", flag: "database", value: database)) }
            do {
                _ = try ConfigLoader.load(file: path, environment: withEnvironment ? environment : [:], flags: flags)
                print("\(path): ok")
            } catch {
                Console.error("\(path): \(error.description)")
                throw ExitCode(CLIExit.config)
            }
        }
    }
}
