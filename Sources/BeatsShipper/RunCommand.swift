import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shipper

/// `beats-shipper [run] -c FILE [--path.data DIR] [-e]`: ship until SIGTERM/SIGINT, then
/// finish the request in flight, write the registry and exit 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Ship logs (the default).")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadOrExit(options.config)
        let dataPath = options.dataPath.map { PathArgument.absolute($0) } ?? config.dataPath ?? PathArgument.absolute("data")
        let logger = LineLogHandler.makeLogger(level: config.logLevel, toStderr: options.logToStderr,
                                               file: dataPath + "/logs/beats-shipper.log")
        let shipper: LogShipper
        do {
            shipper = try LogShipper(config: config, dataPath: dataPath, logger: logger)
        } catch {
            exitWithMessage("\(error)")
        }
        logger.info("beats-shipper started", metadata: ["config": "\(config.file)", "path.data": "\(dataPath)"])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: ShipperService(shipper: shipper), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Adapts `LogShipper` to ServiceLifecycle: a graceful-shutdown signal sets the stop flag.
/// The shipper is driven by this one task only, hence the unchecked Sendable.
final class ShipperService: Service, @unchecked Sendable {
    private let shipper: LogShipper

    init(shipper: LogShipper) { self.shipper = shipper }

    func run() async throws {
        let stop = StopSignal()
        try await withGracefulShutdownHandler {
            try await shipper.run(stop: stop)
        } onGracefulShutdown: {
            stop.stop()
        }
    }
}

enum PathArgument {
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// Filebeat's way out on a fatal set-up error: `Exiting: <reason>` on stderr, status 1.
func exitWithMessage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("Exiting: \(message)\n".utf8))
    exit(1)
}

func loadOrExit(_ file: String) throws -> ShipperConfig {
    do {
        return try ShipperConfig.load(file: PathArgument.absolute(file))
    } catch {
        exitWithMessage("error loading config file: \(error)")
    }
}
