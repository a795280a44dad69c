import Foundation
import JSONValue
@testable import SearchEngine

/// Parses JSON text in tests (fixtures are literals, so a failure is a test bug).
func json(_ text: String) -> JSON {
    do { return try JSON(parsing: text) } catch { fatalError("bad test JSON: \(error) in \(text)") }
}

/// The small "movies" corpus most DSL tests search. Documents that tie in ES (same field text)
/// have the same total text length here too, because FTS5's BM25 normalizes by the whole
/// document's length where Lucene uses each field's length (see the report's deviations).
let movies: [(String, String)] = [
    ("1", #"{"title":"The Quick Brown Fox","genre":"comedy","year":1999,"rating":7.5,"released":"1999-05-01","tags":["animals","classic"],"available":true}"#),
    ("2", #"{"title":"Lazy Dog Days","genre":"drama","year":2005,"rating":6.1,"released":"2005-03-15","tags":["animals"],"available":false}"#),
    ("3", #"{"title":"Quick Silver","genre":"action","year":2012,"rating":8.2,"released":"2012-11-20","tags":["heist"],"available":true}"#),
    ("4", #"{"title":"Brown Sugar Blues","genre":"drama","year":2012,"rating":5.0,"released":"2012-01-10","tags":["music"],"available":true}"#),
    ("5", #"{"title":"Silent Night","genre":"horror","year":2020,"rating":4.4,"released":"2020-12-24","director":{"name":"Ann Lee"}}"#),
]

extension SearchEngine {
    static func withMovies() throws -> SearchEngine {
        let engine = try SearchEngine(dataPath: nil)
        for (id, source) in movies { _ = try engine.put("movies", id, source) }
        return engine
    }

    func put(_ index: String, _ id: String?, _ source: String) throws -> EngineResponse {
        try self.index(index, id: id, source: Array(source.utf8))
    }

    /// Runs a search body and returns the response body.
    func searchBody(_ index: String, _ body: String, parameters: [String: String] = [:]) throws -> JSON {
        try search(index, try SearchRequest.parse(body: json(body), parameters: parameters)).body
    }

    /// The `_id`s of the hits of a search, in order.
    func hitIds(_ index: String, _ body: String) throws -> [String] {
        try ids(searchBody(index, body))
    }

    /// The `_id`s of a `{"query": ...}` search with size 100.
    func matching(_ query: String) throws -> [String] {
        try hitIds("movies", #"{"size":100,"query":\#(query)}"#)
    }
}

func ids(_ body: JSON) -> [String] {
    (body["hits"]?["hits"]?.arrayValue ?? []).compactMap { $0["_id"]?.stringValue }
}

/// A fresh empty directory under the temporary directory.
func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "searchengine-\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
