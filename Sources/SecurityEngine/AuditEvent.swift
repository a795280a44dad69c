import Foundation
import JSONValue

/// One audit message in the plugin's format version 4 (reference §9, `AuditMessage`).
///
/// Field names and their order follow the plugin; absent values are omitted. Sinks (index,
/// log4j-style log line) live in the node; this type only builds the document.
public struct AuditEvent: Sendable, Hashable {
    public enum Layer: String, Sendable { case rest = "REST", transport = "TRANSPORT" }
    public enum Origin: String, Sendable { case rest = "REST", transport = "TRANSPORT", local = "LOCAL" }

    public var category: AuditCategory
    public var timestamp: Date
    public var nodeName: String
    public var nodeID: String
    public var nodeHostAddress: String
    public var nodeHostName: String
    public var clusterName: String
    public var layer: Layer = .rest
    public var origin: Origin = .rest
    public var remoteAddress: String?
    /// `<NONE>` for failed logins without credentials (reference §9).
    public var effectiveUser: String?
    public var initiatingUser: String?
    public var effectiveUserIsAdmin: Bool?
    public var restPath: String?
    public var restMethod: String?
    public var restParameters: [(String, String)] = []
    public var restHeaders: [(String, [String])] = []
    public var requestBody: String?
    public var privilege: String?
    public var traceIndices: [String]?
    public var traceResolvedIndices: [String]?
    /// `audit_request_exception_stacktrace`: the exception behind an SSL_EXCEPTION event (the
    /// plugin's `msg.addException(t)`); certlab writes the error's description, not a JVM trace.
    public var exceptionStacktrace: String?

    public init(category: AuditCategory, timestamp: Date, nodeName: String, nodeID: String, nodeHostAddress: String,
                nodeHostName: String, clusterName: String) {
        self.category = category
        self.timestamp = timestamp
        self.nodeName = nodeName
        self.nodeID = nodeID
        self.nodeHostAddress = nodeHostAddress
        self.nodeHostName = nodeHostName
        self.clusterName = clusterName
    }

    public static func == (lhs: AuditEvent, rhs: AuditEvent) -> Bool { lhs.json() == rhs.json() }
    public func hash(into hasher: inout Hasher) { hasher.combine(json()) }

    /// Sensitive bodies on user/password endpoints are replaced (reference §9).
    static let sensitivePath = try! NSRegularExpression(pattern: "/(_opendistro|_plugins)/_security/api/(account|internalusers|user).*")

    /// The document written to the audit sink.
    public func json(excludeSensitiveHeaders: Bool = true) -> JSON {
        var object = JSONObject()
        object["audit_format_version"] = 4
        object["audit_category"] = .string(category.rawValue)
        object["@timestamp"] = .string(AuditEvent.format(timestamp))
        object["audit_node_id"] = .string(nodeID)
        object["audit_node_name"] = .string(nodeName)
        object["audit_node_host_address"] = .string(nodeHostAddress)
        object["audit_node_host_name"] = .string(nodeHostName)
        object["audit_cluster_name"] = .string(clusterName)
        object["audit_request_layer"] = .string(layer.rawValue)
        object["audit_request_origin"] = .string(origin.rawValue)
        object.setIfPresent("audit_request_remote_address", remoteAddress)
        object.setIfPresent("audit_request_effective_user", effectiveUser)
        if let initiatingUser, initiatingUser != effectiveUser { object["audit_request_initiating_user"] = .string(initiatingUser) }
        if let effectiveUserIsAdmin { object["audit_request_effective_user_is_admin"] = .bool(effectiveUserIsAdmin) }
        object.setIfPresent("audit_rest_request_path", restPath)
        if !restParameters.isEmpty {
            object["audit_rest_request_params"] = .object(JSONObject(restParameters.map { ($0.0, JSON.string($0.1)) }))
        }
        let headers = restHeaders.filter { !excludeSensitiveHeaders || $0.0.lowercased() != "authorization" }
        if !headers.isEmpty {
            object["audit_rest_request_headers"] = .object(JSONObject(headers.map { ($0.0, JSON.array($0.1.map(JSON.string))) }))
        }
        object.setIfPresent("audit_rest_request_method", restMethod)
        if var body = requestBody {
            if let path = restPath, body.contains("password"),
               AuditEvent.sensitivePath.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil {
                body = "__SENSITIVE__"
            }
            object["audit_request_body"] = .string(body)
        }
        object.setIfPresent("audit_request_privilege", privilege)
        if let traceIndices { object.setStrings("audit_trace_indices", traceIndices) }
        if let traceResolvedIndices { object.setStrings("audit_trace_resolved_indices", traceResolvedIndices) }
        object.setIfPresent("audit_request_exception_stacktrace", exceptionStacktrace)
        return .object(object)
    }

    /// `yyyy-MM-dd'T'HH:mm:ss.SSSZZ` in UTC → `2026-11-29T17:01:02.345+00:00`. FoundationEssentials'
    /// ISO-8601 style, not `DateFormatter`: that one costs an ICU formatter per event and keeps
    /// ICU's data resident in an otherwise idle node.
    static func format(_ date: Date) -> String {
        String(date.formatted(timestampStyle).dropLast()) + "+00:00"
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
