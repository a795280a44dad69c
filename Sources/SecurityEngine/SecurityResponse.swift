import JSONValue

/// A response the security layer decides on its own (401/403/503 of reference §7, REST API
/// bodies of §6.3). The node writes it unchanged.
public struct SecurityResponse: Sendable, Equatable {
    public var status: Int
    /// Extra headers, e.g. `WWW-Authenticate`.
    public var headers: [String: String]
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], contentType: String, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.contentType = contentType
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// `BytesRestResponse(status, String)`: `text/plain; charset=UTF-8` (reference §2.4).
    public static func text(_ status: Int, _ message: String, headers: [String: String] = [:]) -> SecurityResponse {
        SecurityResponse(status: status, headers: headers, contentType: "text/plain; charset=UTF-8", body: Array(message.utf8))
    }

    public static func json(_ status: Int, _ body: JSON) -> SecurityResponse {
        SecurityResponse(status: status, contentType: "application/json; charset=UTF-8", body: body.serializedBytes())
    }

    /// `{"status":"<NAME>","message":"..."}` of the REST API (reference §6.3).
    static func status(_ status: Int, _ message: String) -> SecurityResponse {
        json(status, ["status": .string(statusName(status)), "message": .string(message)])
    }

    /// The standard Elasticsearch error JSON for a `security_exception` (reference §7).
    public static func securityException(_ status: Int, reason: String) -> SecurityResponse {
        let cause: JSON = ["type": "security_exception", "reason": .string(reason)]
        return json(status, ["error": ["root_cause": [cause], "type": "security_exception", "reason": .string(reason)], "status": .int(Int64(status))])
    }

    /// `RestStatus` names (reference §6.3).
    public static func statusName(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "CREATED"
        case 400: return "BAD_REQUEST"
        case 401: return "UNAUTHORIZED"
        case 403: return "FORBIDDEN"
        case 404: return "NOT_FOUND"
        case 405: return "METHOD_NOT_ALLOWED"
        case 409: return "CONFLICT"
        case 500: return "INTERNAL_SERVER_ERROR"
        case 501: return "NOT_IMPLEMENTED"
        case 503: return "SERVICE_UNAVAILABLE"
        default: return String(status)
        }
    }
}
