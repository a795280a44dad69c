import HTTPTypes
import JSONValue
import SecurityEngine

/// A `NodeResponse` turned into what goes on the wire: status, header fields and body bytes,
/// with Elasticsearch's `filter_path` and `?pretty` applied to every JSON answer.
///
/// Both ways a response leaves the node use it — Hummingbird's responder (`NodeResponder`) and
/// the event-loop path for point reads (`InlineRequestHandler`) — so a client cannot tell which
/// one answered.
struct RenderedResponse {
    var status: Int
    /// Header fields in the order they are sent: the response's own, then `Content-Type` and
    /// `Content-Length` (each transport adds its `Date`).
    var headers: [(name: String, value: String)]
    /// The body; for `HEAD` it is empty and `Content-Length` still gives the length a `GET`
    /// would have had, as Elasticsearch answers `HEAD`.
    var bytes: [UInt8]

    static let jsonContentType = "application/json; charset=UTF-8"

    /// `closing`: the request asked for `Connection: close`; the response says so too, as
    /// Elasticsearch's `DefaultRestChannel` does, and the connection is closed after it.
    init(_ result: NodeResponse, for request: ElasticRequest, closing: Bool = false) {
        var bytes: [UInt8]
        var contentType: String?
        switch result.body {
        case .json(let json):
            bytes = Self.shaped(json, for: request)
            contentType = Self.jsonContentType
        case .text(let text):
            bytes = Array(text.utf8)
            contentType = "text/plain; charset=UTF-8"
        case .bytes(let raw, let type):
            bytes = raw
            contentType = type
            // The security plugin's JSON answers honour ?pretty and filter_path like any other.
            if !request.parameters.isEmpty, HeaderName.hasPrefix(type, "application/json"),
               request.flag("pretty") || request.parameters["filter_path"] != nil, let json = try? JSON(parsing: raw) {
                bytes = Self.shaped(json, for: request)
            }
        case .empty:
            bytes = []
        }
        // One pass, one allocation: the response's own fields without those this type sets.
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(result.headers.count + 3)
        for (name, value) in result.headers {
            let replaced = contentType != nil && HeaderName.equal(name, "content-type")
                || HeaderName.equal(name, "content-length") || closing && HeaderName.equal(name, "connection")
            if !replaced { headers.append((name: name, value: value)) }
        }
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        if closing { headers.append((name: "Connection", value: "close")) }
        headers.append((name: "Content-Length", value: String(bytes.count)))
        if request.method == "HEAD" { bytes = [] }
        self.status = result.status
        self.headers = headers
        self.bytes = bytes
    }

    /// The header fields as Hummingbird's `Response` takes them (names that are not valid
    /// tokens are dropped, as `HTTPField.Name` refuses them).
    var fields: HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }

    /// `filter_path` then `?pretty`, as Elasticsearch applies them to every JSON response.
    private static func shaped(_ json: JSON, for request: ElasticRequest) -> [UInt8] {
        if request.parameters.isEmpty { return json.serializedBytes() }
        var json = json
        if let filter = request.parameters["filter_path"].flatMap(FilterPath.init) { json = filter.apply(to: json) }
        return request.flag("pretty") ? Array(json.prettySerialized().utf8) : json.serializedBytes()
    }
}
