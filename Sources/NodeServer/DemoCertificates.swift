import PKI
import X509

/// The Open Distro demo certificates (reference §1.10) are public: anybody holding the download
/// holds their private keys. Like the plugin, the node refuses to start with them unless
/// `allow_unsafe_democertificates: true` says the user knows.
enum DemoCertificates {
    /// Subjects and issuer of the demo material, as principal strings.
    static let principals: Set<String> = [
        "CN=node-0.example.com,OU=node,O=node,L=test,DC=de",
        "CN=kirk,OU=client,O=client,L=test,C=de",
        "CN=Example Com Inc. Root CA,OU=Example Com Inc. Root CA,O=Example Com Inc.,DC=example,DC=com",
    ]

    /// The plugin's start-up failure when demo material is found and not explicitly allowed.
    static func check(_ certificates: [Certificate], prefix: String, allowed: Bool) throws(HTTPTLSError) {
        guard !allowed, certificates.contains(where: { principals.contains($0.principal) }) else { return }
        throw HTTPTLSError(setting: prefix + "allow_unsafe_democertificates",
                           reason: "Demo certificates found but \(prefix)allow_unsafe_democertificates is set to false. Generate your own with cert-issuer init, or set it to true for a throw-away demo.")
    }
}
