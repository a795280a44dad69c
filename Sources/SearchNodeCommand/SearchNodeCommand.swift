import ArgumentParser
import Foundation
import LabClient
import Logging
import NIOCore
import NIOPosix
import NodeServer

/// `search-node`: run the secured node, or check one's health (for compose healthchecks, so the
/// image needs no curl).
@main
struct SearchNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search-node",
        abstract: "A secured search node: HTTPS with client-certificate authentication and the security plugin's model.",
        subcommands: [Run.self, HealthCheck.self],
        defaultSubcommand: Run.self)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Start the node (the default).")

    @Option(help: "elasticsearch.yml-style node settings (env CERTLAB_NODE_CONFIG).")
    var config: String = ProcessInfo.processInfo.environment["CERTLAB_NODE_CONFIG"] ?? "config/node.yml"

    @Option(name: .customLong("security-config"), help: "Security YAML directory loaded into an empty store (env CERTLAB_SECURITY_CONFIG).")
    var securityConfig: String = ProcessInfo.processInfo.environment["CERTLAB_SECURITY_CONFIG"] ?? "config/security"

    @Option(help: "Data directory, relative to the working directory; overrides path.data (env CERTLAB_DATA).")
    var data: String? = ProcessInfo.processInfo.environment["CERTLAB_DATA"]

    @Option(help: "Overrides http.port (env CERTLAB_HTTP_PORT); 0 picks a free port.")
    var port: Int? = ProcessInfo.processInfo.environment["CERTLAB_HTTP_PORT"].flatMap(Int.init)

    @Option(help: "Overrides network.host (env CERTLAB_NETWORK_HOST).")
    var host: String? = ProcessInfo.processInfo.environment["CERTLAB_NETWORK_HOST"]

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    /// The CPUs this process may run on (`taskset`, a container's cpuset): one event loop each.
    /// NIO sizes its loops by the machine's (or cgroup quota's) core count, so a node pinned to
    /// one core ran two loops that took turns on it — same throughput, twice the tail latency.
    static func usableCPUCount() -> Int? {
        #if os(Linux)
        // `Cpus_allowed` is the affinity mask in hex, 32-bit groups separated by commas
        // (sched_getaffinity is not visible to Swift without _GNU_SOURCE).
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let count = line.dropFirst("Cpus_allowed:".count).split(separator: ",")
            .compactMap { UInt64($0.trimmingCharacters(in: .whitespaces), radix: 16)?.nonzeroBitCount }.reduce(0, +)
        return count > 0 ? min(count, System.coreCount) : nil
        #else
        return nil
        #endif
    }

    func run() async throws {
        // Async request handling then runs on the NIO event loops themselves instead of hopping
        // to Swift's cooperative pool and back for every request (blocking work already goes to
        // NIOThreadPool). Measured on the keep-alive mTLS GET benchmark (bench/node-vs-peers.sh).
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let usable = Self.usableCPUCount() {
            NIOSingletons.groupLoopCountSuggestion = usable
        }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        var logger = Logger(label: "search-node")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let node: SearchNode
        do {
            let securityDirectory = URL(fileURLWithPath: securityConfig)
            var configuration = try NodeConfiguration(
                configFile: URL(fileURLWithPath: config),
                securityConfigDirectory: FileManager.default.fileExists(atPath: securityDirectory.path) ? securityDirectory : nil,
                dataPath: data.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            if let port { configuration.settings.httpPort = port }
            if let host { configuration.settings.networkHost = host }
            node = try SearchNode(configuration: configuration, logger: logger)
        } catch {
            throw ValidationError("search-node cannot start: \(error)")
        }
        let startedLogger = logger
        try await node.run { port in
            let scheme = node.configuration.settings.httpSSLEnabled ? "https" : "http"
            startedLogger.info("started", metadata: ["url": "\(scheme)://\(node.configuration.settings.networkHost):\(port)"])
            // One machine-readable line for scripts that started the node with port 0.
            FileHandle.standardOutput.write(Data("search-node listening on port \(port)\n".utf8))
        }
    }
}

/// Exits 0 when the node answers its health endpoint with `"status":"UP"`.
struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "healthcheck", abstract: "Check a node's health (exit 0 when UP).")

    @Option(help: "Health URL.")
    var url: String = "https://127.0.0.1:9200/_opendistro/_security/health"
    @Option(help: "CA bundle that signed the node certificate.")
    var cacert: String?
    @Option(help: "Client certificate (PEM).")
    var cert: String?
    @Option(help: "Client key (PKCS#8 PEM).")
    var key: String?
    @Option(help: "Seconds before giving up.")
    var timeout: Int = 5

    func run() async throws {
        let tls = ClientTLSOptions(certificateAuthorities: cacert.map { [$0] } ?? [], certificate: cert, key: key,
                                   verification: cacert == nil ? .none : .certificate)
        let client = try LabClient(tls: url.hasPrefix("https") ? tls : nil, timeout: .seconds(timeout))
        defer { Task { try? await client.shutdown() } }
        let response: LabResponse
        do {
            response = try await client.send("GET", url)
        } catch {
            try? await client.shutdown()
            print("unhealthy: \(error)")
            throw ExitCode(1)
        }
        try? await client.shutdown()
        let up = response.status == 200 && response.bodyText.contains("\"status\":\"UP\"")
        print(up ? "healthy: \(response.bodyText)" : "unhealthy: HTTP \(response.status) \(response.bodyText)")
        if !up { throw ExitCode(1) }
    }
}
