import Foundation
import PKI
import Testing
import X509

/// The verification helpers shared by the node, `cert-issuer verify` and diagnostics.
struct CertificateCheckTests {
    let ca: CertificateAuthority
    let node: IssuedCertificate
    let client: IssuedCertificate

    init() throws {
        ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
        node = try ca.issue(CertificateRequest(
            subject: try DistinguishedName(parsing: "CN=search-node"), profile: .node, dnsNames: ["search-node", "*.lab.test"],
            ipAddresses: ["127.0.0.1"], validityDays: 10))
        client = try ca.issue(CertificateRequest(subject: try DistinguishedName(parsing: "CN=CLIENT1"), profile: .client))
    }

    @Test func chainToTheIssuingRootAndNotToAnother() async throws {
        #expect(await CertificateCheck.chain(node.certificate, roots: [ca.certificate]) == nil)
        let stranger = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
        let problem = await CertificateCheck.chain(node.certificate, roots: [stranger.certificate])
        #expect(problem?.message.hasPrefix("certificate CN=search-node does not chain to the given CA") == true)
        #expect(problem?.fix == "issue it from this CA (cert-issuer issue/sign) or pass the CA that issued it (issuer: CN=root,O=certlab)")
    }

    @Test func validityWindow() {
        #expect(CertificateCheck.validity(node.certificate) == nil)
        let later = Date().addingTimeInterval(11 * 86_400)
        #expect(CertificateCheck.validity(node.certificate, at: later)?.message == "certificate expired at \(CertificateCheck.iso(node.certificate.notValidAfter))")
        #expect(CertificateCheck.validity(node.certificate, at: Date().addingTimeInterval(-3600)) != nil)
    }

    @Test func extendedKeyUsageFitsTheUse() {
        #expect(CertificateCheck.extendedKeyUsage(node.certificate, for: .server) == nil)
        #expect(CertificateCheck.extendedKeyUsage(node.certificate, for: .client) == nil)
        #expect(CertificateCheck.extendedKeyUsage(client.certificate, for: .client) == nil)
        #expect(CertificateCheck.extendedKeyUsage(client.certificate, for: .server)
            == CertificateProblem("certificate lacks extended key usage serverAuth needed for server use", fix: "re-issue it with profile node"))
    }

    @Test func keyMatchesCertificate() {
        #expect(CertificateCheck.keyMatches(node.certificate, node.privateKey) == nil)
        #expect(CertificateCheck.keyMatches(node.certificate, client.privateKey)?.message == "private key does not match the certificate CN=search-node")
    }

    @Test func hostnameAndIPInSAN() {
        #expect(CertificateCheck.hostname(node.certificate, matches: "search-node") == nil)
        #expect(CertificateCheck.hostname(node.certificate, matches: "SEARCH-NODE") == nil)
        #expect(CertificateCheck.hostname(node.certificate, matches: "a.lab.test") == nil)
        #expect(CertificateCheck.hostname(node.certificate, matches: "a.b.lab.test") != nil)
        #expect(CertificateCheck.hostname(node.certificate, matches: "127.0.0.1") == nil)
        #expect(CertificateCheck.hostname(node.certificate, matches: "10.0.0.1")?.message == "no subject alternative name matches IP address 10.0.0.1")
        #expect(CertificateCheck.hostname(node.certificate, matches: "localhost")?.message == "no subject alternative name matches host localhost")
    }

    @Test func serialInCRL() throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let crl = try CertificateRevocationList(
            authority: ca, entries: [.init(serial: client.certificate.serialNumber, revocationDate: date, reason: .keyCompromise)], number: 1)
        #expect(CertificateCheck.notRevoked(node.certificate, crl: crl) == nil)
        #expect(CertificateCheck.notRevoked(client.certificate, crl: crl)?.message
            == "certificate serial \(CertificateSerial.hex(client.certificate.serialNumber)) is revoked since 2027-01-15T08:00:00Z (keyCompromise)")
    }

    @Test func inspectionReportsWhatTheNodeSees() throws {
        let inspection = CertificateInspection(node.certificate)
        #expect(inspection.username == "search-node")
        #expect(inspection.subjectAlternativeNames == ["DNS:search-node", "DNS:*.lab.test", "IP Address:127.0.0.1"])
        #expect(inspection.extendedKeyUsages == ["serverAuth", "clientAuth"])
        let lines = inspection.lines(crl: nil)
        #expect(lines[0] == "principal: CN=search-node   <- use this string in admin_dn / roles_mapping")
        #expect(lines.contains("key: EC P-256"))
        #expect(lines.last == "revocation: unknown (no CRL)")
    }
}
