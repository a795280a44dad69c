import Foundation
import JSONValue

/// Node settings from an `elasticsearch.yml` / `opensearch.yml`-style file (reference §1.1,
/// §1.5, §1.7, §1.12, §9): flat dotted keys and nested YAML both work, as in Elasticsearch.
///
/// The security keys' prefix decides the flavor (`opendistro_security.` → Open Distro,
/// `plugins.security.` → OpenSearch; reference §0). Unknown security keys are rejected with
/// file, line and key, as Elasticsearch rejects unknown settings at startup.
public struct NodeSettings: Sendable {
    public enum ClientAuthMode: String, Sendable { case none = "NONE", optional = "OPTIONAL", require = "REQUIRE" }

    public var flavor: Flavor
    public var clusterName = "elasticsearch"
    public var nodeName = "node-1"
    public var networkHost = "127.0.0.1"
    public var httpPort = 9200
    public var httpSSLEnabled = false
    public var pemCertPath: String?
    public var pemKeyPath: String?
    public var pemKeyPassword: String?
    public var pemTrustedCAsPath: String?
    public var clientAuthMode: ClientAuthMode = .optional
    public var crlValidate = false
    public var crlFilePath: String?
    public var crlCheckOnlyEndEntities = true
    /// Parsed `authcz.admin_dn` (unparsable entries are skipped, as the plugin logs and ignores them; reference §1.7).
    public var adminDNs: [PKIName] = []
    public var nodesDN: [String] = []
    public var restAPIRolesEnabled: [String] = []
    /// `restapi.endpoints_disabled.<role>.<ENDPOINT>: [METHODS]` (reference §6.2).
    public var restAPIEndpointsDisabled: [String: [String: [String]]] = [:]
    /// `authcz.rest_impersonation_user.<user>: [patterns]`: whom `<user>` may impersonate with
    /// the `opendistro_security_impersonate_as` header (reference §1.12, §2.3).
    public var restImpersonationUsers: [String: [String]] = [:]
    public var rolesMappingResolution: RolesMappingResolution = .mappingOnly
    public var sslCertReloadEnabled = false
    public var auditType: String?
    public var cacheTTLMinutes = 60
    public var allowSecurityConfigModification = false
    public var nodesDNDynamicConfigEnabled = false
    public var passwordValidationRegex: String?
    public var passwordValidationErrorMessage = "Password does not match minimum criteria"
    /// Every setting as flat dotted key → value, for the node's own use.
    public var all: [String: JSON] = [:]

    public init(flavor: Flavor) {
        self.flavor = flavor
    }

