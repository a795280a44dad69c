import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SecurityAdmin
import ServiceLifecycle

/// `serve`: the lab's config-sync service (issue 6). Waits for the node, applies the directory,
/// and with `--watch` re-applies after every edit while `/health` tells compose whether the
/// node carries our configuration yet.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply a configuration directory and keep the node in sync with it.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("config-dir"), help: "Directory with the security YAML files.")
    var configDirectory: String = ProcessInfo.processInfo.environment["CERTLAB_SECURITY_CONFIG"] ?? "config/security"
    @Flag(help: "Keep running: re-apply whenever a file changes.")
    var watch = false
    @Option(name: .customLong("health-port"), help: "Port of the /health endpoint (with --watch); 0 picks a free one.")
    var healthPort: Int = 9601
    @Option(name: .customLong("health-host"), help: "Address the /health endpoint binds to.")
    var healthHost: String = "0.0.0.0"

    func run() async throws {
        let status = SyncStatus()
        let sync = ConfigSync(directory: configDirectory, target: connection.target, status: status, log: Console.log)
        guard watch else {
            do {
                guard try await sync.run(watch: false) else { throw ExitCode(1) }
            } catch let error as AdminError {
                throw error.exit()
            }
            return
        }
        let router = Router()
        router.get("health") { _, _ -> Response in
            let (code, body) = status.health()
            return Response(status: .init(code: code), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
        }
        var logger = Logger(label: "security-admin")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(healthHost, port: healthPort)),
                              services: [SyncService(sync: sync)],
                              onServerRunning: { channel in Console.log("health endpoint listening on port \(channel.localAddress?.port ?? healthPort)") },
                              logger: logger)
        do {
            try await app.runService()
        } catch let error as AdminError {
            throw error.exit()
        }
    }
}

/// Runs the watch loop as a service next to the health server; SIGTERM cancels it.
struct SyncService: Service {
    let sync: ConfigSync

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            _ = try await sync.run(watch: true)
        }
    }
}
