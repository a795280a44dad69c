import ArgumentParser

/// `beats-shipper`: certlab's Filebeat-compatible log shipper (issue 7). Same flags as Filebeat
/// (`-c`, `--path.data`, `-e`) and the same `test config` / `test output` subcommands, plus a
/// sample access-log generator for the lab.
@main
struct BeatsShipper: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beats-shipper",
        abstract: "Ships log lines to the search node over mTLS, reading filebeat.yml keys.",
        subcommands: [RunCommand.self, TestCommand.self, GenerateLogsCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// The options every subcommand that reads the configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customShort("c"), help: "The filebeat.yml-style configuration file.")
    var config = "config/shipper.yml"

    @Option(name: .customLong("path.data"), help: "Where the registry lives (overrides path.data in the file).")
    var dataPath: String?

    @Flag(name: .customShort("e"), help: "Log to stderr instead of the log file under path.data.")
    var logToStderr = false
}
