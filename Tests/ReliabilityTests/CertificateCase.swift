import Crypto
import Foundation
import JSONValue
import LabTestSupport
import NodeServer

/// One client of the certificate matrix and what the node must do with it when it asks for a
/// certificate (OPTIONAL and REQUIRE). In NONE mode the node never asks, the client sends
/// nothing, and every case is an anonymous request (reference §1.3).
struct CertificateCase: Sendable, CustomStringConvertible {
    enum Expected: Sendable, Equatable {
        /// 200 from `authinfo` as this user; no audit event (AUTHENTICATED is disabled in the
        /// lab's audit.yml, as in the plugin's shipped one).
        case authenticated(user: String, principal: String, backendRoles: [String])
        /// The basic domain's challenge: 401 `Unauthorized` + `WWW-Authenticate`, FAILED_LOGIN
        /// with effective user `<NONE>` (reference §2.3, §7).
        case challenged
        /// The CRL check's 403 with SSL_EXCEPTION (reference §1.5).
        case revoked
        /// The handshake fails: the client reads `alert` (BoringSSL's name of the TLS alert the
        /// node sent) and the node writes an SSL_EXCEPTION whose exception names `reason`.
        case refused(alert: String, reason: String)
    }

    let name: String
    /// The certificate file name in `certs/` (nil: no certificate).
    let certificate: String?
    var leafOnly = false
    var foreignKey = false
    let expected: Expected

    var description: String { name }

    func identity(_ files: LabFiles) throws -> TLSProbe.Identity? {
        guard let certificate else { return nil }
        if foreignKey { return try TLSProbe.Identity(certificate: files.cert(certificate), signingWith: P256.Signing.PrivateKey()) }
        return try TLSProbe.Identity(certificate: files.cert(certificate), key: files.key(certificate), leafOnly: leafOnly)
    }

    func expected(in mode: ClientAuthMode) -> Expected {
        if mode == .none { return .challenged }
        if certificate == nil, mode == .require { return .refused(alert: "TLSV1_ALERT_CERTIFICATE_REQUIRED", reason: "PEER_DID_NOT_RETURN_A_CERTIFICATE") }
        return expected
    }

    /// BoringSSL's reason when the client's chain does not verify (JSSE: "PKIX path building failed").
    static let verifyFailed = "CERTIFICATE_VERIFY_FAILED"

