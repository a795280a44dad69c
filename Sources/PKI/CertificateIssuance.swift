import Foundation
import X509

/// `cert-issuer init`: brings a certificate folder in line with a plan.
///
/// Idempotent by design: a certificate is re-issued only when it is missing, its plan entry
/// changed, its file no longer matches the manifest, its issuer was re-issued, or it expires within
/// `renewWithinDays`; `force` re-issues everything. A re-issued CA re-issues everything below it.
/// The CRL is re-signed when its CA changed, its revocations changed, or half of its lifetime has
/// passed. All outputs of one run are committed together (``CertificateDirectory/commit(_:)``).
public enum CertificateIssuance {
    public struct Options: Sendable {
        public var renewWithinDays: Int
        public var force: Bool
        public var now: Date

        public init(renewWithinDays: Int = 30, force: Bool = false, now: Date = Date()) {
            (self.renewWithinDays, self.force, self.now) = (renewWithinDays, force, now)
        }
    }

    /// What a run did, by certificate name.
    public struct Report: Sendable, Equatable {
        public var issued: [String] = []
        public var kept: [String] = []
        public var crlWritten = false

        public init(issued: [String] = [], kept: [String] = [], crlWritten: Bool = false) {
            (self.issued, self.kept, self.crlWritten) = (issued, kept, crlWritten)
        }
    }

    public static let rootFile = "root-ca"
    public static let intermediateFile = "intermediate-ca"
    public static let crlFile = "crl.pem"

    @discardableResult
    public static func initialize(plan: CertificatePlan, directory: CertificateDirectory, options: Options = Options()) throws -> Report {
        var manifest = try CertificateManifest.load(from: directory)
        var files: [CertificateDirectory.File] = []
        var report = Report()

        func resolve(_ entry: CertificatePlan.Entry, signer: CertificateAuthority?) throws -> (Certificate, Certificate.PrivateKey, Bool) {
            if let kept = try existing(entry, signer: signer, directory: directory, manifest: manifest, options: options) {
                report.kept.append(entry.name)
                return (kept.0, kept.1, false)
            }
            let issued: (Certificate, Certificate.PrivateKey)
            if let signer {
                let result = try signer.issue(try entry.request(), now: options.now)
                issued = (result.certificate, result.privateKey)
            } else {
                let root = try CertificateAuthority.root(
                    subject: try DistinguishedName(parsing: entry.dn), keyType: entry.keyType, validityDays: entry.validityDays, now: options.now)
                issued = (root.certificate, root.privateKey)
            }
            // Leaves issued by an intermediate carry it in their file, so the node can send the chain.
            let chain = entry.profile.isCertificateAuthority ? [] : (signer.map { $0.parents.isEmpty ? [] : [$0.certificate] } ?? [])
            files += try output(name: entry.name, certificate: issued.0, chain: chain, key: issued.1,
                                planHash: try CertificateManifest.planHash(entry), signer: signer, manifest: &manifest)
            report.issued.append(entry.name)
            return (issued.0, issued.1, true)
        }

        let (rootCert, rootKey, rootChanged) = try resolve(plan.ca, signer: nil)
        let root = try CertificateAuthority(certificate: rootCert, privateKey: rootKey)
        var signer = root
        var signerChanged = rootChanged
        if let intermediateEntry = plan.intermediate {
            let (cert, key, changed) = try resolve(intermediateEntry, signer: root)
            signer = try CertificateAuthority(certificate: cert, privateKey: key, parents: [root.certificate])
            signerChanged = signerChanged || changed
        }
        if plan.intermediate == nil { manifest.certificates[intermediateFile] = nil }  // root signs again
        for leaf in plan.leaves { _ = try resolve(leaf, signer: signer) }

        if signerChanged { manifest.revoked = [] }  // revocations name serials of the replaced CA
        let current = directory.read(crlFile).flatMap { try? CertificateRevocationList(fileContent: $0, source: crlFile) }
        if options.force || signerChanged
            || !isCurrent(current, signer: signer, manifest: manifest, validityDays: plan.crlValidityDays, now: options.now)
        {
            files.append(try crlFile(signer: signer, manifest: &manifest, validityDays: plan.crlValidityDays, now: options.now))
            report.crlWritten = true
        }
        files.append(CertificateDirectory.File(name: CertificateManifest.fileName, content: try manifest.encoded(), mode: 0o644))
        try directory.commit(files)
        return report
    }

