import Foundation
import LabClient

extension ElasticsearchOutputConfig {
    /// Filebeat 8.x defaults (reference §3.1): bulk 1600, one worker, backoff 1 s → 60 s, timeout 90 s.
    static func read(_ section: ConfigSection, resolve: (String) -> String) throws(ConfigError) -> ElasticsearchOutputConfig {
        guard let hosts = try section.strings("hosts"), !hosts.isEmpty else {
            throw section.error("hosts", nil, "at least one host is required (URL or host:port)")
        }
        let scheme = try section.string("protocol") ?? "http"
        guard scheme == "http" || scheme == "https" else {
            throw section.error("protocol", nil, "expected http or https, found \"\(scheme)\"")
        }
        let prefix = try section.string("path") ?? ""
        var urls: [String] = []
        for host in hosts {
            guard let url = HostURL.make(host, defaultScheme: scheme, pathPrefix: prefix) else {
                throw section.error("hosts", nil, "\"\(host)\" is not a URL or host:port")
            }
            urls.append(url)
        }
        let username = try section.string("username")
        let password = try section.string("password")
        if (username == nil) != (password == nil) {
            throw section.error(username == nil ? "password" : "username", nil, "username and password must be set together")
        }
        var headers: [(String, String)] = []
        for (name, value) in try section.object("headers") ?? [:] { headers.append((name, value.stringValue ?? value.serialized())) }
        let backoff = try section.section("backoff")
        let tls = try readSSL(section, resolve: resolve, anyHTTPS: urls.contains { $0.hasPrefix("https://") })
        let policy = try section.section("non_indexable_policy")
        let deadLetter = try policy?.section("dead_letter_file")?.string("path").map(resolve)
        let worker = try section.int("worker")
        let workersAlias = try section.int("workers")
        let workers = worker ?? workersAlias ?? 1
        let bulkMaxSize = try section.int("bulk_max_size") ?? 1600
        return ElasticsearchOutputConfig(
            hosts: urls, username: username, password: password, headers: headers,
            index: try section.string("index") ?? "filebeat-%{[agent.version]}-%{+yyyy.MM.dd}",
            bulkMaxSize: bulkMaxSize <= 0 ? Int.max : bulkMaxSize, workers: max(1, workers),
            backoffInit: try backoff?.duration("init") ?? .seconds(1), backoffMax: try backoff?.duration("max") ?? .seconds(60),
            timeout: try section.duration("timeout") ?? .seconds(90), tls: tls,
            deadLetterFile: deadLetter)
    }

    /// `ssl.key_passphrase`, or the first line of the file `ssl.key_passphrase_path` names
    /// (both set is ambiguous and refused).
    private static func readPassphrase(_ ssl: ConfigSection, resolve: (String) -> String) throws(ConfigError) -> String? {
        let inline = try ssl.string("key_passphrase")
        guard let path = try ssl.string("key_passphrase_path").map(resolve) else { return inline }
        if inline != nil { throw ssl.error("key_passphrase_path", nil, "set either key_passphrase or key_passphrase_path, not both") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ssl.error("key_passphrase_path", nil, "cannot read the passphrase file \(path)")
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// `ssl.*` (reference §3.2): on by default when the section exists or a host is https.
    private static func readSSL(_ output: ConfigSection, resolve: (String) -> String, anyHTTPS: Bool) throws(ConfigError) -> ClientTLSOptions? {
        let ssl = try output.section("ssl")
        guard try ssl?.bool("enabled") ?? true, ssl != nil || anyHTTPS else { return nil }
        guard let ssl else { return ClientTLSOptions() }
        for key in ["certificate_authorities", "certificate", "key"] {
            for value in try ssl.strings(key) ?? [] where value.contains("-----BEGIN") {
                throw ssl.error(key, nil, "inline PEM is not supported by this shipper; give the path of a PEM file")
            }
        }
        let passphrase = try readPassphrase(ssl, resolve: resolve)
        let modeName = try ssl.string("verification_mode") ?? "full"
        guard let mode = VerificationMode(rawValue: modeName) else {
            throw ssl.error("verification_mode", nil, "expected full, strict, certificate or none, found \"\(modeName)\"")
        }
        let protocols = try ssl.strings("supported_protocols") ?? []
        for name in protocols where !["TLSv1", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"].contains(name) {
            throw ssl.error("supported_protocols", nil, "unknown protocol \"\(name)\"; expected TLSv1.1, TLSv1.2 or TLSv1.3")
        }
        let fingerprint = try ssl.string("ca_trusted_fingerprint").flatMap { $0.isEmpty ? nil : $0 }
        if let fingerprint {
            let hex = ClientTLSOptions.normalizedFingerprint(fingerprint)
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                throw ssl.error("ca_trusted_fingerprint", nil,
                                "expected the hex SHA-256 of a CA certificate (64 hex digits; openssl x509 -fingerprint -sha256 -noout -in ca.crt), found \"\(fingerprint)\"")
            }
        }
        let certificate = try ssl.string("certificate").map(resolve)
        let key = try ssl.string("key").map(resolve)
        if certificate != nil && key == nil { throw ssl.error("key", nil, "key file not configured (ssl.certificate is set)") }
        if key != nil && certificate == nil { throw ssl.error("certificate", nil, "certificate file not configured (ssl.key is set)") }
        let options = ClientTLSOptions(
            certificateAuthorities: (try ssl.strings("certificate_authorities") ?? []).map(resolve),
            certificate: certificate, key: key, verification: mode, supportedProtocols: protocols,
            keyPassphrase: passphrase, caTrustedFingerprint: fingerprint)
        return options
    }
}

/// Filebeat's host forms: a full URL, or `host[:port]` completed with `protocol`, port 9200
/// and the `path` prefix (reference §3.1).
enum HostURL {
    static func make(_ host: String, defaultScheme: String, pathPrefix: String) -> String? {
        var text = host
        if !text.contains("://") { text = defaultScheme + "://" + text }
        guard var components = URLComponents(string: text), let scheme = components.scheme, components.host?.isEmpty == false,
              scheme == "http" || scheme == "https" else { return nil }
        if components.port == nil { components.port = 9200 }
        var path = components.path
        if path.isEmpty || path == "/" { path = pathPrefix }
        if !path.isEmpty && !path.hasPrefix("/") { path = "/" + path }
        while path.hasSuffix("/") { path.removeLast() }
        components.path = path
        return components.string
    }
}
