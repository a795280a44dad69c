import Foundation
import JSONValue
import NIOCore
@testable import NodeServer
import SearchEngine
import Testing

/// `PointReadCache` keeps the serialised answers of point reads until the next write: a hit
/// gives the same bytes the engine would, and no write — committed or failed, to any index —
/// leaves an older answer behind.
struct PointReadCacheTests {
    static func get(_ target: String, method: String = "GET") -> ElasticRequest {
        let query = target.firstIndex(of: "?")
        return ElasticRequest(method: method, rawPath: String(target[..<(query ?? target.endIndex)]),
                              rawQuery: query.map { String(target[target.index(after: $0)...]) }, body: [])
    }

    /// The cache in front of the engine's real `get`, counting how often the engine is asked.
    final class Reader: @unchecked Sendable {
        let engine: SearchEngine
        let cache = PointReadCache()
        var engineReads = 0

        init() throws {
            engine = try SearchEngine(dataPath: nil)
        }

        func body(_ target: String) -> String {
            let request = PointReadCacheTests.get(target)
            let response = cache.response(to: request, engine: engine) {
                engineReads += 1
                let id = request.segments[2]
                guard let answer = try? engine.get(request.segments[0], id: id) else { return .json(["error": "missing"], status: 404) }
                return .json(answer.body, status: answer.status)
            }
            return String(decoding: RenderedResponse(response, for: request).bytes, as: UTF8.self)
        }
    }

