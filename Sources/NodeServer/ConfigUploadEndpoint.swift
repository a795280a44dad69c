import JSONValue
import SecurityEngine

/// `{prefix}/api/certlab/securityconfig`: the securityadmin path of certlab (reference §8).
///
/// The real tool writes each YAML file as a document of the `.opendistro_security` index and
/// then asks every node to reload. certlab keeps the configuration in its own store, so the same
/// job is one endpoint, restricted to the admin certificate like the security index itself:
/// - `PUT` with `{"<type>": "<YAML text>" | {JSON document with _meta}, ...}` replaces exactly the
///   named types, all or none, after validating them together with the rest (errors name the
///   file, line and key); `?expected_version=N` makes it fail when somebody changed the
///   configuration since version N was read.
/// - `GET` returns `{"version": N, "documents": {"<type>": {...}, ...}}`, what `retrieve` and
///   `diff` work from.
struct ConfigUploadEndpoint: Sendable {
    let api: SecurityRestAPI

    static func matches(_ request: ElasticRequest) -> Bool {
        let segments = Array(request.segments.drop(while: { $0 != "_security" }).dropFirst())
        return segments == ["api", "certlab", "securityconfig"]
    }

    func handle(_ request: ElasticRequest, user: User?) -> NodeResponse {
        guard let user, user.isSuperAdmin else {
            let name = user?.name ?? "<anonymous>"
            return status(403, "\(name) is not an admin user; only a certificate listed in \(api.service.flavor.settingsPrefix)authcz.admin_dn may read or replace the security configuration")
        }
        switch request.method {
        case "GET": return retrieve()
        case "PUT": return upload(request, user: user)
        default: return status(405, "Method \(request.method) not supported for this action.")
        }
    }

    private func retrieve() -> NodeResponse {
        do {
            guard let stored = try api.store.load() else { return status(404, "Security index not initialized") }
            var documents = JSONObject()
            for type in stored.documents.keys.sorted() { documents[type.rawValue] = stored.documents[type] }
            return .json(["version": .int(Int64(stored.version)), "documents": .object(documents)])
        } catch {
            return status(500, "\(error)")
        }
    }

    private func upload(_ request: ElasticRequest, user: User) -> NodeResponse {
        let body: JSON
        do {
            body = try JSON(parsing: request.body)
        } catch {
            return status(400, "request body is not JSON: \(error)")
        }
        guard let object = body.objectValue, !object.isEmpty else {
            return status(400, "expected an object of configuration types, e.g. {\"rolesmapping\": \"<YAML>\"}")
        }
        var documents: [ConfigType: SourceDocument] = [:]
        for (key, value) in object {
            guard let type = ConfigType(rawValue: key) else {
                return status(400, "unknown configuration type '\(key)'; expected one of \(ConfigType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            do {
                switch value {
                case .string(let yaml): documents[type] = try SourceDocument(yaml: yaml, file: type.fileName)
                case .object: documents[type] = SourceDocument(file: type.fileName, root: value)
                default: return status(400, "'\(key)' must be YAML text or a JSON object, found \(value.tokenName)")
                }
            } catch {
                return status(400, error.description)
            }
        }
        if let expected = request.parameters["expected_version"] {
            let current = (try? api.store.load())??.version ?? 0
            guard Int(expected) == current else {
                return status(409, "version conflict, required version [\(expected)], current version [\(current)]")
            }
        }
        switch api.upload(documents, caller: user) {
        case .success(let version):
            return .json(["status": "OK", "message": .string("Uploaded \(documents.count) configuration type(s)"),
                          "version": .int(Int64(version)), "types": .array(documents.keys.sorted().map { .string($0.rawValue) })])
        case .failure(.notAdmin(let name)):
            return status(403, "\(name) is not an admin user")
        case .failure(.invalid(let error)):
            return status(400, error.description)
        case .failure(.storage(let message)):
            return status(409, message)
        }
    }

    private func status(_ code: Int, _ message: String) -> NodeResponse {
        .json(["status": .string(SecurityResponse.statusName(code)), "message": .string(message)], status: code)
    }
}