    /// Reads a settings file; `flavor` forces the flavor, otherwise it comes from the key prefix.
    public init(contentsOf url: URL, flavor: Flavor? = nil) throws(ConfigError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ConfigError(file: url.lastPathComponent, line: nil, key: "", message: "cannot read: \(error.localizedDescription)")
        }
        try self.init(yaml: text, file: url.lastPathComponent, flavor: flavor)
    }

    public init(yaml text: String, file: String, flavor forced: Flavor? = nil) throws(ConfigError) {
        let document = try SourceDocument(yaml: text, file: file)
        var flat: [(key: String, path: String, value: JSON)] = []
        if case .object(let root) = document.root {
            NodeSettings.flatten(root, prefix: "", path: "", into: &flat)
        } else if !document.root.isNull {
            throw ConfigError(file: file, line: 1, key: "", message: "expected a mapping of settings")
        }
        let hasODFE = flat.contains { $0.key.hasPrefix(Flavor.openDistro.settingsPrefix) }
        let hasOS = flat.contains { $0.key.hasPrefix(Flavor.openSearch.settingsPrefix) }
        if forced == nil, hasODFE, hasOS {
            throw ConfigError(file: file, line: nil, key: "", message: "mixes opendistro_security.* and plugins.security.* keys; use one prefix")
        }
        self.init(flavor: forced ?? (hasOS ? .openSearch : .openDistro))
        var reader = SettingsReader(document: document)
        for entry in flat {
            all[entry.key] = entry.value
            try apply(entry.key, entry.value, path: entry.path, reader: &reader)
        }
    }

    private mutating func apply(_ key: String, _ value: JSON, path: String, reader: inout SettingsReader) throws(ConfigError) {
        switch key {
        case "cluster.name": clusterName = try reader.string(value, path)
        case "node.name": nodeName = try reader.string(value, path)
        case "network.host": networkHost = try reader.string(value, path)
        case "http.port": httpPort = try reader.int(value, path)
        default: break
        }
        let prefix = flavor.settingsPrefix
        guard key.hasPrefix(prefix) else { return }
        let name = String(key.dropFirst(prefix.count))
        switch name {
        case "ssl.http.enabled": httpSSLEnabled = try reader.bool(value, path)
        case "ssl.http.pemcert_filepath": pemCertPath = try reader.string(value, path)
        case "ssl.http.pemkey_filepath": pemKeyPath = try reader.string(value, path)
        case "ssl.http.pemkey_password": pemKeyPassword = try reader.string(value, path)
        case "ssl.http.pemtrustedcas_filepath": pemTrustedCAsPath = try reader.string(value, path)
        case "ssl.http.clientauth_mode":
            let text = try reader.string(value, path)
            // ODFE passes the raw string to ClientAuth.valueOf (case-sensitive); OS upper-cases it (reference §1.3).
            guard let mode = ClientAuthMode(rawValue: flavor == .openSearch ? text.uppercased() : text) else {
                throw reader.document.error(path, "expected NONE, OPTIONAL or REQUIRE, found '\(text)'")
            }
            clientAuthMode = mode
        case "ssl.http.crl.validate": crlValidate = try reader.bool(value, path)
        case "ssl.http.crl.file_path": crlFilePath = try reader.string(value, path)
        case "ssl.http.crl.check_only_end_entities": crlCheckOnlyEndEntities = try reader.bool(value, path)
        case "authcz.admin_dn":
            adminDNs = try reader.strings(value, path).compactMap { try? PKIName(parsing: $0) }
        case "nodes_dn": nodesDN = try reader.strings(value, path)
        case "restapi.roles_enabled": restAPIRolesEnabled = try reader.strings(value, path)
        case "roles_mapping_resolution":
            let text = try reader.string(value, path)
            guard let mode = RolesMappingResolution(rawValue: text) else {
                throw reader.document.error(path, "expected MAPPING_ONLY, BACKENDROLES_ONLY or BOTH, found '\(text)'")
            }
            rolesMappingResolution = mode
        case "ssl_cert_reload_enabled": sslCertReloadEnabled = try reader.bool(value, path)
        case "audit.type": auditType = try reader.string(value, path)
        case "cache.ttl_minutes": cacheTTLMinutes = try reader.int(value, path)
        case "unsupported.restapi.allow_securityconfig_modification": allowSecurityConfigModification = try reader.bool(value, path)
        case "nodes_dn_dynamic_config_enabled": nodesDNDynamicConfigEnabled = try reader.bool(value, path)
        case "restapi.password_validation_regex": passwordValidationRegex = try reader.string(value, path)
        case "restapi.password_validation_error_message": passwordValidationErrorMessage = try reader.string(value, path)
        default:
            if name.hasPrefix(Self.restImpersonationPrefix) {
                // The plugin reads these as settings groups, one per first key segment after the
                // prefix: a user name with a dot (or a nested map under a user) is never read there,
                // so it is refused here instead of being silently ignored.
                let user = String(name.dropFirst(Self.restImpersonationPrefix.count))
                guard !user.isEmpty, !user.contains(".") else {
                    throw reader.document.error(path, "expected authcz.rest_impersonation_user.<user>: [users], with no '.' in <user> "
                                                    + "(settings keys split at dots, so the plugin would never read [\(user)])")
                }
                restImpersonationUsers[user] = try reader.strings(value, path)
            } else if name.hasPrefix("restapi.endpoints_disabled.") {
                let parts = name.split(separator: ".").map(String.init)
                guard parts.count == 4 else { throw reader.document.error(path, "expected restapi.endpoints_disabled.<role>.<ENDPOINT>") }
                restAPIEndpointsDisabled[parts[2], default: [:]][parts[3]] = try reader.strings(value, path)
            } else if !NodeSettings.passThroughPrefixes.contains(where: { name.hasPrefix($0) }) && !NodeSettings.passThroughKeys.contains(name) {
                throw reader.document.error(path, "unknown setting [\(key)]")
            }
        }
    }

    /// Keys we accept without interpreting them (the node or other tools may read them from `all`).
    static let passThroughPrefixes = ["ssl.transport.", "ssl.http.", "audit.", "compliance.", "authcz.impersonation_dn.",
                                      "system_indices.", "protected_indices.", "restapi."]
    static let restImpersonationPrefix = "authcz.rest_impersonation_user."
    static let passThroughKeys: Set<String> = [
        "allow_unsafe_democertificates", "allow_default_init_securityindex", "enable_snapshot_restore_privilege",
        "check_snapshot_restore_write_privileges", "advanced_modules_enabled", "disabled", "ssl_only", "cert.oid",
        "config_index_name", "unsupported.allow_now_in_dls", "cert.intercluster_request_evaluator_class",
    ]

    /// Flattens nested maps into dotted keys (`a: {b: 1}` ≡ `a.b: 1`), as Elasticsearch does.
    private static func flatten(_ object: JSONObject, prefix: String, path: String, into result: inout [(key: String, path: String, value: JSON)]) {
        for (key, value) in object {
            let dotted = prefix.isEmpty ? key : prefix + "." + key
            if case .object(let child) = value {
                flatten(child, prefix: dotted, path: path + "/" + key, into: &result)
            } else {
                result.append((dotted, path + "/" + key, value))
            }
        }
    }
}

/// Scalar conversions for settings, with errors located in the file.
private struct SettingsReader {
    let document: SourceDocument

    func string(_ value: JSON, _ path: String) throws(ConfigError) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw document.error(path, "expected a string, found \(ConfigReader.kind(value))")
        }
    }

    func bool(_ value: JSON, _ path: String) throws(ConfigError) -> Bool {
        if let flag = value.boolValue { return flag }
        if let text = value.stringValue, text == "true" || text == "false" { return text == "true" }
        throw document.error(path, "expected true or false, found \(ConfigReader.kind(value))")
    }

    func int(_ value: JSON, _ path: String) throws(ConfigError) -> Int {
        if let number = value.intValue { return Int(number) }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw document.error(path, "expected an integer, found \(ConfigReader.kind(value))")
    }

    func strings(_ value: JSON, _ path: String) throws(ConfigError) -> [String] {
        if case .array(let items) = value {
            var result: [String] = []
            for (index, item) in items.enumerated() { result.append(try string(item, "\(path)/\(index)")) }
            return result
        }
        return [try string(value, path)]
    }
}
