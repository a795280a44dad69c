import Foundation
import FuzzSupport
import PKI

/// PEM/DER input (reference §1.8): certificate files, private keys and CRLs are read with
/// `PEMFile`, `PrivateKeyFile` and `CertificateRevocationList`; a certificate that parses then
/// goes where a peer certificate goes: its principal, the inspection lines of `cert-issuer
/// inspect`, the validity/EKU/hostname checks and the CRL lookup.
///
/// Properties beyond "does not crash": a parsed certificate serializes back to PEM that parses
/// to the same certificate, and its principal parses as a DN that renders the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPEM(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let certificates = try? PEMFile.certificates(from: bytes, source: "fuzz.pem") {
        let crl = try? CertificateRevocationList(fileContent: bytes, source: "fuzz.pem")
        for certificate in certificates {
            let principal = certificate.principal
            let reparsed = try? DistinguishedName(parsing: principal)
            fuzzCheck(reparsed?.description == principal, "principal \(principal.debugDescription) does not parse back to itself")
            _ = certificate.issuerPrincipal
            _ = CertificateInspection(certificate).lines(crl: crl, now: Date(timeIntervalSince1970: 1_800_000_000))
            _ = CertificateCheck.validity(certificate, at: Date(timeIntervalSince1970: 1_800_000_000))
            for usage in CertificateUsage.allCases { _ = CertificateCheck.extendedKeyUsage(certificate, for: usage) }
            _ = CertificateCheck.hostname(certificate, matches: "localhost")
            _ = CertificateCheck.hostname(certificate, matches: "127.0.0.1")
            if let crl { _ = CertificateCheck.notRevoked(certificate, crl: crl) }
            if let pem = try? PEMFile.pem(certificate) {
                let again = try? PEMFile.certificates(fromPEM: pem, source: "again.pem")
                fuzzCheck(again == [certificate], "certificate does not survive a PEM round trip")
            }
        }
    }
    if let crl = try? CertificateRevocationList(fileContent: bytes, source: "fuzz.crl") {
        _ = crl.entries.count
        _ = crl.issuer.description
    }
    if let key = try? PrivateKeyFile.key(fromPEM: text, source: "fuzz-key.pem") {
        _ = try? PrivateKeyFile.pem(key)
    }
    return 0
}
