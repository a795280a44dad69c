import NIOSSL

/// How a client checks the node's certificate, with Filebeat's names (`ssl.verification_mode`,
/// lab-and-beats.md §3.2).
public enum VerificationMode: String, Sendable, CaseIterable {
    /// Chain to the configured CAs, then the host name against the SANs. BoringSSL falls back
    /// to the subject CN only when the certificate has no SAN at all; Filebeat falls back when
    /// it has no DNS SAN. The two differ only for a certificate with IP SANs and no DNS SAN
    /// reached by name, which this lab's certificates never are.
    case full
    /// Chain and host name against the SANs.
    case strict
    /// Chain only; any host name is accepted.
    case certificate
    /// No verification at all (Filebeat logs "SSL/TLS verifications disabled.").
    case none

    var certificateVerification: CertificateVerification {
        switch self {
        case .full, .strict: return .fullVerification
        case .certificate: return .noHostnameVerification
        case .none: return .none
        }
    }
}