    @Test func repeatedReadsAreServedUntilTheNextWrite() throws {
        let reader = try Reader()
        _ = try reader.engine.index("movies", id: "3", source: Array(#"{"title":"Moneyball"}"#.utf8))
        let first = reader.body("/movies/_doc/3")
        #expect(first == #"{"_index":"movies","_type":"_doc","_id":"3","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Moneyball"}}"#)
        #expect(reader.body("/movies/_doc/3") == first && reader.engineReads == 1)
        // A write to another index empties the cache too.
        _ = try reader.engine.index("other", id: "1", source: Array(#"{"n":1}"#.utf8))
        #expect(reader.body("/movies/_doc/3") == first && reader.engineReads == 2)
        _ = try reader.engine.index("movies", id: "3", source: Array(#"{"title":"Heat"}"#.utf8))
        #expect(reader.body("/movies/_doc/3").contains(#""_version":2,"_seq_no":1,"_primary_term":1,"found":true,"_source":{"title":"Heat"}"#))
        _ = try reader.engine.delete("movies", id: "3")
        #expect(reader.body("/movies/_doc/3") == #"{"_index":"movies","_type":"_doc","_id":"3","found":false}"#)
        #expect(reader.engineReads == 4)
    }

    @Test func committedWritesMoveTheGenerationOn() throws {
        let engine = try SearchEngine(dataPath: nil)
        let before = engine.writeGeneration
        #expect(throws: ElasticsearchError.self) { try engine.index("Bad-Name", id: "1", source: Array(#"{"n":1}"#.utf8)) }
        #expect(engine.writeGeneration >= before)
        _ = try engine.index("fine", id: "1", source: Array(#"{"n":1}"#.utf8))
        #expect(engine.writeGeneration > before)
    }

    @Test func shapedAndDistinctRequestsAreKeptApart() throws {
        let engine = try SearchEngine(dataPath: nil)
        let cache = PointReadCache()
        var produced = 0
        func answer(_ target: String, method: String = "GET") -> NodeResponse {
            cache.response(to: Self.get(target, method: method), engine: engine) {
                produced += 1
                return .json(["target": .string(target)])
            }
        }
        _ = answer("/movies/_doc/3?pretty")
        _ = answer("/movies/_doc/3?filter_path=_id")
        #expect(cache.count == 0, "pretty and filter_path answers are shaped from the JSON, never cached")
        _ = answer("/movies/_doc/3")
        _ = answer("/movies/_doc/3", method: "HEAD")
        _ = answer("/movies/_doc/3?_source=false")
        _ = answer("/movies/_doc/3")
        #expect(cache.count == 3 && produced == 5)
        guard case .bytes(let bytes, let type) = answer("/movies/_doc/3?_source=false").body else {
            Issue.record("a cached JSON answer is kept serialised")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"target":"/movies/_doc/3?_source=false"}"# && type == RenderedResponse.jsonContentType)
    }

    /// `é` as one code point and as `e` + combining acute are equal `String`s but two documents
    /// (the engine, like Elasticsearch, compares the bytes): each id gets its own answer.
    @Test func canonicallyEquivalentIdsAreTwoKeys() throws {
        let reader = try Reader()
        let composed = "\u{e9}", decomposed = "e\u{301}"
        #expect(composed == decomposed, "the premise: Swift's String equality is canonical equivalence")
        _ = try reader.engine.index("m", id: composed, source: Array(#"{"v":"composed"}"#.utf8))
        _ = try reader.engine.index("m", id: decomposed, source: Array(#"{"v":"decomposed"}"#.utf8))
        #expect(reader.body("/m/_doc/\(composed)").hasSuffix(#""_source":{"v":"composed"}}"#))
        #expect(reader.body("/m/_doc/\(decomposed)").hasSuffix(#""_source":{"v":"decomposed"}}"#))
        #expect(reader.body("/m/_doc/\(composed)").hasSuffix(#""_source":{"v":"composed"}}"#) && reader.engineReads == 2)
        // Parameter names and values too, whatever order the dictionaries hold them in.
        let cache = PointReadCache()
        var produced = 0
        for target in ["/m/_doc/1?a=\(composed)&b=1", "/m/_doc/1?b=1&a=\(decomposed)", "/m/_doc/1?b=1&a=\(composed)"] {
            _ = cache.response(to: Self.get(target), engine: reader.engine) { produced += 1; return .json([:]) }
        }
        #expect(produced == 2 && cache.count == 2)
    }

    /// A kept answer's keep-alive encoding is shared by every request filed under its key: the
    /// bytes `RenderedResponse` makes for that request, with the `Date` of the second asked for.
    @Test func theSharedEncodingIsTheRenderedAnswer() throws {
        let reader = try Reader()
        _ = try reader.engine.index("movies", id: "3", source: Array(#"{"title":"Moneyball"}"#.utf8))
        let minute = (second: 100, text: "Thu, 01 Jan 1970 00:01:40 GMT"), next = (second: 101, text: "Thu, 01 Jan 1970 00:01:41 GMT")
        for method in ["GET", "HEAD"] {
            let request = Self.get("/movies/_doc/3", method: method)
            func produce() -> NodeResponse {
                guard let answer = try? reader.engine.get("movies", id: "3") else { return .json([:], status: 500) }
                return .json(answer.body, status: answer.status)
            }
            let (response, made) = reader.cache.answer(to: request, engine: reader.engine, produce: produce)
            let entry = try #require(made)
            let rendered = RenderedResponse(response, for: request)
            let first = entry.keepAliveWire(for: request, date: minute, allocator: ByteBufferAllocator())
            #expect(first.wire == rendered.wire(date: minute.text, allocator: ByteBufferAllocator()))
            #expect(first.bodyCount == rendered.bytes.count && (method == "HEAD") == (first.bodyCount == 0))
            let (_, hit) = reader.cache.answer(to: request, engine: reader.engine) { Issue.record("a hit produces nothing"); return produce() }
            #expect(hit === entry)
            let later = entry.keepAliveWire(for: request, date: next, allocator: ByteBufferAllocator())
            #expect(later.wire == rendered.wire(date: next.text, allocator: ByteBufferAllocator()))
        }
        let shaped = reader.cache.answer(to: Self.get("/movies/_doc/3?pretty"), engine: reader.engine) { .json([:]) }
        #expect(shaped.entry == nil, "a shaped answer has no shared encoding")
    }

    @Test func largeAnswersAreNotKeptAndTheTotalIsBounded() throws {
        let engine = try SearchEngine(dataPath: nil)
        let cache = PointReadCache()
        let large = String(repeating: "x", count: PointReadCache.largestBody + 1)
        _ = cache.response(to: Self.get("/big/_doc/1"), engine: engine) { .json(["v": .string(large)]) }
        #expect(cache.count == 0)
        // Entries just under the size limit: the total stays within the capacity, the newest is kept.
        let body = String(repeating: "z", count: PointReadCache.largestBody - 16)
        let fits = PointReadCache.capacityBytes / (PointReadCache.largestBody - 8)  // `{"v":"…"}`
        for id in 0..<(fits + 8) {
            _ = cache.response(to: Self.get("/fill/_doc/\(id)"), engine: engine) { .json(["v": .string(body)]) }
        }
        #expect(cache.count == fits)
        var produced = false
        _ = cache.response(to: Self.get("/fill/_doc/\(fits + 7)"), engine: engine) { produced = true; return .json([:]) }
        #expect(!produced, "the newest answer is kept")
    }
}
