import Foundation
import JSONValue

/// The complete, validated dynamic security configuration: what the plugin keeps in its
/// security index, merged with the static definitions (reference §3, §3.6).
///
/// Immutable: changes produce a new value (``replacing(_:with:)``) that is validated as a whole
/// before it may replace the loaded one, so a broken file or request never damages a good
/// configuration (issue 4).
public struct SecurityConfiguration: Sendable {
    public let flavor: Flavor
    public let dynamic: DynamicConfig
    public let internalUsers: NamedEntries<InternalUser>
    /// Includes the static roles.
    public let roles: NamedEntries<Role>
    public let roleMappings: NamedEntries<RoleMapping>
    /// Includes the static action groups.
    public let actionGroups: NamedEntries<ActionGroup>
    /// Includes the static tenants.
    public let tenants: NamedEntries<Tenant>
    /// `nodes_dn.yml`: cluster name → DN patterns.
    public let nodesDN: NamedEntries<[String]>
    public let audit: AuditConfig
    /// The entries of every present type as stored (without `_meta` and without statics).
    public let entries: [ConfigType: JSONObject]

    /// Loads `securityconfig/`-style YAML files from `directory`. The six required types must
    /// be present; `nodes_dn.yml`, `whitelist.yml`/`allowlist.yml` and `audit.yml` are optional.
    public init(directory: URL, flavor: Flavor) throws(ConfigError) {
        var documents: [ConfigType: SourceDocument] = [:]
        for type in ConfigType.allCases {
            let url = directory.appendingPathComponent(type.fileName)
            guard FileManager.default.fileExists(atPath: url.path) else {
                if ConfigType.required.contains(type) {
                    throw ConfigError(file: type.fileName, line: nil, key: "", message: "file not found in \(directory.path)")
                }
                continue
            }
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch {
                throw ConfigError(file: type.fileName, line: nil, key: "", message: "cannot read: \(error.localizedDescription)")
            }
            documents[type] = try SourceDocument(yaml: text, file: type.fileName)
        }
        try self.init(documents: documents, flavor: flavor)
    }

    /// Builds a configuration from per-type documents (YAML files, or JSON from the security
    /// index / REST API). Each document must carry `_meta: {type, config_version: 2}`.
    public init(documents: [ConfigType: SourceDocument], flavor: Flavor) throws(ConfigError) {
        var entries: [ConfigType: JSONObject] = [:]
        for (type, document) in documents {
            entries[type] = try SecurityConfiguration.checkMeta(document, type: type)
        }
        try self.init(entries: entries, documents: documents, flavor: flavor)
    }

    /// Builds from already-unwrapped entries (the store's form).
    public init(entries: [ConfigType: JSONObject], flavor: Flavor) throws(ConfigError) {
        try self.init(entries: entries, documents: [:], flavor: flavor)
    }

