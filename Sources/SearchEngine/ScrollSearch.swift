import Foundation
import JSONValue
import Synchronization

/// Open scroll searches (`?scroll=1m`, then `POST /_search/scroll`), as Elasticsearch 7.10's
/// `SearchService` keeps them: every hit of the search is ranked once when the scroll opens,
/// and each continuation answers the next page of that ranking with the same `hits.total`.
///
/// Why a ranking and not a re-run per page: pages must not skip or repeat documents while others
/// write (ES reads a point-in-time snapshot), and a scroll is how clients read past the 10,000-hit
/// window (`helpers.scan`, `reindex`). The ranking holds rowids, scores and sort values only;
/// sources are read per page, so a document deleted after the scroll opened is left out of its
/// page (ES would still return it from its snapshot) and the page is filled from the next hits.
///
/// Limits as ES's defaults: a keep-alive of at most 24 hours (`search.max_keep_alive`), at most
/// 500 open scrolls (`search.max_open_scroll_context`); expired contexts are dropped on the next
/// scroll call. Because a context here holds its ranking (about 32 bytes a hit) where ES holds a
/// Lucene snapshot, open scrolls may also hold at most 2,000,000 hits together (about 64 MB), a
/// certlab limit refused with the same kind of error as the context limit.
///
/// A scroll belongs to the user that opened it: another user's continuation or clear is
/// answered as for an unknown id (what Elastic's own security does; the reference is silent
/// about the Open Distro plugin, and sharing another user's result set would bypass the index
/// permissions checked when the scroll opened).
final class ScrollContexts: Sendable {
    struct Context {
        let owner: String?
        /// The random half of the scroll id, so that ids cannot be guessed from their numbers.
        let secret: [UInt8]
        let indices: [String]
        let request: SearchRequest
        let ranking: SearchExecution.Ranking
        var position: Int
        var keepAlive: Duration
        var expires: ContinuousClock.Instant
    }

    static let maxKeepAlive = Duration.seconds(86_400)
    static let maxOpen = 500
    let maxHeldHits: Int

    init(maxHeldHits: Int = 2_000_000) {
        self.maxHeldHits = maxHeldHits
    }

    private let state = Mutex<(contexts: [UInt64: Context], nextId: UInt64)>(([:], 1))

    /// Stores a context and returns its number.
    func open(_ context: Context) throws(ElasticsearchError) -> UInt64 {
        try state.withLock { (state) throws(ElasticsearchError) -> UInt64 in
            Self.dropExpired(&state.contexts)
            guard state.contexts.count < Self.maxOpen else {
                throw ElasticsearchError.searchPhase(status: 500, phase: "query", cause: [
                    "type": "exception",
                    "reason": .string("Trying to create too many scroll contexts. Must be less than or equal to: [\(Self.maxOpen)]. This limit can be set by changing the [search.max_open_scroll_context] setting."),
                ])
            }
            let held = state.contexts.values.reduce(0) { $0 + $1.ranking.candidates.count }
            guard held + context.ranking.candidates.count <= maxHeldHits else {
                throw ElasticsearchError.searchPhase(status: 500, phase: "query", cause: [
                    "type": "exception",
                    "reason": .string("Trying to hold too many scroll hits. Open scrolls may hold at most [\(maxHeldHits)] hits together, [\(held)] are held; clear the scrolls that are done."),
                ])
            }
            let id = state.nextId
            state.nextId += 1
            state.contexts[id] = context
            return id
        }
    }

    /// Takes the next `size` hits of a context (nil: its page size), extending its life by
    /// `keepAlive` (or its own).
    func advance(_ id: ScrollId, owner: String?, size: Int?, keepAlive: Duration?) throws(ElasticsearchError) -> (Context, [Candidate]) {
        try state.withLock { (state) throws(ElasticsearchError) -> (Context, [Candidate]) in
            Self.dropExpired(&state.contexts)
            guard var context = state.contexts[id.context], context.owner == owner, context.secret == id.secret else {
                throw ElasticsearchError.scrollMissing(id.context)
            }
            if let keepAlive { context.keepAlive = keepAlive }
            context.expires = .now + context.keepAlive
            let page = Array(context.ranking.candidates.dropFirst(context.position).prefix(size ?? context.request.size))
            context.position += page.count
            state.contexts[id.context] = context
            return (context, page)
        }
    }

    /// Frees the given contexts (nil: all of `owner`'s); returns how many were open.
    func clear(_ ids: [ScrollId]?, owner: String?) -> Int {
        state.withLock { state in
            Self.dropExpired(&state.contexts)
            let targets = ids ?? state.contexts.filter { $0.value.owner == owner }.map { ScrollId(context: $0.key, secret: $0.value.secret) }
            var freed = 0
            for id in targets {
                guard let context = state.contexts[id.context], context.owner == owner, context.secret == id.secret else { continue }
                state.contexts[id.context] = nil
                freed += 1
            }
            return freed
        }
    }

    var openCount: Int { state.withLock { $0.contexts.count } }

    private static func dropExpired(_ contexts: inout [UInt64: Context]) {
        let now = ContinuousClock.Instant.now
        contexts = contexts.filter { $0.value.expires > now }
    }
}

/// A scroll id: the context number and its random secret, base64url (opaque to clients, as
/// ES's are, and safe in a URL path).
struct ScrollId: Equatable {
    static let secretLength = 16

    let context: UInt64
    let secret: [UInt8]

    init(context: UInt64, secret: [UInt8]) {
        self.context = context
        self.secret = secret
    }

    var text: String {
        let bytes = withUnsafeBytes(of: context.bigEndian, Array.init) + secret
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes an id of this shape; ES answers anything else "Cannot parse scroll id".
    init(parsing text: String) throws(ElasticsearchError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), data.count == 8 + Self.secretLength else {
            throw ElasticsearchError.illegalArgument("Cannot parse scroll id")
        }
        context = data.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        secret = Array(data.dropFirst(8))
    }
}

extension ElasticsearchError {
    /// A search failure as ES reports one that failed on every shard: `search_phase_execution_exception`
    /// with the shard's cause as `root_cause`, `failed_shards` and `caused_by`.
    static func searchPhase(status: Int, phase: String, cause: JSONObject) -> ElasticsearchError {
        var error = ElasticsearchError(status: status, type: "search_phase_execution_exception", reason: "all shards failed",
                                       metadata: ["phase": .string(phase), "grouped": true,
                                                  "failed_shards": [["shard": -1, "index": .null, "reason": .object(cause)]]],
                                       causedBy: cause)
        error.rootCauses = [.object(cause)]
        return error
    }

    static func scrollMissing(_ id: UInt64) -> ElasticsearchError {
        searchPhase(status: 404, phase: "query", cause: ["type": "search_context_missing_exception",
                                                         "reason": .string("No search context found for id [\(id)]")])
    }
}
