import Foundation
import FuzzSupport
import JSONValue
import SearchEngine

/// The search request parser and the query DSL (`SearchRequest.parse`, `Query.parse`, the query
/// compiler and aggregations) executed against a small in-memory index, as `POST /{index}/_search`
/// does: the whole path from body bytes to a response.
///
/// Input: a JSON body; or, when it starts with `?`, a URL query string (`q=…&sort=…&size=…`),
/// the parameter form of the same request (`q` goes through the query_string parser).
/// Properties beyond "does not crash": a response is 200, and its `hits.hits` never holds more
/// than `size` documents.
let engine: SearchEngine = {
    do {
        let engine = try SearchEngine(dataPath: nil)
        let mapping = #"""
            {"mappings":{"properties":{"title":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":32}}},
             "genre":{"type":"keyword"},"year":{"type":"integer"},"views":{"type":"long"},"rating":{"type":"float"},
             "released":{"type":"date"},"available":{"type":"boolean"},"tags":{"type":"keyword"},
             "director":{"properties":{"name":{"type":"text"}}}}}}
            """#
        _ = try engine.createIndex("movies", body: try JSON(parsing: mapping))
        let documents = [
            #"{"title":"The Quick Brown Fox","genre":"comedy","year":1999,"views":12,"rating":7.5,"released":"1999-05-01","tags":["animals","classic"],"available":true}"#,
            #"{"title":"Lazy Dog Days","genre":"drama","year":2005,"views":-3,"rating":6.1,"released":"2005-03-15T10:00:00Z","tags":["animals"],"available":false}"#,
            #"{"title":"Quick Silver","genre":"action","year":2012,"rating":8.2,"released":"2012-11-20","tags":["heist"],"available":true}"#,
            #"{"title":"Brown Sugar Blues","genre":"drama","year":2012,"views":9007199254740993,"rating":5.0,"released":1356998400000,"tags":[],"available":true}"#,
            #"{"title":"Silent Night","genre":"horror","year":2020,"rating":4.4,"released":"2020-12-24","director":{"name":"Ann Lee"}}"#,
            #"{"other":"unmapped dynamic field","nested":{"deep":{"x":1}}}"#,
        ]
        for (number, document) in documents.enumerated() {
            _ = try engine.index("movies", id: String(number + 1), source: Array(document.utf8))
        }
        return engine
    } catch {
        fatalError("fuzz-query-dsl setup: \(error)")
    }
}()

/// `a=1&b=two` with `%XX` and `+` decoded, as the node's router hands parameters over.
func queryParameters(_ text: Substring) -> [String: String] {
    var result: [String: String] = [:]
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryDSL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let request: SearchRequest
    do {
        if bytes.first == UInt8(ascii: "?") {
            let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
            request = try SearchRequest.parse(body: nil, parameters: queryParameters(Substring(text)))
        } else {
            request = try SearchRequest.parse(body: try JSON(parsing: bytes))
        }
    } catch {
        return 0
    }
    for expression in ["movies", "mov*,_all"] {
        guard let response = try? engine.search(expression, request) else { continue }
        fuzzCheck(response.status == 200, "search answered \(response.status)")
        let hits = response.body["hits"]?["hits"]?.arrayValue?.count ?? 0
        fuzzCheck(hits <= request.size, "\(hits) hits for size \(request.size)")
    }
    _ = try? engine.count("movies", body: try? JSON(parsing: bytes))
    return 0
}
