import JSONValue

/// Whole-type uploads as `securityadmin` performs them (reference §8): several types replaced
/// at once, only by the admin certificate, validated together before anything is written.
extension SecurityRestAPI {
    public enum UploadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The caller is not the admin certificate (securityadmin: "... is not an admin user").
        case notAdmin(String)
        /// A document failed validation; nothing was written.
        case invalid(ConfigError)
        /// The store refused the write (e.g. a concurrent change).
        case storage(String)

        public var description: String {
            switch self {
            case .notAdmin(let name): return "\(name) is not an admin user"
            case .invalid(let error): return error.description
            case .storage(let message): return message
            }
        }
    }

    /// Replaces the given types (YAML files or JSON documents with `_meta`) atomically; the
    /// other types stay as they are. Returns the new store version.
    public func upload(_ documents: [ConfigType: SourceDocument], caller: User) -> Result<Int, UploadError> {
        guard caller.isSuperAdmin else { return .failure(.notAdmin(caller.name)) }
        writeLockForUpload.lock()
        defer { writeLockForUpload.unlock() }
        var entries = service.configuration?.entries ?? [:]
        do {
            for (type, document) in documents { entries[type] = try SecurityConfiguration.checkMeta(document, type: type) }
            // Validate with the uploaded documents' own line tables so errors point into the files.
            var withMeta: [ConfigType: SourceDocument] = documents
            for (type, entry) in entries where documents[type] == nil {
                var root = JSONObject()
                root["_meta"] = ["type": .string(type.rawValue), "config_version": 2]
                for (key, value) in entry { root[key] = value }
                withMeta[type] = SourceDocument(file: type.fileName, root: .object(root))
            }
            let configuration = try SecurityConfiguration(documents: withMeta, flavor: flavor)
            var stored: [ConfigType: JSON] = [:]
            for type in documents.keys { stored[type] = configuration.storedDocument(type) }
            let version: Int
            do {
                version = try store.replace(stored, expectedVersion: try store.load()?.version ?? 0)
            } catch {
                return .failure(.storage("\(error)"))
            }
            service.install(configuration)
            return .success(version)
        } catch {
            return .failure(.invalid(error))
        }
    }
}
