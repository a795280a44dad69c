import Crypto
import Foundation
import SwiftASN1
import X509

/// `cert-issuer inspect`: what the node will make of a certificate — above all the principal string
/// to paste into `admin_dn` or a role mapping (reference §1.6/§1.7) and the user name that
/// `username_attribute: cn` yields (reference §2.6: the first CN, else the whole principal).
public struct CertificateInspection: Sendable {
    public let certificate: Certificate

    public init(_ certificate: Certificate) {
        self.certificate = certificate
    }

    /// `username_attribute: cn`: the first CN value in string order, or the whole principal.
    public var username: String {
        DistinguishedName(certificate.subject).values(of: "cn").first ?? certificate.principal
    }

    /// SANs as OpenSSL prints them (`DNS:x`, `IP Address:1.2.3.4`, `Registered ID:1.2.3`).
    public var subjectAlternativeNames: [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.map { name in
            switch name {
            case .dnsName(let dns): return "DNS:\(dns)"
            case .ipAddress(let octets): return "IP Address:\(Self.ipString(Array(octets.bytes)))"
            case .registeredID(let oid): return "Registered ID:\(oid)"
            case .rfc822Name(let mail): return "email:\(mail)"
            case .uniformResourceIdentifier(let uri): return "URI:\(uri)"
            default: return "\(name)"
            }
        }
    }

    /// EKU names as OpenSSL's short names (`serverAuth`, `clientAuth`) or dotted OIDs.
    public var extendedKeyUsages: [String] {
        guard let eku = try? certificate.extensions.extendedKeyUsage else { return [] }
        return eku.map { usage in
            switch usage {
            case .serverAuth: return "serverAuth"
            case .clientAuth: return "clientAuth"
            default: return "\(usage)"
            }
        }
    }

    /// SHA-256 over the DER, upper-case hex pairs joined by `:` (`openssl x509 -fingerprint -sha256`).
    public var sha256Fingerprint: String {
        let der = (try? PEMFile.der(certificate)) ?? []
        return SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The report lines, `label: value`; `crl` adds the revocation status.
    public func lines(crl: CertificateRevocationList?, now: Date = Date()) -> [String] {
        let state: String
        if now < certificate.notValidBefore {
            state = "not yet valid"
        } else if now > certificate.notValidAfter {
            state = "EXPIRED"
        } else {
            state = "valid"
        }
        var revocation = "unknown (no CRL)"
        if let crl {
            if let entry = crl.entry(for: certificate.serialNumber) {
                revocation = "REVOKED since \(CertificateCheck.iso(entry.revocationDate))" + (entry.reason.map { " (\($0.name))" } ?? "")
            } else {
                revocation = "not revoked (CRL number \(crl.number), next update \(CertificateCheck.iso(crl.nextUpdate)))"
            }
        }
        let pairs: [(String, String)] = [
            ("principal", certificate.principal + "   <- use this string in admin_dn / roles_mapping"),
            ("username (cn)", username),
            ("issuer", certificate.issuerPrincipal),
            ("serial", CertificateSerial.hex(certificate.serialNumber)),
            ("not before", CertificateCheck.iso(certificate.notValidBefore)),
            ("not after", CertificateCheck.iso(certificate.notValidAfter) + " (\(state))"),
            ("key", KeyType.describe(certificate.publicKey)),
            ("extended key usage", extendedKeyUsages.isEmpty ? "(none)" : extendedKeyUsages.joined(separator: ", ")),
            ("subject alt names", subjectAlternativeNames.isEmpty ? "(none)" : subjectAlternativeNames.joined(separator: ", ")),
            ("sha256 fingerprint", sha256Fingerprint),
            ("revocation", revocation),
        ]
        return pairs.map { "\($0.0): \($0.1)" }
    }

    static func ipString(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return bytes.map { String(format: "%02X", $0) }.joined() }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16, uppercase: true) }
            .joined(separator: ":")
    }
}