    private init(entries: [ConfigType: JSONObject], documents: [ConfigType: SourceDocument], flavor: Flavor) throws(ConfigError) {
        self.flavor = flavor
        self.entries = entries
        func document(_ type: ConfigType) -> SourceDocument {
            documents[type] ?? SourceDocument(file: type.fileName, root: .object(entries[type] ?? JSONObject()))
        }
        func read<T>(_ type: ConfigType, _ make: (inout ConfigReader) throws(ConfigError) -> T) throws(ConfigError) -> [(String, T)] {
            let doc = document(type)
            var result: [(String, T)] = []
            for (name, value) in entries[type] ?? JSONObject() {
                var reader = try ConfigReader(doc, path: "/" + name, value: value)
                result.append((name, try make(&reader)))
            }
            return result
        }
        func merge<T>(_ statics: [(String, T)], _ user: [(String, T)], _ type: ConfigType, _ noun: String) throws(ConfigError) -> NamedEntries<T> {
            var merged = NamedEntries(statics)
            for (name, value) in user {
                if merged[name] != nil {
                    throw document(type).error("/" + name, "Cannot override static \(noun)")
                }
                merged[name] = value
            }
            return merged
        }

        if let config = entries[.config] {
            guard let entry = config["config"] else {
                throw document(.config).error("", "A version of 2 must have a single toplevel key named 'config' for CONFIG")
            }
            dynamic = try DynamicConfig(document: document(.config), entry: entry)
        } else {
            dynamic = DynamicConfig()
        }
        internalUsers = NamedEntries(try read(.internalusers) { (reader) throws(ConfigError) in try InternalUser(reading: &reader) })
        roles = try merge(StaticDefinitions.roles(flavor), try read(.roles) { (reader) throws(ConfigError) in try Role(reading: &reader) }, .roles, "roles")
        roleMappings = NamedEntries(try read(.rolesmapping) { (reader) throws(ConfigError) in try RoleMapping(reading: &reader) })
        actionGroups = try merge(StaticDefinitions.actionGroups(flavor),
                                 try read(.actiongroups) { (reader) throws(ConfigError) in try ActionGroup(reading: &reader) }, .actiongroups, "action groups")
        tenants = try merge(StaticDefinitions.tenants(flavor), try read(.tenants) { (reader) throws(ConfigError) in try Tenant(reading: &reader) }, .tenants, "tenants")
        nodesDN = NamedEntries(try read(.nodesdn) { (reader) throws(ConfigError) in
            let patterns = try reader.strings("nodes_dn")
            try reader.finish()
            return patterns
        })
        if let audit = entries[.audit], let entry = audit["config"] {
            self.audit = try AuditConfig(document: document(.audit), entry: entry)
        } else {
            self.audit = AuditConfig()
        }
        for type in [ConfigType.whitelist, .allowlist] {
            guard let list = entries[type] else { continue }
            for (name, value) in list {
                guard name == "config" else { throw document(type).error("/" + name, "unknown key (expected: config)") }
                var reader = try ConfigReader(document(type), path: "/config", value: value)
                _ = try reader.bool("enabled", default: false)
                _ = try reader.object("requests")
                try reader.finish()
            }
        }
    }

    /// Checks `_meta` (reference §2.1, §3) and returns the entries without it.
    static func checkMeta(_ document: SourceDocument, type: ConfigType) throws(ConfigError) -> JSONObject {
        guard case .object(var object) = document.root else {
            throw document.error("", "expected a mapping of entries at the top level")
        }
        guard let meta = object["_meta"] else {
            throw document.error("", "missing _meta (expected _meta: {type: \"\(type.rawValue)\", config_version: 2}); version 1 (ES6) files are not supported")
        }
        var reader = try ConfigReader(document, path: "/_meta", value: meta)
        let metaType = try reader.string("type")
        let version = try reader.int("config_version", default: 0)
        try reader.finish()
        guard version == 2 else {
            throw document.error("/_meta/config_version", "config_version \(version) is not supported (expected 2)")
        }
        let acceptable = type == .whitelist || type == .allowlist ? ["whitelist", "allowlist"] : [type.rawValue]
        guard let metaType, acceptable.contains(metaType) else {
            throw document.error("/_meta/type", "expected '\(type.rawValue)', found '\(metaType ?? "nothing")'")
        }
        object.removeValue(forKey: "_meta")
        if type.isSingleEntry, type != .config, object.count > 1 || (object.count == 1 && object["config"] == nil) {
            let extra = object.keys.first { $0 != "config" } ?? ""
            throw document.error("/" + extra, "unknown key (expected: config)")
        }
        return object
    }

    /// A new configuration with the entries of `type` replaced; fully validated.
    public func replacing(_ type: ConfigType, with newEntries: JSONObject) throws(ConfigError) -> SecurityConfiguration {
        var all = entries
        all[type] = newEntries
        return try SecurityConfiguration(entries: all, flavor: flavor)
    }

    /// The document of `type` as the security index stores it: `_meta` first, then the entries.
    public func storedDocument(_ type: ConfigType) -> JSON? {
        guard let object = entries[type] else { return nil }
        var document = JSONObject()
        document["_meta"] = ["type": .string(type.rawValue), "config_version": 2]
        for (key, value) in object { document[key] = value }
        return .object(document)
    }
}
