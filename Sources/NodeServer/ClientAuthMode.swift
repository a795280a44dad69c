import NIOSSL

/// The `ssl.http.clientauth_mode` setting (reference §1.3).
///
/// Parsing accepts any case, as OpenSearch 2.x does (it upper-cases the value); Open Distro was
/// case-sensitive, but refusing `optional` would only punish a config the newer product accepts.
public enum ClientAuthMode: String, Sendable, CaseIterable {
    /// Never asks for a certificate: no TLS principal exists, so neither the admin certificate nor
    /// the `clientcert` domain can work.
    case none = "NONE"
    /// Asks for a certificate and accepts a handshake without one; a presented certificate must
    /// still chain to the trusted CAs.
    case optional = "OPTIONAL"
    /// Fails the handshake when the client sends no certificate.
    case require = "REQUIRE"

    public init?(setting value: String) {
        self.init(rawValue: value.uppercased())
    }
}
