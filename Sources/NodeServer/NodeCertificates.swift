import Foundation
import JSONValue
import NIOConcurrencyHelpers
import NIOSSL
import SecurityEngine
import X509

/// The node's HTTPS certificates at run time: `api/ssl/certs`, `sslinfo`, and the hot reload of
/// `api/ssl/{http|transport}/reloadcerts` (reference §1.9).
///
/// certlab has no transport layer; its node certificate stands for both, so the transport list
/// of `api/ssl/certs` repeats the HTTP one and a transport reload reloads the same files.
final class NodeCertificates: Sendable {
    private let settings: HTTPTLSSettings
    private let factory: HTTPTLSContextFactory
    private let holder: TLSContextHolder
    private let material: NIOLockedValueBox<HTTPTLSMaterial>
    private let reloadEnabled: Bool

    init(settings: HTTPTLSSettings, factory: HTTPTLSContextFactory, holder: TLSContextHolder, material: HTTPTLSMaterial, reloadEnabled: Bool) {
        self.settings = settings
        self.factory = factory
        self.holder = holder
        self.material = NIOLockedValueBox(material)
        self.reloadEnabled = reloadEnabled
    }

    var current: HTTPTLSMaterial { material.withLockedValue { $0 } }

    /// Answers the certificate endpoints; nil for every other security-plugin path.
    func handle(_ request: ElasticRequest, user: User?, identity: PeerIdentity, flavor: Flavor) -> NodeResponse? {
        let segments = Array(request.segments.drop(while: { $0 != "_security" }).dropFirst())
        switch (request.method, segments.count, segments.first) {
        case ("GET", 1, "sslinfo"):
            return .json(Self.sslInfo(identity, showDN: request.flag("show_dn"), local: current.chain))
        case ("GET", 3, "api") where segments[1] == "ssl" && segments[2] == "certs":
            guard user?.isSuperAdmin == true else { return .json([:], status: 403) }
            let list = JSON.array(current.chain.prefix(1).map(Self.describe))
            return .json(["http_certificates_list": list, "transport_certificates_list": list])
        case ("PUT", 4, "api") where segments[1] == "ssl" && segments[3] == "reloadcerts":
            return reload(type: segments[2], user: user, flavor: flavor, path: request.path)
        default:
            return nil
        }
    }

    private func reload(type: String, user: User?, flavor: Flavor, path: String) -> NodeResponse {
        guard reloadEnabled else {
            return .json(["status": "BAD_REQUEST",
                          "message": .string("no handler found for uri [\(path)] and method [PUT]. In order to use SSL reload functionality set \(flavor.settingsPrefix)ssl_cert_reload_enabled to true")],
                         status: 400)
        }
        guard user?.isSuperAdmin == true else { return .json([:], status: 403) }
        guard type == "http" || type == "transport" else {
            let prefix = flavor.restPrefix
            return .json(["message": .string("invalid uri path, please use \(prefix)/api/ssl/http/reload or \(prefix)/api/ssl/transport/reload")], status: 403)
        }
        do {
            let (fresh, key) = try factory.loadMaterial(settings)
            if let problem = Self.validationProblem(new: fresh.chain, current: current.chain) {
                return .json(["error": .string("ElasticsearchSecurityException[Error while initializing http SSL layer from PEM: java.lang.Exception: \(problem)]")],
                             status: 500)
            }
            let context = try factory.makeContext(settings, material: fresh, key: key)
            holder.replace(with: context)
            material.withLockedValue { $0 = fresh }
            return .json(["message": .string("updated \(type) certs")])
        } catch {
            return .json(["error": .string("ElasticsearchSecurityException[\(error)]")], status: 500)
        }
    }

    /// The plugin's `validateNewCerts`: every new certificate must outlive the earliest expiry
    /// of the current ones, and the issuer/subject/SAN triples must be the same set.
    /// X.509 times have whole seconds, so a certificate re-issued within the same second as the
    /// current one expires at the same instant and is refused, exactly as by the plugin.
    static func validationProblem(new: [Certificate], current: [Certificate]) -> String? {
        let earliest = current.map(\.notValidAfter).min() ?? .distantPast
        guard new.allSatisfy({ $0.notValidAfter > earliest }) else {
            return "New certificates should not expire before the current ones."
        }
        func triples(_ certificates: [Certificate]) -> [String] {
            certificates.map { "\($0.issuerPrincipal)/\($0.principal)/\(sanText($0))" }.sorted()
        }
        guard triples(new) == triples(current) else {
            return "New Certs do not have valid Issuer DN, Subject DN or SAN."
        }
        return nil
    }

    /// `GET .../sslinfo` (reference §1.9): what the TLS layer knows about this connection.
    /// BoringSSL is the provider here (the JVM plugin reports `JDK` or `OPENSSL`); NIOSSL does not
    /// expose the negotiated cipher suite, so `ssl_cipher` is null rather than a guess.
    static func sslInfo(_ identity: PeerIdentity, showDN: Bool, local: [Certificate]) -> JSON {
        var info: JSONObject = ["principal": identity.principal.map(JSON.string) ?? .null,
                                "peer_certificates": .string(identity.hasCertificate ? "1" : "0")]
        if showDN {
            info["peer_certificates_list"] = .array(identity.principal.map { [.string($0)] } ?? [])
            info["local_certificates_list"] = .array(local.map { .string($0.principal) })
        }
        let protocols: [TLSVersion: String] = [.tlsv1: "TLSv1", .tlsv11: "TLSv1.1", .tlsv12: "TLSv1.2", .tlsv13: "TLSv1.3"]
        info["ssl_protocol"] = identity.tlsVersion.flatMap { protocols[$0] }.map(JSON.string) ?? .null
        info["ssl_cipher"] = .null
        info["ssl_openssl_available"] = false
        info["ssl_openssl_version"] = -1
        info["ssl_openssl_version_string"] = .null
        info["ssl_openssl_non_available_cause"] = "certlab uses BoringSSL through SwiftNIO SSL"
        info["ssl_openssl_supports_key_manager_factory"] = false
        info["ssl_openssl_supports_hostname_validation"] = false
        info["ssl_provider_http"] = "BoringSSL"
        info["ssl_provider_transport_server"] = .null
        info["ssl_provider_transport_client"] = .null
        return .object(info)
    }

    /// One entry of `http_certificates_list`.
    static func describe(_ certificate: Certificate) -> JSON {
        ["issuer_dn": .string(certificate.issuerPrincipal), "subject_dn": .string(certificate.principal),
         "san": .string(sanText(certificate)),
         "not_before": .string(instant(certificate.notValidBefore)), "not_after": .string(instant(certificate.notValidAfter))]
    }

    /// Java's `getSubjectAlternativeNames().toString()`: `[[2, host], [7, 127.0.0.1], [8, 1.2.3]]`.
    static func sanText(_ certificate: Certificate) -> String {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return "null" }
        let entries = names.compactMap { name -> String? in
            switch name {
            case .dnsName(let host): return "[2, \(host)]"
            case .ipAddress(let bytes): return "[7, \(ipText(bytes.bytes))]"
            case .registeredID(let oid): return "[8, \(oid)]"
            case .rfc822Name(let mail): return "[1, \(mail)]"
            case .uniformResourceIdentifier(let uri): return "[6, \(uri)]"
            default: return nil
            }
        }
        return "[" + entries.joined(separator: ", ") + "]"
    }

    private static func ipText(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: bytes.startIndex, to: bytes.endIndex, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":")
    }

    /// `Instant.toString()`: ISO-8601 in UTC with seconds.
    private static func instant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
