import JSONValue
import NIOCore
import PKI
import SearchEngine
import Synchronization

/// The answers of recent inline point reads (`RequestPipeline.answersInline`: a document by id,
/// `GET /`, cluster health), with their JSON already serialised, kept until the next write.
///
/// Why: a repeated `GET /movies/_doc/3` spent about 10 µs — the largest part of the node's own
/// work per request — on one SQLite read (a WAL read lock taken with `fcntl`, a B-tree descent),
/// parsing the stored `_source` and serialising the answer again, for bytes that only change
/// when something is written. Serving them again is what the OS page cache does for nginx's
/// static file in the benchmark this is measured against (bench/PROFILES.md).
///
/// Exactness: entries are filed under the engine's `writeGeneration` read *before* the answer is
/// produced, and the engine moves the generation on only after a write has committed, so an
/// entry never holds data older than its generation; any write, to any index, empties the cache
/// (a realtime GET after an acknowledged write always reads the store). The cache sits after
/// the security checks, which every request still passes (authentication, authorization, audit).
/// The answer does not depend on who asks because certlab stores roles' `dls`/`fls` but does not
/// apply them; a node that did would have to key entries by the user's effective restrictions.
/// Requests shaped by `pretty` or `filter_path` bypass the cache (their bytes are made from the
/// JSON, not the serialised form).
final class PointReadCache: Sendable {
    /// What routing and the answer depend on: the path's segments, each decoded on its own (the
    /// decoded path would make `a%2Fb` and `a/b` one key), and the parameters.
    ///
    /// Compared and hashed byte for byte (`hasSameBytes(as:)`): under `String`'s own equality
    /// the ids `é` (U+00E9) and `e` + U+0301 would be one key, while the engine stores them as
    /// two documents.
    struct Key: Hashable {
        var method: String
        var segments: [String]
        var parameters: [String: String]

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.method.hasSameBytes(as: rhs.method) && lhs.segments.hasSameBytes(as: rhs.segments)
                && lhs.parameters.hasSameBytes(as: rhs.parameters)
        }

        func hash(into hasher: inout Hasher) {
            method.hashBytes(into: &hasher)
            hasher.combine(segments.count)
            for segment in segments { segment.hashBytes(into: &hasher) }
            parameters.hashBytes(into: &hasher)
        }
    }

    fileprivate struct Entries {
        var generation: UInt64 = 0
        var responses: [Key: Entry] = [:]
        var bytes = 0
    }

    /// One kept answer, and its encoding for keep-alive requests (`RenderedResponse.wire`),
    /// made at most once a second — when the `Date` changes — and shared by every connection
    /// asking for it. The encoding is a function of the answer and of what the entry's key holds
    /// (the method, for `HEAD`; the parameters, which are never `pretty` or `filter_path` here),
    /// so any request filed under the key gets the same bytes. It can hold as much again as the
    /// body, which `capacityBytes` does not count.
    final class Entry: Sendable {
        let response: NodeResponse
        private let encoded = Mutex<(second: Int, wire: ByteBuffer, bodyCount: Int)?>(nil)

        fileprivate init(_ response: NodeResponse) {
            self.response = response
        }

        /// The whole keep-alive answer to `request`, with `date`'s `Date`, and its body's length.
        func keepAliveWire(for request: ElasticRequest, date: (second: Int, text: String), allocator: ByteBufferAllocator)
            -> (wire: ByteBuffer, bodyCount: Int) {
            if let kept = encoded.withLock({ $0 }), kept.second == date.second { return (kept.wire, kept.bodyCount) }
            let rendered = RenderedResponse(response, for: request)
            let made = (second: date.second, wire: rendered.wire(date: date.text, allocator: allocator), bodyCount: rendered.bytes.count)
            encoded.withLock { $0 = made }
            return (made.wire, made.bodyCount)
        }
    }

    /// Total body bytes kept: a few thousand typical documents, a bounded share of the node's
    /// 50 MB memory target.
    static let capacityBytes = 4 << 20
    /// Larger answers are never kept: they would evict many small ones for one.
    static let largestBody = 64 << 10

    private let entries = Mutex(Entries())

    /// The cached answer to `request`, or `produce()`'s — serialised and kept for the next time.
    func response(to request: ElasticRequest, engine: SearchEngine, produce: () -> NodeResponse) -> NodeResponse {
        answer(to: request, engine: engine, produce: produce).response
    }

    /// `response(to:engine:produce:)` with the entry the answer is (or would be) kept in, for its
    /// shared encoding; no entry for a request shaped by `pretty` or `filter_path`.
    func answer(to request: ElasticRequest, engine: SearchEngine, produce: () -> NodeResponse) -> (response: NodeResponse, entry: Entry?) {
        guard request.parameters["pretty"] == nil, request.parameters["filter_path"] == nil else { return (produce(), nil) }
        let key = Key(method: request.method, segments: request.segments, parameters: request.parameters)
        let generation = engine.writeGeneration
        if let hit = entries.withLock({ $0.generation == generation ? $0.responses[key] : nil }) { return (hit.response, hit) }
        let entry = Entry(Self.serialised(produce()))
        entries.withLock { kept in
            guard generation >= kept.generation else { return }
            if generation > kept.generation { kept = Entries(generation: generation) }
            kept.store(entry, for: key)
        }
        return (entry.response, entry)
    }

    /// The number of answers kept (tests).
    var count: Int { entries.withLock { $0.responses.count } }

    /// A JSON body as the bytes `RenderedResponse` would make of it.
    private static func serialised(_ response: NodeResponse) -> NodeResponse {
        guard case .json(let json) = response.body else { return response }
        var serialised = response
        serialised.body = .bytes(json.serializedBytes(), contentType: RenderedResponse.jsonContentType)
        return serialised
    }
}

extension PointReadCache.Entries {
    fileprivate mutating func store(_ entry: PointReadCache.Entry, for key: PointReadCache.Key) {
        let size = entry.response.bodySize
        guard size <= PointReadCache.largestBody else { return }
        while bytes + size > PointReadCache.capacityBytes, let first = responses.first {
            responses.removeValue(forKey: first.key)
            bytes -= first.value.response.bodySize
        }
        if let replaced = responses.updateValue(entry, forKey: key) { bytes -= replaced.response.bodySize }
        bytes += size
    }
}

extension NodeResponse {
    fileprivate var bodySize: Int {
        switch body {
        case .bytes(let bytes, _): return bytes.count
        case .text(let text): return text.utf8.count
        case .json, .empty: return 0
        }
    }
}

