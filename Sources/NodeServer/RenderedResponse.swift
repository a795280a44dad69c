import HTTPTypes
import JSONValue

/// A `NodeResponse` turned into what goes on the wire: status, header fields and body bytes,
/// with Elasticsearch's `filter_path` and `?pretty` applied to every JSON answer.
///
/// Both ways a response leaves the node use it — Hummingbird's responder (`NodeResponder`) and
/// the event-loop path for point reads (`InlineRequestHandler`) — so a client cannot tell which
/// one answered.
struct RenderedResponse {
    var status: HTTPResponse.Status
    var fields: HTTPFields
    /// The body; for `HEAD` it is empty and `Content-Length` still gives the length a `GET`
    /// would have had, as Elasticsearch answers `HEAD`.
    var bytes: [UInt8]

    init(_ result: NodeResponse, for request: ElasticRequest) {
        var fields = HTTPFields()
        for (name, value) in result.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        var bytes: [UInt8]
        switch result.body {
        case .json(let json):
            bytes = Self.shaped(json, for: request)
            fields[.contentType] = "application/json; charset=UTF-8"
        case .text(let text):
            bytes = Array(text.utf8)
            fields[.contentType] = "text/plain; charset=UTF-8"
        case .bytes(let raw, let contentType):
            bytes = raw
            fields[.contentType] = contentType
            // The security plugin's JSON answers honour ?pretty and filter_path like any other.
            if contentType.hasPrefix("application/json"), request.flag("pretty") || request.parameters["filter_path"] != nil,
               let json = try? JSON(parsing: raw) {
                bytes = Self.shaped(json, for: request)
            }
        case .empty:
            bytes = []
        }
        fields[.contentLength] = String(bytes.count)
        if request.method == "HEAD" { bytes = [] }
        self.status = HTTPResponse.Status(code: result.status)
        self.fields = fields
        self.bytes = bytes
    }

    /// `filter_path` then `?pretty`, as Elasticsearch applies them to every JSON response.
    private static func shaped(_ json: JSON, for request: ElasticRequest) -> [UInt8] {
        var json = json
        if let filter = request.parameters["filter_path"].flatMap(FilterPath.init) { json = filter.apply(to: json) }
        return request.flag("pretty") ? Array(json.prettySerialized().utf8) : json.serializedBytes()
    }
}
