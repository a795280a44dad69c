import NIOSSL
import PKI
import SecurityEngine
import X509

public typealias ClientAuthMode = NodeSettings.ClientAuthMode

/// What the HTTPS layer is built from: the `...ssl.http.*` settings (reference §1.1) with paths
/// already resolved against the node's config directory.
public struct HTTPTLSSettings: Sendable, Equatable {
    public var certificateChainPath: String
    public var privateKeyPath: String
    public var trustedCAsPath: String?
    public var clientAuthMode: ClientAuthMode
    /// `enabled_protocols` in JSSE naming (`TLSv1.2`, `TLSv1.3`); empty means the default pair.
    public var enabledProtocols: [String]

    public init(certificateChainPath: String, privateKeyPath: String, trustedCAsPath: String?,
                clientAuthMode: ClientAuthMode = .optional, enabledProtocols: [String] = []) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustedCAsPath = trustedCAsPath
        self.clientAuthMode = clientAuthMode
        self.enabledProtocols = enabledProtocols
    }
}

/// The certificates a running HTTPS layer serves and trusts, kept for `api/ssl/certs` and for
/// the reload checks that compare old and new material (reference §1.9).
public struct HTTPTLSMaterial: Sendable {
    public var chain: [Certificate]
    public var trustedCAs: [Certificate]
}

/// A start-up or reload failure of the HTTPS layer, worded like the plugin's
/// `Error while initializing http SSL layer from PEM: ...` and naming the setting at fault.
public struct HTTPTLSError: Error, CustomStringConvertible, Sendable, Equatable {
    public let setting: String
    public let reason: String
    public var description: String { "Error while initializing http SSL layer from PEM: \(setting): \(reason)" }
}

/// Builds NIOSSL server contexts from PEM files.
///
/// Keys go through `PKI.PrivateKeyFile`, so a PKCS#1 or SEC1 key is refused with the reason and
/// the `openssl pkcs8` fix instead of an opaque BoringSSL error (reference §1.8).
public struct HTTPTLSContextFactory: Sendable {
    /// The settings prefix (`opendistro_security.ssl.http.` or `plugins.security.ssl.http.`),
    /// used to name the offending key in errors.
    public let settingsPrefix: String

    public init(settingsPrefix: String) {
        self.settingsPrefix = settingsPrefix
    }

    /// Loads and checks the PEM material named by `settings`.
    public func loadMaterial(_ settings: HTTPTLSSettings) throws(HTTPTLSError) -> (HTTPTLSMaterial, Certificate.PrivateKey) {
        let chain = try load("pemcert_filepath") { try PEMFile.readCertificates(at: settings.certificateChainPath) }
        guard let leaf = chain.first else {
            throw HTTPTLSError(setting: settingsPrefix + "pemcert_filepath", reason: "\(settings.certificateChainPath) holds no certificate")
        }
        let key = try load("pemkey_filepath") { try PrivateKeyFile.read(at: settings.privateKeyPath) }
        guard key.publicKey == leaf.publicKey else {
            throw HTTPTLSError(
                setting: settingsPrefix + "pemkey_filepath",
                reason: "the key in \(settings.privateKeyPath) does not belong to the certificate \(leaf.principal) in \(settings.certificateChainPath)")
        }
        var trusted: [Certificate] = []
        if let path = settings.trustedCAsPath {
            trusted = try load("pemtrustedcas_filepath") { try PEMFile.readCertificates(at: path) }
        } else if settings.clientAuthMode != .none {
            throw HTTPTLSError(setting: settingsPrefix + "pemtrustedcas_filepath",
                               reason: "must be set when clientauth_mode is \(settings.clientAuthMode.rawValue)")
        }
        return (HTTPTLSMaterial(chain: chain, trustedCAs: trusted), key)
    }

    /// A server context for `settings`; `material` and `key` come from `loadMaterial`.
    public func makeContext(_ settings: HTTPTLSSettings, material: HTTPTLSMaterial, key: Certificate.PrivateKey) throws(HTTPTLSError) -> NIOSSLContext {
        do {
            let chain = try material.chain.map { try NIOSSLCertificate(bytes: PEMFile.der($0), format: .der) }
            let keyPEM = try PrivateKeyFile.pem(key)
            let nioKey = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(nioKey))
            let (minimum, maximum) = try protocolRange(settings.enabledProtocols)
            configuration.minimumTLSVersion = minimum
            configuration.maximumTLSVersion = maximum
            switch settings.clientAuthMode {
            case .none: configuration.certificateVerification = .none
            case .optional: configuration.certificateVerification = .optionalVerification
            case .require: configuration.certificateVerification = .noHostnameVerification
            }
            if settings.clientAuthMode != .none {
                let roots = try material.trustedCAs.map { try NIOSSLCertificate(bytes: PEMFile.der($0), format: .der) }
                configuration.trustRoots = .certificates(roots)
                // Like JSSE, tell clients which CAs we accept so curl and browsers pick the right cert.
                configuration.sendCANameList = true
            }
            return try NIOSSLContext(configuration: configuration)
        } catch let error as HTTPTLSError {
            throw error
        } catch {
            throw HTTPTLSError(setting: settingsPrefix + "pemcert_filepath", reason: "\(error)")
        }
    }

    /// Maps `enabled_protocols` onto a NIOSSL version range; TLSv1.2 and TLSv1.3 when empty. The
    /// plugin's default list also names TLSv1.1, which current JDKs and BoringSSL's defaults both
    /// refuse, so it never takes effect there either.
    func protocolRange(_ names: [String]) throws(HTTPTLSError) -> (TLSVersion, TLSVersion) {
        do {
            let range = try TLSProtocolVersion.range(of: names)
            return (range.lowerBound.nioVersion, range.upperBound.nioVersion)
        } catch {
            throw HTTPTLSError(setting: settingsPrefix + "enabled_protocols", reason: error.message)
        }
    }

    private func load<T>(_ key: String, _ body: () throws -> T) throws(HTTPTLSError) -> T {
        do {
            return try body()
        } catch {
            throw HTTPTLSError(setting: settingsPrefix + key, reason: "\(error)")
        }
    }
}

extension TLSProtocolVersion {
    var nioVersion: TLSVersion { [TLSVersion.tlsv1, .tlsv11, .tlsv12, .tlsv13][rawValue - TLSProtocolVersion.tls1.rawValue] }
}
