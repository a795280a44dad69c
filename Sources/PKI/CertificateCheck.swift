import Foundation
import SwiftASN1
import X509

/// One problem found by a check, with the fix to apply. `cert-issuer verify` prints these.
public struct CertificateProblem: Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let fix: String

    public init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(message) — fix: \(fix)" }
}

/// What a certificate is going to be used for on the node's TLS port.
public enum CertificateUsage: String, Sendable, CaseIterable {
    /// A client presenting the certificate to the node (needs EKU clientAuth, reference §2.6).
    case client
    /// The node presenting the certificate to clients (needs EKU serverAuth).
    case server

    var requiredUsage: ExtendedKeyUsage.Usage { self == .client ? .clientAuth : .serverAuth }
}

/// The checks the node performs (or that make it fail far from the cause), as separate helpers so
/// the node, `cert-issuer verify` and diagnostics share one implementation.
public enum CertificateCheck {
    /// Chains `leaf` to `roots` with swift-certificates' RFC 5280 verifier (signatures, validity
    /// of every certificate now, CA flags). Returns nil when the chain is valid, else the reason.
    /// (Checking "as of" another time needs the library's SPI; ``validity(_:at:)`` covers the leaf.)
    public static func chain(
        _ leaf: Certificate, intermediates: [Certificate] = [], roots: [Certificate]
    ) async -> CertificateProblem? {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy() }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates)) {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            let detail = reasons.isEmpty ? "no path to a trusted root" : reasons.joined(separator: "; ")
            return CertificateProblem(
                "certificate \(leaf.principal) does not chain to the given CA (\(detail))",
                fix: "issue it from this CA (cert-issuer issue/sign) or pass the CA that issued it (issuer: \(leaf.issuerPrincipal))")
        }
    }

    /// The validity window at `time`.
    public static func validity(_ certificate: Certificate, at time: Date = Date()) -> CertificateProblem? {
        if time < certificate.notValidBefore {
            return CertificateProblem(
                "certificate is not valid before \(iso(certificate.notValidBefore))", fix: "check the clock, or re-issue it")
        }
        if time > certificate.notValidAfter {
            return CertificateProblem(
                "certificate expired at \(iso(certificate.notValidAfter))", fix: "re-issue it: cert-issuer init --force or cert-issuer issue")
        }
        return nil
    }

    /// The extended key usage fits the use (a certificate without the extension fits any use).
    public static func extendedKeyUsage(_ certificate: Certificate, for usage: CertificateUsage) -> CertificateProblem? {
        guard let eku = try? certificate.extensions.extendedKeyUsage, !eku.contains(usage.requiredUsage), !eku.contains(.any)
        else { return nil }
        let name = usage == .client ? "clientAuth" : "serverAuth"
        return CertificateProblem(
            "certificate lacks extended key usage \(name) needed for \(usage.rawValue) use",
            fix: "re-issue it with profile \(usage == .client ? "client or admin" : "node")")
    }

    /// The private key belongs to the certificate.
    public static func keyMatches(_ certificate: Certificate, _ key: Certificate.PrivateKey) -> CertificateProblem? {
        guard certificate.publicKey != key.publicKey else { return nil }
        return CertificateProblem(
            "private key does not match the certificate \(certificate.principal)",
            fix: "use the -key.pem file written together with this certificate")
    }

    /// `host` (DNS name, `*.` wildcards of one label, or IP literal) is among the SANs.
    public static func hostname(_ certificate: Certificate, matches host: String) -> CertificateProblem? {
        let names = (try? certificate.extensions.subjectAlternativeNames).map { Array($0) } ?? []
        if let ip = try? CertificateRequest.ipBytes(host) {
            if names.contains(where: { if case .ipAddress(let a) = $0 { return Array(a.bytes) == ip } else { return false } }) {
                return nil
            }
            return CertificateProblem(
                "no subject alternative name matches IP address \(host)", fix: "add the IP to the node's ips in the plan and re-issue")
        }
        let wanted = host.lowercased()
        for case .dnsName(let name) in names {
            let pattern = name.lowercased()
            if pattern == wanted { return nil }
            if pattern.hasPrefix("*."), let dot = wanted.firstIndex(of: "."), wanted[dot...] == pattern.dropFirst() { return nil }
        }
        return CertificateProblem(
            "no subject alternative name matches host \(host)", fix: "add \(host) to the node's dns names in the plan and re-issue")
    }

    /// The certificate's serial is not in `crl`.
    public static func notRevoked(_ certificate: Certificate, crl: CertificateRevocationList) -> CertificateProblem? {
        guard let entry = crl.entry(for: certificate.serialNumber) else { return nil }
        return CertificateProblem(
            "certificate serial \(CertificateSerial.hex(certificate.serialNumber)) is revoked since \(iso(entry.revocationDate))"
                + (entry.reason.map { " (\($0.name))" } ?? ""),
            fix: "issue a new certificate; revoked serials stay revoked")
    }

    /// ISO-8601 UTC without fractions, the format the plugin's cert API uses (reference §1.9).
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
