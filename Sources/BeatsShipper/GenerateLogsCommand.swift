import ArgumentParser
import Shipper

/// `beats-shipper generate-logs`: appends realistic access-log lines for the lab.
struct GenerateLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate-logs", abstract: "Write sample access-log lines.")

    @Option(help: "The log file to append to.")
    var output = ".lab/logs/access.log"

    @Option(help: "How many lines to write.")
    var count = 1000

    @Option(help: "Lines per second (0 = as fast as possible).")
    var rate: Double = 100

    @Option(help: "Seed for reproducible content.")
    var seed: UInt64 = 42

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        guard rate >= 0 else { throw ValidationError("--rate must be 0 or more") }
    }

    func run() async throws {
        var generator = AccessLogGenerator(seed: seed)
        try await generator.write(count: count, rate: rate, to: PathArgument.absolute(output))
    }
}
