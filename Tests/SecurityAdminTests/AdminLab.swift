import Foundation
import Logging
import NodeServer
import PKI
import SecurityEngine

/// A real `SearchNode` for the security-admin tests (the approach of NodeServerTests' LabNode):
/// the repository's `config/`, certificates issued from `config/certs.yml` into a temporary
/// folder, bound to a free port on 127.0.0.1 and served in-process until `stop()`. The folder
/// also holds `stranger` (a client of an unrelated CA) and that CA as `other-ca.pem`.
final class AdminLab: @unchecked Sendable {
    let directory: AdminTempDirectory
    let node: SearchNode
    private(set) var port = 0
    private var task: Task<Void, any Error>?

    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var securityConfig: URL { repositoryRoot.appendingPathComponent("config/security") }

    static func start() async throws -> AdminLab {
        let directory = try AdminTempDirectory()
        let config = directory.url.appendingPathComponent("config")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("config"), to: config)
        let certs = try CertificateDirectory(path: directory.path("certs"), create: true)
        _ = try CertificateIssuance.initialize(plan: CertificatePlan.load(path: config.appendingPathComponent("certs.yml").path), directory: certs)
        let other = try CertificateDirectory(path: directory.path("other"), create: true)
        let strangerPlan = try CertificatePlan.parse("""
            ca: {dn: "CN=unrelated CA,O=elsewhere"}
            clients: [{name: stranger, dn: "CN=stranger,O=elsewhere"}]
            """, source: "stranger-plan.yml")
        _ = try CertificateIssuance.initialize(plan: strangerPlan, directory: other)
        try FileManager.default.copyItem(atPath: other.filePath("root-ca.pem"), toPath: certs.filePath("other-ca.pem"))
        var configuration = try NodeConfiguration(configFile: config.appendingPathComponent("node.yml"),
                                                  securityConfigDirectory: config.appendingPathComponent("security"),
                                                  dataPath: directory.path("data"))
        configuration.settings.httpPort = 0
        var logger = Logger(label: "admin-lab-node")
        logger.logLevel = .warning
        let lab = AdminLab(directory: directory, node: try SearchNode(configuration: configuration, logger: logger))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let node = lab.node
        lab.task = Task { try await node.run { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else { throw CancellationError() }
        lab.port = bound
        return lab
    }

    /// Runs `body` against a fresh node and stops the node afterwards, also when `body` throws.
    static func with(_ body: (AdminLab) async throws -> Void) async throws {
        let lab = try await start()
        do {
            try await body(lab)
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
    }

    private init(directory: AdminTempDirectory, node: SearchNode) {
        self.directory = directory
        self.node = node
    }

    func stop() async {
        await node.shutdown()
        _ = try? await task?.value
    }

    var url: String { "https://localhost:\(port)" }
    func cert(_ name: String) -> String { directory.path("certs/\(name).pem") }
    func key(_ name: String) -> String { directory.path("certs/\(name)-key.pem") }

    /// securityadmin-style connection flags for `client`.
    func flags(as client: String = "admin", ca: String = "root-ca") -> [String] {
        ["-h", "localhost", "-p", String(port), "-cacert", cert(ca), "-cert", cert(client), "-key", key(client)]
    }

    /// Long-form connection options for the modern subcommands.
    func options(as client: String = "admin") -> [String] {
        ["--url", url, "--cacert", cert("root-ca"), "--cert", cert(client), "--key", key(client)]
    }

    /// curl against the node as `client`; returns HTTP status and body.
    func curl(_ method: String = "GET", _ path: String, as client: String, body: String? = nil) async throws -> (status: Int, body: String) {
        var arguments = ["-sS", "-X", method, "--cacert", cert("root-ca"), "--cert", cert(client), "--key", key(client), "-w", "\n%{http_code}"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await runTool("curl", arguments + [url + path])
        guard result.status == 0, let newline = result.output.lastIndex(of: "\n") else { return (0, result.output) }
        return (Int(result.output[result.output.index(after: newline)...]) ?? 0, String(result.output[..<newline]))
    }

    /// The stored configuration version (the admin's GET of the config endpoint).
    func configVersion() async throws -> Int {
        let answer = try await curl("GET", "/_opendistro/_security/api/certlab/securityconfig", as: "admin")
        guard let range = answer.body.range(of: #"^\{"version":(\d+)"#, options: .regularExpression) else { return -1 }
        return Int(answer.body[range].dropFirst(#"{"version":"#.count)) ?? -1
    }

    /// A copy of the repository's `config/security` in a new temporary folder.
    static func copyOfSecurityConfig() throws -> AdminTempDirectory {
        let copy = try AdminTempDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: securityConfig.path) {
            try FileManager.default.copyItem(at: securityConfig.appendingPathComponent(name), to: copy.url.appendingPathComponent(name))
        }
        return copy
    }
}
