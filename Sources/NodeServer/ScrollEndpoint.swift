import JSONValue
import SearchEngine

extension ElasticAPI {
    /// `GET|POST /_search/scroll[/{scroll_id}]` reads a scroll's next page; `DELETE` frees
    /// scrolls. The id and keep-alive come from the path or the `scroll_id`/`scroll` parameters,
    /// and a JSON body's `scroll_id`/`scroll` replace them, as ES 7.10's `RestSearchScrollAction`
    /// and `RestClearScrollAction` read them (a body `scroll_id` may be a list when clearing).
    func scroll(_ request: ElasticRequest, pathId: String?, user: String?) throws(ElasticsearchError) -> NodeResponse {
        let clearing = request.method == "DELETE"
        var ids = (pathId ?? request.parameters["scroll_id"]).map { $0.split(separator: ",").map(String.init) } ?? []
        var keepAlive = request.parameters["scroll"]
        if let body = try optionalBody(request) {
            guard let object = body.objectValue else { throw ElasticsearchError.parsing("Expected [START_OBJECT] but found [\(body.tokenName)]") }
            for (key, value) in object {
                switch (key, value) {
                case ("scroll_id", .string(let text)):
                    ids = [text]
                case ("scroll_id", .array(let items)) where clearing && items.allSatisfy({ $0.stringValue != nil }):
                    ids = items.compactMap(\.stringValue)
                case ("scroll", .string(let text)) where !clearing:
                    keepAlive = text
                default:
                    throw ElasticsearchError.illegalArgument("Unknown parameter [\(key)] in request body or parameter is of the wrong type[\(value.tokenName)] ")
                }
            }
        }
        if clearing {
            if ids.isEmpty { throw ElasticsearchError.actionValidation(["no scroll ids specified"]) }
            return respond(try engine.clearScroll(ids == ["_all"] ? nil : ids, owner: user))
        }
        guard ids.count == 1, let id = ids.first else { throw ElasticsearchError.actionValidation(["scrollId is missing"]) }
        return respond(try engine.continueScroll(id, keepAlive: keepAlive, owner: user))
    }
}
