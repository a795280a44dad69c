import Foundation
import JSONValue
import LabClient
import SecurityEngine

/// What `security-admin` needs from the node, over HTTPS with the admin certificate: the
/// product (`GET /`), the DN the node sees (`authinfo`), and the configuration endpoint
/// `{prefix}/api/certlab/securityconfig` that stands in for the security index (reference §8).
public final class NodeConnection: Sendable {
    /// Facts about the node from `GET /` and `authinfo`.
    public struct NodeInfo: Sendable {
        public var flavor: Flavor
        public var clusterName: String
        public var versionNumber: String
        /// The TLS principal as the node printed it (`authinfo.principal`), nil without a certificate.
        public var principal: String?
        public var userName: String?
    }

    /// The stored configuration: version and the documents with `_meta`.
    public struct Snapshot: Sendable {
        public var version: Int
        public var documents: [ConfigType: JSON]
    }

    public let baseURL: String
    private let client: LabClient

    public init(baseURL: String, tls: ClientTLSOptions, timeout: Duration = .seconds(30)) throws(AdminError) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        do {
            client = try LabClient(tls: tls, timeout: timeout)
        } catch {
            throw .usage(error.description)
        }
    }

    /// `host:port` of the base URL, for the familiar "Will connect to ..." line.
    public var endpoint: String {
        let url = URL(string: baseURL)
        return "\(url?.host ?? baseURL):\(url?.port ?? 9200)"
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Reads `authinfo` (legacy prefix, which both flavors route) and `GET /`; the flavor
    /// decides the REST prefix used afterwards. A certificate user without
    /// `cluster:monitor/main` gets 403 on `GET /`: the node is there, so that is no failure
    /// (the version then reads `unknown`), and the admin check that follows explains the rest.
    public func connect() async throws(AdminError) -> NodeInfo {
        var info = NodeInfo(flavor: .openDistro, clusterName: "", versionNumber: "unknown", principal: nil, userName: nil)
        let auth = try await request("GET", Flavor.openDistro.restPrefix + "/authinfo")
        if auth.status == 200, let body = try? JSON(parsing: auth.body) {
            info.principal = body["principal"]?.stringValue
            info.userName = body["user_name"]?.stringValue
        }
        let root = try await request("GET", "/")
        if root.status == 403, info.userName != nil { return info }
        guard root.status == 200, let body = try? JSON(parsing: root.body) else {
            throw .node(status: root.status, message: Self.message(of: root))
        }
        let version = body["version"]
        info.flavor = version?["distribution"]?.stringValue == "opensearch" ? .openSearch : .openDistro
        info.clusterName = body["cluster_name"]?.stringValue ?? ""
        info.versionNumber = version?["number"]?.stringValue ?? "unknown"
        return info
    }

    /// `GET` of the configuration endpoint.
    public func retrieve(_ info: NodeInfo) async throws(AdminError) -> Snapshot {
        let body = try checked(info, try await request("GET", Self.configPath(info.flavor)))
        var documents: [ConfigType: JSON] = [:]
        for (name, document) in body["documents"]?.objectValue ?? JSONObject() {
            if let type = ConfigType(rawValue: name) { documents[type] = document }
        }
        return Snapshot(version: Int(body["version"]?.intValue ?? 0), documents: documents)
    }

    /// One `PUT` with every type: the node replaces all of them or none. Returns the new version.
    public func upload(_ source: ConfigSource, info: NodeInfo, expectedVersion: Int? = nil) async throws(AdminError) -> Int {
        var object = JSONObject()
        for (type, text) in source.uploadBody { object[type] = .string(text) }
        return try await upload(object, info: info, expectedVersion: expectedVersion)
    }

    /// `PUT` of documents already in JSON form (reload re-sends what the node has).
    public func upload(_ object: JSONObject, info: NodeInfo, expectedVersion: Int? = nil) async throws(AdminError) -> Int {
        var path = Self.configPath(info.flavor)
        if let expectedVersion { path += "?expected_version=\(expectedVersion)" }
        let body = try checked(info, try await request("PUT", path, body: JSON.object(object).serializedBytes()))
        return Int(body["version"]?.intValue ?? 0)
    }

    /// Any request, with transport failures turned into `AdminError.unreachable`.
    public func request(_ method: String, _ path: String, body: [UInt8]? = nil) async throws(AdminError) -> LabResponse {
        do {
            return try await client.send(method, baseURL + path, body: body)
        } catch {
            throw .unreachable(endpoint: endpoint, reason: error.description)
        }
    }

    /// A request whose 2xx body is JSON.
    public func json(_ method: String, _ path: String, body: [UInt8]? = nil) async throws(AdminError) -> JSON {
        let response = try await request(method, path, body: body)
        guard (200..<300).contains(response.status) else {
            throw .node(status: response.status, message: Self.message(of: response))
        }
        do { return try JSON(parsing: response.body) } catch {
            throw .node(status: response.status, message: "the answer is not JSON: \(response.bodyText.prefix(200))")
        }
    }

    static func configPath(_ flavor: Flavor) -> String { flavor.restPrefix + "/api/certlab/securityconfig" }

    private func checked(_ info: NodeInfo, _ response: LabResponse) throws(AdminError) -> JSON {
        if response.status == 403 || response.status == 401 {
            throw .notAdmin(message: Self.message(of: response), principal: info.principal, settingsPrefix: info.flavor.settingsPrefix)
        }
        guard (200..<300).contains(response.status), let body = try? JSON(parsing: response.body) else {
            throw .node(status: response.status, message: Self.message(of: response))
        }
        return body
    }

    /// The `message` of a `{"status","message"}` body, else the body text.
    static func message(of response: LabResponse) -> String {
        if let body = try? JSON(parsing: response.body), let message = body["message"]?.stringValue { return message }
        let text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(response.status)" : text
    }
}
