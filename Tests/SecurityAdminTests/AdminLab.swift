import Foundation
import LabTestSupport

/// The security-admin tests run against the shared `LabNode` (a real node in-process, certificates
/// from `config/certs.yml`, plus `stranger` and its CA `other-ca.pem`); these are the extras
/// the tool's command lines need.
typealias AdminLab = LabNode

extension LabNode {
    /// The repository's security YAML, the folder the tool is pointed at.
    static var securityConfig: URL { LabFiles.repositoryRoot.appendingPathComponent("config/security") }

    /// Runs `body` against a fresh node and stops it afterwards.
    static func with(_ body: (LabNode) async throws -> Void) async throws {
        try await with(files: nil, body)
    }

    /// securityadmin-style connection flags for `client`.
    func flags(as client: String = "admin", ca: String = "root-ca") -> [String] {
        ["-h", "localhost", "-p", String(port), "-cacert", cert(ca), "-cert", cert(client), "-key", key(client)]
    }

    /// Long-form connection options for the modern subcommands.
    func options(as client: String = "admin") -> [String] {
        ["--url", url, "--cacert", cert("root-ca"), "--cert", cert(client), "--key", key(client)]
    }

    /// The stored configuration version (the admin's GET of the config endpoint).
    func configVersion() async throws -> Int {
        let answer = try await curl("GET", "/_opendistro/_security/api/certlab/securityconfig", as: "admin")
        guard let range = answer.body.range(of: #"^\{"version":(\d+)"#, options: .regularExpression) else { return -1 }
        return Int(answer.body[range].dropFirst(#"{"version":"#.count)) ?? -1
    }

    /// A copy of the repository's `config/security` in a new temporary folder.
    static func copyOfSecurityConfig() throws -> TemporaryDirectory {
        let copy = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: securityConfig.path) {
            try FileManager.default.copyItem(at: securityConfig.appendingPathComponent(name), to: copy.url.appendingPathComponent(name))
        }
        return copy
    }
}
