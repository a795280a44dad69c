import Foundation
import GRDB
import Testing
@testable import SearchEngine

/// `es_bm25` (BM25.swift) must give exactly FTS5's `bm25()` for every matching row — also after
/// writes changed row lengths that its per-connection cache had seen — or search order and
/// `_score` would change.
@Suite struct BM25Tests {
    static let expressions = ["quick", "brown OR quick", "quick AND brown", "\"quick brown\"", "qu*", "c0:silent", "(quick OR night) NOT fox", "animals"]

    /// Scores of `expression` by both functions, run twice so the second run reads the cache.
    static func compare(_ engine: SearchEngine, _ expression: String) throws {
        for _ in 0..<2 {
            let rows = try engine.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT rowid, bm25(fts), \(BM25.scoreExpression) FROM fts WHERE fts MATCH ?1", arguments: [expression])
            }
            #expect(!rows.isEmpty, "\(expression) matches nothing")
            for row in rows {
                let expected: Double = row[1], actual: Double = row[2]
                #expect(expected.bitPattern == actual.bitPattern, "\(expression) row \(row[0] as Int64): bm25 \(expected), es_bm25 \(actual)")
            }
        }
    }

    static func addExtras(_ engine: SearchEngine, words: Int) throws {
        for number in 0..<40 {
            _ = try engine.put("movies", "extra-\(number)", #"{"title":"quick \#(String(repeating: "brown ", count: (number + words) % 5))extra \#(number)","genre":"quick"}"#)
        }
    }

    @Test(arguments: expressions)
    func scoresAreBitForBitThoseOfFTS5(_ expression: String) throws {
        let engine = try SearchEngine.withMovies()
        try Self.addExtras(engine, words: 0)
        try Self.compare(engine, expression)
    }

    /// Pool readers (a data path) and the single in-memory connection both see rewritten rows
    /// with their new lengths, and deleted rows disappear, after the cache was filled.
    @Test(arguments: [false, true])
    func cachedLengthsFollowWrites(onDisk: Bool) throws {
        let directory = temporaryDirectory("bm25")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: onDisk ? directory : nil)
        for (id, source) in movies { _ = try engine.put("movies", id, source) }
        try Self.addExtras(engine, words: 0)
        for expression in Self.expressions { try Self.compare(engine, expression) }
        try Self.addExtras(engine, words: 2)
        _ = try engine.delete("movies", id: "extra-3")
        for expression in Self.expressions { try Self.compare(engine, expression) }
        let hits = try engine.searchBody("movies", #"{"size":100,"query":{"match":{"title":"quick"}}}"#)
        #expect(!ids(hits).contains("extra-3"))
        #expect(hits["hits"]?["total"]?["value"] == 41)  // movies 1 and 3 + 40 extras - 1 deleted
    }
}
