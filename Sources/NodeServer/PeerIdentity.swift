import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PKI
import X509

/// What the TLS layer knows about the client of one connection. A class: it is worked out once
/// per connection and travels with each of its requests, where copying a `Certificate` (a dozen
/// reference-counted parts) per request showed in the point-read profile.
public final class PeerIdentity: Sendable {
    /// The verified client certificate, or nil when none was sent (NONE mode, or OPTIONAL
    /// without a certificate) — and when one was sent that swift-certificates cannot model
    /// (e.g. signed with ecdsa-with-SHA1); `serialNumber` and `principal` are set then anyway.
    public let certificate: Certificate?
    /// The client certificate's serial number (for the CRL check), nil without a certificate.
    public let serialNumber: Certificate.SerialNumber?
    /// The principal string the security plugin derives from the certificate (reference §1.6),
    /// e.g. `CN=CLIENT1,OU=lab,O=certlab`.
    public let principal: String?
    public let tlsVersion: TLSVersion?

    /// Whether the client presented a (verified) certificate.
    public var hasCertificate: Bool { serialNumber != nil }

    public static let anonymous = PeerIdentity(certificate: nil, serialNumber: nil, principal: nil, tlsVersion: nil)

    init(certificate: Certificate?, serialNumber: Certificate.SerialNumber?, principal: String?, tlsVersion: TLSVersion?) {
        self.certificate = certificate
        self.serialNumber = serialNumber
        self.principal = principal
        self.tlsVersion = tlsVersion
    }

    /// The identity of the connection whose pipeline this is (on its event loop): anonymous
    /// when it has no TLS handler (`ssl.http.enabled: false`).
    convenience init(of pipeline: ChannelPipeline.SynchronousOperations) throws {
        guard let handler = try? pipeline.handler(type: NIOSSLServerHandler.self) else {
            self.init(certificate: nil, serialNumber: nil, principal: nil, tlsVersion: nil)
            return
        }
        try self.init(peer: handler.peerCertificate, tlsVersion: handler.tlsVersion)
    }

    /// The identity of a connection whose handshake gave `peer` (BoringSSL verified it already).
    convenience init(peer: NIOSSLCertificate?, tlsVersion: TLSVersion?) throws {
        guard let peer else {
            self.init(certificate: nil, serialNumber: nil, principal: nil, tlsVersion: tlsVersion)
            return
        }
        let der = try peer.toDERBytes()
        if let certificate = try? Certificate(derEncoded: der) {
            self.init(certificate: certificate, serialNumber: certificate.serialNumber, principal: certificate.principal,
                      tlsVersion: tlsVersion)
        } else {
            // BoringSSL verified it, swift-certificates cannot model it (SHA-1 ECDSA signature).
            let fields = try CertificateIdentityFields(derEncoded: der)
            self.init(certificate: nil, serialNumber: fields.serialNumber, principal: fields.principal, tlsVersion: tlsVersion)
        }
    }
}

/// Derives each connection's `PeerIdentity` once and reuses it for every request on that
/// connection: parsing the certificate per request cost 25–30 % of a trivial request (platform
/// notes), while a keep-alive client sends thousands of requests on one handshake.
public final class PeerIdentityCache: Sendable {
    private let entries = NIOLockedValueBox<[ObjectIdentifier: PeerIdentity]>([:])

    public init() {}

    /// The identity of `channel`'s peer; computed on the connection's first request.
    public func identity(of channel: any Channel) async throws -> PeerIdentity {
        let key = ObjectIdentifier(channel)
        if let known = entries.withLockedValue({ $0[key] }) { return known }
        let identity = try await channel.eventLoop.submit {
            try PeerIdentity(of: channel.pipeline.syncOperations)
        }.get()
        let inserted = entries.withLockedValue { entries -> Bool in
            guard entries[key] == nil else { return false }
            entries[key] = identity
            return true
        }
        if inserted {
            channel.closeFuture.whenComplete { [entries] _ in
                entries.withLockedValue { _ = $0.removeValue(forKey: key) }
            }
        }
        return identity
    }

    /// How many connections currently have a cached identity (for metrics and leak tests).
    public var count: Int { entries.withLockedValue { $0.count } }
}
