import NIOCore
import NIOHTTP1
import PKI
import SecurityEngine

/// A connection's last inline answer, written again when the connection sends the same request
/// while nothing the answer was made from has changed.
///
/// Why: a client polling over one keep-alive connection — a monitor reading
/// `/_cluster/health`, a dashboard re-reading a document, the benchmark's `GET movies/_doc/3` —
/// asks the same question again and again. Each time, parsing the target, the connection's
/// authentication and route memos, the audit checks, the point-read cache and the response
/// encoding cost about a third of the node's CPU per request (bench/PROFILES.md), to produce
/// the bytes it produced the time before.
///
/// Exactness: an answer of `RequestPipeline.processInline` is a function of
/// - the request head — method, target, version and header fields, compared here byte for byte
///   and in order (`hasSameBytes(as:)`);
/// - the connection — its TLS peer and address, fixed for the connection's life;
/// - the installed security configuration (domains, roles, mappings, action groups, `audit.yml`)
///   and the engine's data, together the pipeline's `AnswerBasis`, read before the answer was
///   made and again after it: the answer is kept only if neither moved meanwhile, and replayed
///   only while both are still the same;
/// - and of three things that change with time alone: the CRL and `auth_failure_listeners`
///   blocks (both asked again before every replay, as a full authentication would), and the
///   `Date` field (rewritten in the kept bytes when the second moves on).
///
/// Its side effects are kept too: an answer whose making recorded an audit event is never kept
/// (the audit log's event count moved), so every audited request is still made and audited in
/// full; the request metrics are recorded for every replay. Only `200` answers of keep-alive
/// requests made with the connection's `AuthenticationMemo` are kept — refusals count failures
/// in the metrics, a closing answer ends the connection, and the memo names the user whose
/// blocks must be asked (the admin certificate, never memoised, is answered in full).
final class RepeatedAnswer {
    private let request: HTTPRequestHead
    private let basis: RequestPipeline.AnswerBasis
    private let authentication: AuthenticationMemo
    let method: String
    let status: Int
    private var second: Int
    private var wire: ByteBuffer
    /// Where the `Date` value sits in `wire`, and its length (29 bytes, `Sun, 29 Nov 2026
    /// 22:05:43 GMT`, for every year with four digits).
    private let dateOffset: Int
    private let dateLength: Int

    /// The answer to `request` (`status`, a body of `bodyCount` bytes), encoded as `wire` in
    /// `date.second`, if it may be kept:
    /// `basis` and `auditedBefore` are the pipeline's basis and audit count read before it was
    /// made, `authentication` the connection's memo as the answer left it. Bodies over
    /// `PointReadCache.largestBody` are not kept: a connection holds its answer for as long as it
    /// stays open, and the node's memory must stay bounded with hundreds of them.
    init?(_ request: HTTPRequestHead, status: Int, bodyCount: Int, wire: ByteBuffer, date: (second: Int, text: String),
          basis: RequestPipeline.AnswerBasis?, auditedBefore: UInt64, authentication: AuthenticationMemo?, pipeline: RequestPipeline) {
        guard status == 200, request.isKeepAlive, bodyCount <= PointReadCache.largestBody,
              let basis, let authentication, pipeline.answerBasis() == basis,
              pipeline.audit.log.recordedEvents == auditedBefore else { return nil }
        // `RenderedResponse.wire` ends with the `Date` field, the blank line and the body.
        let dateOffset = wire.writerIndex - bodyCount - 4 - date.text.utf8.count
        guard dateOffset > wire.readerIndex, wire.getString(at: dateOffset, length: date.text.utf8.count) == date.text else { return nil }
        self.request = request
        self.basis = basis
        self.authentication = authentication
        self.method = request.method.rawValue
        self.status = status
        self.second = date.second
        self.wire = wire
        self.dateOffset = dateOffset
        self.dateLength = date.text.utf8.count
    }

    /// The answer to `head`, if it is this one's request again, under the same basis, from a
    /// client whose certificate is still not revoked and whom no failure listener blocks.
    func answer(_ head: HTTPRequestHead, identity: PeerIdentity, pipeline: RequestPipeline) -> ByteBuffer? {
        guard Self.same(head, request), pipeline.answerBasis() == basis, !pipeline.isRevoked(identity),
              !pipeline.security.isBlocked(authentication) else { return nil }
        let date = HTTPDate.current
        if date.second != second {
            guard date.text.utf8.count == dateLength else { return nil }
            // Written over a copy when NIO still holds the buffer of an earlier write.
            wire.setString(date.text, at: dateOffset)
            second = date.second
        }
        return wire
    }

    private static func same(_ lhs: HTTPRequestHead, _ rhs: HTTPRequestHead) -> Bool {
        lhs.method == rhs.method && lhs.version == rhs.version && lhs.uri.hasSameBytes(as: rhs.uri)
            && fieldsHaveSameBytes(lhs.headers, count: lhs.headers.count, rhs.headers, count: rhs.headers.count)
    }
}
