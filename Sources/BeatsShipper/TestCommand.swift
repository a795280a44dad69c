import ArgumentParser
import Foundation
import Shipper

/// `beats-shipper test config|output`, as Filebeat's `test` subcommands.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Check the configuration or the connection to the node.",
        subcommands: [TestConfig.self, TestOutput.self])
}

/// Loads the file, reports unknown settings, reads the TLS files; prints `Config OK`.
struct TestConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Check the configuration file.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadOrExit(options.config)
        for setting in config.unknownSettings { print("WARN ignoring unsupported setting: \(setting)") }
        if let tls = config.output.tls {
            do { _ = try tls.makeConfiguration() } catch { exitWithMessage("output.elasticsearch.ssl: \(error)") }
        }
        do { _ = try IndexPattern(config.output.index, agentName: "x", agentVersion: "x") } catch { exitWithMessage("\(error)") }
        print("Config OK")
    }
}

/// Connects to every host and prints each step; exit status 1 if one failed.
struct TestOutput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "output", abstract: "Check the connection to the node.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadOrExit(options.config)
        let passed = await OutputProbe.run(config.output, agent: AgentInfo(name: config.name)) { print($0) }
        if !passed { throw ExitCode(1) }
    }
}
