import Foundation
import X509

/// The single-certificate operations behind `cert-issuer issue`, `sign` and `revoke`, all working
/// on a folder that `init` created (they use its signing CA and keep its manifest and CRL current).
extension CertificateIssuance {
    /// Issues one certificate outside the plan and writes `NAME.pem` / `NAME-key.pem`.
    public static func issue(
        _ request: CertificateRequest, name: String, directory: CertificateDirectory, now: Date = Date()
    ) throws -> Certificate {
        let signer = try loadSigner(directory)
        var manifest = try CertificateManifest.load(from: directory)
        let issued = try signer.issue(request, now: now)
        var files = try output(
            name: name, certificate: issued.certificate, chain: signer.parents.isEmpty ? [] : [signer.certificate],
            key: issued.privateKey, planHash: "ad-hoc", signer: signer, manifest: &manifest)
        files.append(CertificateDirectory.File(name: CertificateManifest.fileName, content: try manifest.encoded(), mode: 0o644))
        try directory.commit(files)
        return issued.certificate
    }

    /// Signs a CSR (PEM or DER) with the folder's signing CA; returns the PEM to write (the
    /// certificate, plus the intermediate when there is one).
    public static func sign(
        csr bytes: [UInt8], source: String, profile: CertificateProfile, dnsNames: [String] = [], ipAddresses: [String] = [],
        validityDays: Int = 825, directory: CertificateDirectory, now: Date = Date()
    ) throws -> (certificate: Certificate, pem: String) {
        let csr: CertificateSigningRequest
        do {
            if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN ") {
                guard let document = try PEMFile.documents(text, source: source).first(where: { $0.discriminator.hasSuffix("CERTIFICATE REQUEST") })
                else { throw PKIError(.csr, "\(source): no \"-----BEGIN CERTIFICATE REQUEST-----\" block") }
                csr = try CertificateSigningRequest(derEncoded: document.derBytes)
            } else {
                csr = try CertificateSigningRequest(derEncoded: bytes)
            }
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(.csr, "\(source): not a valid PKCS#10 certificate request (\(error))")
        }
        let signer = try loadSigner(directory)
        let certificate = try signer.sign(
            csr: csr, profile: profile, dnsNames: dnsNames, ipAddresses: ipAddresses, validityDays: validityDays, now: now)
        return (certificate, try PEMFile.pem(chain: [certificate] + (signer.parents.isEmpty ? [] : [signer.certificate])))
    }

    /// Revokes a certificate by manifest name or serial and re-signs `crl.pem`. Returns the serial.
    @discardableResult
    public static func revoke(
        name: String?, serial: String?, reason: CertificateRevocationList.Reason?, directory: CertificateDirectory,
        crlValidityDays: Int = 30, now: Date = Date()
    ) throws -> String {
        let signer = try loadSigner(directory)
        var manifest = try CertificateManifest.load(from: directory)
        let hex: String
        if let serial {
            hex = CertificateSerial.hex(try CertificateSerial.parse(serial))
        } else if let name, let record = manifest.certificates[name] {
            hex = record.serial
        } else {
            throw PKIError(.crl, "no certificate named \"\(name ?? "")\" in \(directory.filePath(CertificateManifest.fileName)); pass --serial HEX instead")
        }
        guard !manifest.revoked.contains(where: { $0.serial == hex }) else {
            throw PKIError(.crl, "serial \(hex) is already revoked")
        }
        let recordedName = name ?? manifest.certificates.first(where: { $0.value.serial == hex })?.key
        manifest.revoked.append(.init(serial: hex, name: recordedName, date: CertificateCheck.iso(now), reason: reason?.name))
        let crl = try crlFile(signer: signer, manifest: &manifest, validityDays: crlValidityDays, now: now)
        try directory.commit([crl, CertificateDirectory.File(name: CertificateManifest.fileName, content: try manifest.encoded(), mode: 0o644)])
        return hex
    }

    /// The folder's CRL, if there is one.
    public static func loadCRL(_ directory: CertificateDirectory) throws -> CertificateRevocationList? {
        guard let bytes = directory.read(crlFile) else { return nil }
        return try CertificateRevocationList(fileContent: bytes, source: directory.filePath(crlFile))
    }
}
