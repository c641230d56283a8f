import ArgumentParser
import ChanxiaoConfig
import Foundation

struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with configuration files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file offline, with the same rules the daemon applies; non-zero exit on error.")

        @Argument(help: ArgumentHelp("The YAML file to check.", valueName: "file"))
        var file: String

        @Flag(help: "Also apply CHANXIAO_* environment variables, as the daemon would.")
        var withEnvironment = false

        func run() async throws {
            do {
                _ = try ConfigLoader.load(file: file, environment: withEnvironment ? ProcessInfo.processInfo.environment : [:])
                print("\(file): ok")
            } catch {
                Console.error("\(file): \(error.description)")
                throw ExitCode(CLIExit.config)
            }
        }
    }
}