    /// Every case. Where the reference says nothing the comment gives the behaviour chosen and why.
    static let all: [CertificateCase] = [
        CertificateCase(name: "no certificate", certificate: nil, expected: .challenged),
        CertificateCase(name: "valid lab client", certificate: "CLIENT1",
                        expected: .authenticated(user: "CLIENT1", principal: "CN=CLIENT1,OU=lab,O=certlab", backendRoles: ["lab"])),
        // The admin certificate authenticates as the super-admin named by the whole DN (§2.3 step 2).
        CertificateCase(name: "admin certificate", certificate: "admin",
                        expected: .authenticated(user: "CN=admin,OU=lab,O=certlab", principal: "CN=admin,OU=lab,O=certlab", backendRoles: [])),
        // JSSE/netty refuse an expired client chain in the handshake (reference §1.3, "Not in plugin code").
        CertificateCase(name: "expired", certificate: "expired",
                        expected: .refused(alert: "SSLV3_ALERT_CERTIFICATE_EXPIRED", reason: verifyFailed)),
        // Not yet valid: refused like expired (the reference is silent; JSSE fails the path
        // validation too). BoringSSL sends the same certificate_expired alert for both.
        CertificateCase(name: "not yet valid", certificate: "not-yet-valid",
                        expected: .refused(alert: "SSLV3_ALERT_CERTIFICATE_EXPIRED", reason: verifyFailed)),
        CertificateCase(name: "unknown CA", certificate: "stranger",
                        expected: .refused(alert: "TLSV1_ALERT_UNKNOWN_CA", reason: verifyFailed)),
        // A self-signed certificate is its own unknown CA.
        CertificateCase(name: "self-signed", certificate: "self-signed",
                        expected: .refused(alert: "TLSV1_ALERT_UNKNOWN_CA", reason: verifyFailed)),
        // serverAuth-only: JSSE's trust manager checks the clientAuth usage of a client chain,
        // so does BoringSSL (purpose "ssl_client"); the handshake is refused.
        CertificateCase(name: "wrong EKU (serverAuth only)", certificate: "server-only",
                        expected: .refused(alert: "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE", reason: verifyFailed)),
        CertificateCase(name: "revoked (CRL)", certificate: "revoked", expected: .revoked),
        // The node trusts the root only; without the intermediate the chain cannot be built.
        CertificateCase(name: "missing intermediate", certificate: "via-intermediate", leafOnly: true,
                        expected: .refused(alert: "TLSV1_ALERT_UNKNOWN_CA", reason: verifyFailed)),
        CertificateCase(name: "intermediate sent in the chain", certificate: "via-intermediate",
                        expected: .authenticated(user: "via-intermediate", principal: "CN=via-intermediate,OU=lab,O=certlab", backendRoles: ["lab"])),
        // The CertificateVerify signature does not match the certificate's key: decrypt_error
        // (RFC 8446 §4.4.3), which JSSE sends too.
        CertificateCase(name: "key/cert mismatch", certificate: "CLIENT1", foreignKey: true,
                        expected: .refused(alert: "TLSV1_ALERT_DECRYPT_ERROR", reason: "BAD_SIGNATURE")),
        // SHA-1 signed by the lab CA: JSSE only disables SHA-1 for chains anchored in the JDK's
        // own CAs (`SHA1 jdkCA`), and BoringSSL still verifies it, so it is accepted.
        CertificateCase(name: "SHA-1 signature", certificate: "sha1",
                        expected: .authenticated(user: "sha1", principal: "CN=sha1,OU=lab,O=certlab", backendRoles: ["lab"])),
        // RSA-1024: JSSE's floor is `RSA keySize < 1024`, so 1024 passes; so does BoringSSL.
        CertificateCase(name: "RSA-1024 key", certificate: "rsa-1024",
                        expected: .authenticated(user: "rsa-1024", principal: "CN=rsa-1024,OU=lab,O=certlab", backendRoles: ["lab"])),
        CertificateCase(name: "RSA-2048 key", certificate: "rsa-2048",
                        expected: .authenticated(user: "rsa-2048", principal: "CN=rsa-2048,OU=lab,O=certlab", backendRoles: ["lab"])),
        // Principal escaping as javax.naming.ldap.Rdn.toString() (reference §1.6); the user name
        // is the unescaped CN value (`Rdn.getValue()`, §2.6).
        CertificateCase(name: "escaped comma, plus and quotes in CN", certificate: "escaped",
                        expected: .authenticated(user: #"Doe, John+Jr "JJ""#, principal: #"CN=Doe\, John\+Jr \"JJ\",OU=lab,O=certlab"#, backendRoles: ["lab"])),
        CertificateCase(name: "escaped = ; < > # \\ in CN", certificate: "ldap-specials",
                        expected: .authenticated(user: #"a=b;c<d>e#f\g"#, principal: ##"CN=a\=b\;c\<d\>e\#f\\g,OU=lab,O=certlab"##, backendRoles: ["lab"])),
        // CN " padded ": X500Principal.toString() quotes it, and Rdn.unescapeValue drops one
        // unescaped trailing blank of a quoted value (JDK quirk, reproduced by PKI): the principal
        // is `CN=\ padded` and the user name " padded" — leading blank kept, trailing one lost.
        CertificateCase(name: "blanks around CN", certificate: "padded",
                        expected: .authenticated(user: " padded", principal: #"CN=\ padded,OU=lab,O=certlab"#, backendRoles: ["lab"])),
        // Multi-valued RDN: Rdn sorts its entries (CN before OU) and getType()/getValue() see only
        // the first, so the user is `multi` and `ops` is not a backend role.
        CertificateCase(name: "multi-valued RDN", certificate: "multi-valued",
                        expected: .authenticated(user: "multi", principal: "CN=multi+OU=ops,OU=lab,O=certlab", backendRoles: ["lab"])),
        CertificateCase(name: "unicode CN", certificate: "unicode",
                        expected: .authenticated(user: "Jürgen Müller 日本", principal: "CN=Jürgen Müller 日本,OU=lab,O=certlab", backendRoles: ["lab"])),
        // Empty subject, SAN only: the principal is empty, which the clientcert authenticator
        // treats as no certificate (`Strings.isNullOrEmpty`), so basic challenges.
        CertificateCase(name: "empty subject with SAN only", certificate: "san-only", expected: .challenged),
    ]
}
