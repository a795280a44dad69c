import JSONValue

/// What the node sends back for one request, before `?pretty` and `filter_path` are applied.
public struct NodeResponse: Sendable {
    public enum Body: Sendable {
        case json(JSON)
        case text(String)
        case bytes([UInt8], contentType: String)
        case empty
    }

    public var status: Int
    public var body: Body
    public var headers: [(String, String)]

    public init(status: Int = 200, body: Body, headers: [(String, String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    public static func json(_ body: JSON, status: Int = 200) -> NodeResponse {
        NodeResponse(status: status, body: .json(body))
    }
}
