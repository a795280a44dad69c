import Foundation
import PKI
import Testing

/// The DNs in the real plugin's shipped `elasticsearch.yml.example` (fixture, read-only), matched
/// against the principal of a certificate made by openssl with the demo admin subject.
struct AdminDNFixtureTests {
    static let example = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/odfe-1.13/securityconfig/elasticsearch.yml.example")
    static let present = FileManager.default.fileExists(atPath: example.path)

    /// The list entries under a top-level key, unquoted (`  - "CN=..."` lines).
    static func entries(under key: String, in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("  - ") }.map {
            $0.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
    }

    @Test(.enabled(if: present, "skipped: fixture ../shared/fixtures/odfe-1.13 is absent"))
    func shippedAdminDNMatchesTheDemoAdminCertificate() throws {
        let text = try String(contentsOf: Self.example, encoding: .utf8)
        let adminDNs = Self.entries(under: "opendistro_security.authcz.admin_dn", in: text)
        #expect(adminDNs == ["CN=kirk,OU=client,O=client,l=tEst, C=De"])
        try withTemporaryDirectory { (directory: URL) throws in
            let cert = try OpenSSL.selfSigned(subject: "/C=de/L=test/O=client/OU=client/CN=kirk", in: directory)
            let principal = try #require(try PEMFile.readCertificates(at: cert.path).first).principal
            #expect(principal == "CN=kirk,OU=client,O=client,L=test,C=de")
            #expect(try DistinguishedName(parsing: adminDNs[0]) == DistinguishedName(parsing: principal))
        }
        let nodesDN = Self.entries(under: "opendistro_security.nodes_dn", in: text)
        #expect(nodesDN == ["CN=*.example.com, OU=SSL, O=Test, L=Test, C=DE", "CN=node.other.com, OU=SSL, O=Test, L=Test, C=DE"])
        #expect(try DistinguishedName(parsing: nodesDN[1]).description == "CN=node.other.com,OU=SSL,O=Test,L=Test,C=DE")
    }
}
