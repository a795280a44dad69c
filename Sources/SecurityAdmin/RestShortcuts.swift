import Foundation
import JSONValue
import SecurityEngine

/// The modern subcommands that are not securityadmin steps: `diff`, `whoami` and `map-role`
/// (issue 6), each one or two requests to the node.
extension SecurityAdminTool {
    /// What uploading `source` would change on the node, per type and entry.
    public func diff(_ source: ConfigSource, target: AdminTarget) async throws(AdminError) -> ConfigDiff {
        try await withConnection(target) { (connection) throws(AdminError) in
            let info = try await connection.connect()
            try source.validate(flavor: info.flavor)
            let snapshot = try await connection.retrieve(info)
            let local = Dictionary(uniqueKeysWithValues: source.files.map { ($0.type, $0.document.root) })
            return ConfigDiff(local: local, remote: snapshot.documents)
        }
    }

    /// The node's `authinfo` for this certificate (the DN it saw, the user, the roles); works
    /// without a certificate too.
    public func whoami(target: AdminTarget) async throws(AdminError) -> JSON {
        let connection = try NodeConnection(baseURL: target.url, tls: target.tls)
        return try await withConnection(connection) { (connection) throws(AdminError) in
            let info = try await connection.connect()
            return try await connection.json("GET", info.flavor.restPrefix + "/authinfo")
        }
    }

    /// `PUT {prefix}/api/rolesmapping/ROLE` with the given users, backend roles and hosts
    /// (replaces that mapping, reference §6.1); returns the node's message.
    public func mapRole(_ role: String, users: [String], backendRoles: [String], hosts: [String],
                        target: AdminTarget) async throws(AdminError) -> String {
        guard !users.isEmpty || !backendRoles.isEmpty || !hosts.isEmpty else {
            throw .usage("give at least one --user, --backend-role or --host")
        }
        return try await withConnection(target) { (connection) throws(AdminError) in
            let info = try await connection.connect()
            var body = JSONObject()
            if !users.isEmpty { body["users"] = .array(users.map(JSON.string)) }
            if !backendRoles.isEmpty { body["backend_roles"] = .array(backendRoles.map(JSON.string)) }
            if !hosts.isEmpty { body["hosts"] = .array(hosts.map(JSON.string)) }
            let path = info.flavor.restPrefix + "/api/rolesmapping/" + (role.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? role)
            let response = try await connection.request("PUT", path, body: JSON.object(body).serializedBytes())
            let message = NodeConnection.message(of: response)
            if response.status == 403 {
                throw .notAdmin(message: message, principal: info.principal, settingsPrefix: info.flavor.settingsPrefix)
            }
            guard (200..<300).contains(response.status) else { throw .node(status: response.status, message: message) }
            return message
        }
    }

    private func withConnection<T>(_ target: AdminTarget, _ body: (NodeConnection) async throws(AdminError) -> T) async throws(AdminError) -> T {
        try await withConnection(try target.connection(), body)
    }

    private func withConnection<T>(_ connection: NodeConnection, _ body: (NodeConnection) async throws(AdminError) -> T) async throws(AdminError) -> T {
        let result: Result<T, AdminError>
        do { result = .success(try await body(connection)) } catch { result = .failure(error) }
        await connection.shutdown()
        return try result.get()
    }
}

extension SecurityAdminTool {
    /// A bcrypt hash at cost 12, as the plugin's `hash.sh` prints it (reference §8).
    public static func hash(_ password: String) -> String {
        SecurityEngineTools.bcryptHash(password)
    }

    /// `openDistro` / `openSearch` (case-insensitive), for `validate --flavor`.
    public static func flavor(named name: String) -> Flavor? {
        Flavor.allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }
}
