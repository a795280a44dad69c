import Foundation
import JSONValue

/// The scroll API (ES 7.10 `RestSearchAction` with `scroll`, `RestSearchScrollAction`,
/// `RestClearScrollAction`) over `ScrollContexts`.
extension SearchEngine {
    /// `GET|POST /{index}/_search?scroll=1m`: the first page, with the `_scroll_id` that reads
    /// the next ones. `owner` is the authenticated user (nil without security).
    public func openScroll(_ expression: String, _ request: SearchRequest, keepAlive text: String, owner: String?,
                           ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let keepAlive = try Self.keepAlive(text, parameter: "scroll")
        var problems: [String] = []
        if request.from > 0 { problems.append("using [from] is not allowed in a scroll context") }
        if request.size == 0 { problems.append("[size] cannot be [0] in a scroll context") }
        if request.searchAfter != nil { problems.append("`search_after` cannot be used in a scroll context.") }
        if !problems.isEmpty { throw .actionValidation(problems) }
        let started = DispatchTime.now().uptimeNanoseconds
        let names = try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable)
        let (ranking, body) = try read(searching: true) { db, catalog in
            let execution = try SearchExecution(db: db, targets: Self.targets(db, catalog, names, request.query), request: request)
            let ranking = try execution.rank(limit: nil)
            return (ranking, try execution.body(ranking, page: Array(ranking.candidates.prefix(request.size)), aggregations: true))
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<ScrollId.secretLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let context = try scrolls.open(ScrollContexts.Context(
            owner: owner, secret: secret, indices: names, request: request, ranking: ranking,
            position: min(request.size, ranking.candidates.count), keepAlive: keepAlive, expires: .now + keepAlive))
        return Self.scrollResponse(ScrollId(context: context, secret: secret), body, started: started)
    }

    /// `GET|POST /_search/scroll` (`scroll_id`, optional `scroll` keep-alive): the next page.
    /// A page whose documents were deleted meanwhile is filled from the following hits, so
    /// only the end of the ranking answers with no hits.
    public func continueScroll(_ text: String, keepAlive: String?, owner: String?) throws(ElasticsearchError) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let id = try ScrollId(parsing: text)
        let duration = try keepAlive.map { (text) throws(ElasticsearchError) in try Self.keepAlive(text, parameter: "scroll") }
        var body: JSONObject?
        var hits: [JSON] = []
        var wanted: Int?
        repeat {
            let (context, page) = try scrolls.advance(id, owner: owner, size: wanted.map { $0 - hits.count }, keepAlive: duration)
            wanted = wanted ?? context.request.size
            let answer = try read { db, catalog in
                let targets = try Self.targets(db, catalog, context.indices.filter { catalog[$0] != nil }, .matchAll(boost: 1))
                return try SearchExecution(db: db, targets: targets, request: context.request).body(context.ranking, page: page, aggregations: false)
            }
            hits += answer["hits"]?["hits"]?.arrayValue ?? []
            body = body ?? answer
            if page.isEmpty { break }
        } while hits.count < wanted ?? 0
        guard var result = body, var hitsObject = result["hits"]?.objectValue else { throw ElasticsearchError.scrollMissing(id.context) }
        hitsObject["hits"] = .array(hits)
        result["hits"] = .object(hitsObject)
        return Self.scrollResponse(id, result, started: started)
    }

    /// `DELETE /_search/scroll` with ids, or `_all` (nil: every scroll of `owner`). ES answers
    /// 404 with the same body when nothing was freed.
    public func clearScroll(_ ids: [String]?, owner: String?) throws(ElasticsearchError) -> EngineResponse {
        let parsed = try ids.map { (ids) throws(ElasticsearchError) in try ids.map { (text) throws(ElasticsearchError) in try ScrollId(parsing: text) } }
        let freed = scrolls.clear(parsed, owner: owner)
        return EngineResponse(status: freed > 0 ? 200 : 404, body: ["succeeded": true, "num_freed": .int(Int64(freed))])
    }

    /// Open scroll contexts (for `_nodes/stats`-style views and tests).
    public var openScrollCount: Int { scrolls.openCount }

    static func keepAlive(_ text: String, parameter: String) throws(ElasticsearchError) -> Duration {
        guard let milliseconds = TimeValue.milliseconds(text), text != "-1" else {
            throw .illegalArgument("failed to parse setting [\(parameter)] with value [\(text)] as a time value: unit is missing or unrecognized")
        }
        let duration = Duration.milliseconds(milliseconds)
        guard duration <= ScrollContexts.maxKeepAlive else {
            throw .illegalArgument("Keep alive for request (\(text)) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.")
        }
        return duration
    }

    /// ES writes `_scroll_id` first, then the search response.
    private static func scrollResponse(_ id: ScrollId, _ body: JSONObject, started: UInt64) -> EngineResponse {
        var ordered: JSONObject = ["_scroll_id": .string(id.text),
                                   "took": .int(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000))]
        for (key, value) in body where key != "took" { ordered[key] = value }
        return EngineResponse(body: .object(ordered))
    }
}