    /// A CRL can stay when the signer signed it, it lists exactly the recorded revocations, and
    /// less than half of its lifetime has passed.
    private static func isCurrent(
        _ crl: CertificateRevocationList?, signer: CertificateAuthority, manifest: CertificateManifest, validityDays: Int, now: Date
    ) -> Bool {
        guard let crl, crl.isSigned(by: signer.certificate) else { return false }
        let listed = Set(crl.entries.map { CertificateSerial.hex($0.serial) })
        return listed == Set(manifest.revoked.map(\.serial)) && crl.nextUpdate >= now.addingTimeInterval(Double(validityDays) * 86_400 / 2)
    }

    /// The CA that signs leaves and the CRL: the intermediate when the manifest records one (the
    /// current plan has it), else the root.
    public static func loadSigner(_ directory: CertificateDirectory) throws -> CertificateAuthority {
        let root = try loadPair(rootFile, directory)
        guard try CertificateManifest.load(from: directory).certificates[intermediateFile] != nil else {
            return try CertificateAuthority(certificate: root.0, privateKey: root.1)
        }
        let intermediate = try loadPair(intermediateFile, directory)
        return try CertificateAuthority(certificate: intermediate.0, privateKey: intermediate.1, parents: [root.0])
    }

    /// A new signed CRL file listing the manifest's revocations, with the next CRL number.
    static func crlFile(
        signer: CertificateAuthority, manifest: inout CertificateManifest, validityDays: Int, now: Date
    ) throws -> CertificateDirectory.File {
        manifest.crlNumber += 1
        let crl = try CertificateRevocationList(
            authority: signer, entries: try manifest.crlEntries(), number: manifest.crlNumber, thisUpdate: now, validityDays: validityDays)
        return .public(crlFile, crl.pemString)
    }

    /// The files for one issued certificate (`NAME.pem` with any intermediate appended,
    /// `NAME-key.pem` at 0600) and its manifest record.
    static func output(
        name: String, certificate: Certificate, chain: [Certificate], key: Certificate.PrivateKey?, planHash: String,
        signer: CertificateAuthority?, manifest: inout CertificateManifest
    ) throws -> [CertificateDirectory.File] {
        let certText = try PEMFile.pem(chain: [certificate] + chain)
        manifest.certificates[name] = CertificateManifest.Record(
            planHash: planHash, serial: CertificateSerial.hex(certificate.serialNumber), subject: certificate.principal,
            notAfter: CertificateCheck.iso(certificate.notValidAfter),
            issuerSerial: CertificateSerial.hex((signer?.certificate ?? certificate).serialNumber),
            fileSHA256: CertificateManifest.sha256(Array(certText.utf8)))
        var files = [CertificateDirectory.File.public("\(name).pem", certText)]
        if let key { files.append(.key("\(name)-key.pem", try PrivateKeyFile.pem(key))) }
        return files
    }

    /// The certificate and key on disk for `entry`, when they can be kept as they are.
    private static func existing(
        _ entry: CertificatePlan.Entry, signer: CertificateAuthority?, directory: CertificateDirectory,
        manifest: CertificateManifest, options: Options
    ) throws -> (Certificate, Certificate.PrivateKey)? {
        guard !options.force, let record = manifest.certificates[entry.name],
            record.planHash == (try CertificateManifest.planHash(entry)),
            record.issuerSerial == (signer.map { CertificateSerial.hex($0.certificate.serialNumber) } ?? record.serial),
            let certBytes = directory.read("\(entry.name).pem"), CertificateManifest.sha256(certBytes) == record.fileSHA256,
            let pair = try? loadPair(entry.name, directory),
            pair.0.notValidAfter > options.now.addingTimeInterval(Double(options.renewWithinDays) * 86_400)
        else { return nil }
        return pair
    }

    private static func loadPair(_ name: String, _ directory: CertificateDirectory) throws -> (Certificate, Certificate.PrivateKey) {
        let certPath = directory.filePath("\(name).pem"), keyPath = directory.filePath("\(name)-key.pem")
        guard FileManager.default.fileExists(atPath: certPath) else {
            throw PKIError(.io, "\(certPath): missing; run cert-issuer init first")
        }
        guard let certificate = try PEMFile.readCertificates(at: certPath).first else {
            throw PKIError(.pemFormat, "\(certPath): no certificate")
        }
        let key = try PrivateKeyFile.read(at: keyPath)
        guard certificate.publicKey == key.publicKey else {
            throw PKIError(.keyMismatch, "\(keyPath): key does not match \(certPath)")
        }
        return (certificate, key)
    }
}
