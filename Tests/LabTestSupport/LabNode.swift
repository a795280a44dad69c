import Foundation
import Logging
import NodeServer
import PKI
import SecurityEngine

/// The files a test node runs from: the repository's own `config/` (node.yml and security/)
/// copied into a temporary folder, and certificates issued there from `config/certs.yml`.
///
/// Besides the plan's certificates the folder holds `expired` (valid two years ago),
/// `revoked` (on crl.pem) and `stranger` (signed by an unrelated CA) clients.
public struct LabFiles: Sendable {
    public let directory: TemporaryDirectory

    public static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public init() throws {
        directory = try TemporaryDirectory()
        let config = directory.url.appendingPathComponent("config")
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("config"), to: config)
        let certs = try CertificateDirectory(path: directory.path("certs"), create: true)
        _ = try CertificateIssuance.initialize(plan: CertificatePlan.load(path: config.appendingPathComponent("certs.yml").path), directory: certs)
        let client = { (cn: String) in
            CertificateRequest(subject: try DistinguishedName(parsing: "CN=\(cn),OU=lab,O=certlab"), profile: .client)
        }
        _ = try CertificateIssuance.issue(client("expired"), name: "expired", directory: certs, now: Date().addingTimeInterval(-900 * 86_400))
        _ = try CertificateIssuance.issue(client("revoked"), name: "revoked", directory: certs)
        try CertificateIssuance.revoke(name: "revoked", serial: nil, reason: .keyCompromise, directory: certs)
        let other = try CertificateDirectory(path: directory.path("other"), create: true)
        let strangerPlan = try CertificatePlan.parse("""
            ca: {dn: "CN=unrelated CA,O=elsewhere"}
            clients: [{name: stranger, dn: "CN=stranger,O=elsewhere"}]
            """, source: "stranger-plan.yml")
        _ = try CertificateIssuance.initialize(plan: strangerPlan, directory: other)
        for (file, copy) in [("stranger.pem", "stranger.pem"), ("stranger-key.pem", "stranger-key.pem"), ("root-ca.pem", "other-ca.pem")] {
            try FileManager.default.copyItem(atPath: other.filePath(file), toPath: certs.filePath(copy))
        }
    }

    public var nodeConfig: String { directory.path("config/node.yml") }
    public var securityConfig: String { directory.path("config/security") }
    public var dataPath: String { directory.path("data") }
    public func cert(_ name: String) -> String { directory.path("certs/\(name).pem") }
    public func key(_ name: String) -> String { directory.path("certs/\(name)-key.pem") }

    /// curl against `url` as `client` (nil: no certificate); returns exit status, HTTP status and body.
    public func curl(_ method: String, _ url: String, as client: String?, basic: String?, body: String?,
                     contentType: String) async throws -> (exit: Int32, status: Int, body: String) {
        var arguments = ["-sS", "-X", method, "--cacert", cert("root-ca"), "-w", "\n%{http_code}"]
        if let client { arguments += ["--cert", cert(client), "--key", key(client)] }
        if let basic { arguments += ["-u", basic] }
        if let body { arguments += ["-H", "Content-Type: \(contentType)", "--data-binary", body] }
        let result = try await run("curl", arguments + [url])
        guard result.status == 0, let newline = result.output.lastIndex(of: "\n") else { return (result.status, 0, result.output) }
        return (0, Int(result.output[result.output.index(after: newline)...]) ?? 0, String(result.output[..<newline]))
    }
}

/// A real `SearchNode` served in-process on a free port of 127.0.0.1 from `LabFiles`, until `stop()`.
public final class LabNode: @unchecked Sendable {
    public let files: LabFiles
    public let node: SearchNode
    public private(set) var port = 0
    private var task: Task<Void, any Error>?

    public var directory: TemporaryDirectory { files.directory }

    /// Prepares the files, configures and starts the node. `adjust` may change the settings
    /// (client auth mode, bootstrap directory, ...) before the node is built.
    public static func start(files: LabFiles? = nil, adjust: (inout NodeConfiguration) -> Void = { _ in }) async throws -> LabNode {
        let files = try files ?? LabFiles()
        var configuration = try NodeConfiguration(configFile: URL(fileURLWithPath: files.nodeConfig),
                                                  securityConfigDirectory: URL(fileURLWithPath: files.securityConfig),
                                                  dataPath: files.dataPath)
        configuration.settings.httpPort = 0
        adjust(&configuration)
        var logger = Logger(label: "lab-node")
        logger.logLevel = .warning
        let lab = LabNode(files: files, node: try SearchNode(configuration: configuration, logger: logger))
        try await lab.run()
        return lab
    }

    /// Runs `body` against a fresh node and stops the node afterwards, also when `body` throws.
    public static func with(files: LabFiles? = nil, adjust: (inout NodeConfiguration) -> Void = { _ in },
                     _ body: (LabNode) async throws -> Void) async throws {
        let lab = try await start(files: files, adjust: adjust)
        do {
            try await body(lab)
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
    }

    private init(files: LabFiles, node: SearchNode) {
        self.files = files
        self.node = node
    }

    private func run() async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let node = self.node
        task = Task { try await node.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        port = bound
    }

    /// Graceful shutdown, as SIGTERM does it; waits until the node has stopped.
    public func stop() async {
        await node.shutdown()
        _ = try? await task?.value
    }

    public var url: String { "https://localhost:\(port)" }
    public func cert(_ name: String) -> String { files.cert(name) }
    public func key(_ name: String) -> String { files.key(name) }

    /// curl against the node as `client` (nil: no certificate); returns exit status, HTTP status and body.
    public func curl(_ method: String = "GET", _ path: String, as client: String? = nil, basic: String? = nil,
              body: String? = nil, contentType: String = "application/json") async throws -> (exit: Int32, status: Int, body: String) {
        try await files.curl(method, url + path, as: client, basic: basic, body: body, contentType: contentType)
    }
}
