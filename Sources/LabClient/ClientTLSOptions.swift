import NIOSSL
import PKI

/// The TLS side of a client: which CAs to trust, which certificate to present, how strictly to
/// check the node. Paths are PEM files; the key must be PKCS#8, as for the node itself.
public struct ClientTLSOptions: Sendable, Equatable {
    public var certificateAuthorities: [String]
    public var certificate: String?
    public var key: String?
    public var verification: VerificationMode
    /// `TLSv1.2`, `TLSv1.3` (Filebeat's `ssl.supported_protocols`); empty means both.
    public var supportedProtocols: [String]
    /// `ssl.key_passphrase`: the password of an encrypted PKCS#8 key.
    public var keyPassphrase: String?
    /// `ssl.ca_trusted_fingerprint`: hex SHA-256 of a CA certificate that is trusted when the
    /// node presents it in its chain (colons and case are ignored).
    public var caTrustedFingerprint: String?

    public init(certificateAuthorities: [String] = [], certificate: String? = nil, key: String? = nil,
                verification: VerificationMode = .full, supportedProtocols: [String] = [],
                keyPassphrase: String? = nil, caTrustedFingerprint: String? = nil) {
        self.certificateAuthorities = certificateAuthorities
        self.certificate = certificate
        self.key = key
        self.verification = verification
        self.supportedProtocols = supportedProtocols
        self.keyPassphrase = keyPassphrase
        self.caTrustedFingerprint = caTrustedFingerprint.map(Self.normalizedFingerprint)
    }

    /// Whether a handshake of our own must precede the HTTP client's (see `TLSHandshakeProbe`).
    public var needsPreflight: Bool {
        verification != .none && (caTrustedFingerprint != nil || verification == .strict)
    }

    /// `AB:cd:…` → `abcd…`, the form `PresentedChain.sha256Fingerprints` uses.
    public static func normalizedFingerprint(_ text: String) -> String {
        String(text.lowercased().filter { $0 != ":" && !$0.isWhitespace })
    }

    /// The NIOSSL client configuration, with every file read and checked now so that a bad
    /// path or key format is reported before any connection is attempted. `additionalRoots`
    /// are CA certificates (DER) trusted besides the configured or system ones.
    public func makeConfiguration(additionalRoots: [[UInt8]] = []) throws(LabClientError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verification.certificateVerification
        do {
            if !certificateAuthorities.isEmpty {
                let roots = try certificateAuthorities.flatMap { path in
                    try PEMFile.readCertificates(at: path).map { try NIOSSLCertificate(bytes: PEMFile.der($0), format: .der) }
                }
                configuration.trustRoots = .certificates(roots)
            }
            if !additionalRoots.isEmpty {
                configuration.additionalTrustRoots = [.certificates(try additionalRoots.map { try NIOSSLCertificate(bytes: $0, format: .der) })]
            }
            switch (certificate, key) {
            case (nil, nil):
                break
            case (let certificate?, let key?):
                let chain = try PEMFile.readCertificates(at: certificate)
                let privateKey = try ClientKeyFile.read(at: key, passphrase: keyPassphrase)
                guard let leaf = chain.first, leaf.publicKey == privateKey.publicKey else {
                    throw LabClientError.configuration("the key in \(key) does not belong to the certificate in \(certificate)")
                }
                configuration.certificateChain = try chain.map { .certificate(try NIOSSLCertificate(bytes: PEMFile.der($0), format: .der)) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(PrivateKeyFile.pem(privateKey).utf8), format: .pem))
            case (nil, _?):
                throw LabClientError.configuration("certificate file not configured (a key was given without its certificate)")
            case (_?, nil):
                throw LabClientError.configuration("key file not configured (a certificate was given without its key)")
            }
        } catch let error as LabClientError {
            throw error
        } catch {
            throw LabClientError.configuration("\(error)")
        }
        do {
            let range = try TLSProtocolVersion.range(of: supportedProtocols)
            configuration.minimumTLSVersion = range.lowerBound.nioVersion
            configuration.maximumTLSVersion = range.upperBound.nioVersion
        } catch {
            throw LabClientError.configuration("ssl.supported_protocols: \(error)")
        }
        return configuration
    }
}

extension TLSProtocolVersion {
    var nioVersion: TLSVersion { [TLSVersion.tlsv1, .tlsv11, .tlsv12, .tlsv13][rawValue - TLSProtocolVersion.tls1.rawValue] }
}
