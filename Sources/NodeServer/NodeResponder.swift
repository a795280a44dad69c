import CompressNIO
import Hummingbird
import HTTPTypes
import JSONValue
import NIOCore

/// Hummingbird's side of a request: collect the body (bounded by `http.max_content_length`,
/// inflating `Content-Encoding: gzip`), run the `RequestPipeline`, and write the response with
/// Elasticsearch's `?pretty` and `filter_path` applied.
struct NodeResponder: HTTPResponder {
    typealias Context = NodeRequestContext

    let pipeline: RequestPipeline
    let identities: PeerIdentityCache
    let maxContentLength: Int

    func respond(to request: Request, context: NodeRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let response = await answer(request, context: context)
        pipeline.metrics.requestCompleted(method: request.method.rawValue, status: Int(response.status.code),
                                          duration: ContinuousClock.now - started)
        return response
    }

    private func answer(_ request: Request, context: NodeRequestContext) async -> Response {
        let identity: PeerIdentity
        do {
            identity = try await identities.identity(of: context.channel)
        } catch {
            return Response(status: .internalServerError)
        }
        guard let body = await readBody(request) else {
            return Response(status: .contentTooLarge, headers: [.connection: "close"])
        }
        let elastic = ElasticRequest(method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query, body: body)
        let remote = context.channel.remoteAddress
        let incoming = RequestPipeline.Incoming(
            request: elastic, headers: request.headers.map { ($0.name.rawName, $0.value) }, identity: identity,
            remoteAddress: remote?.ipAddress ?? "0.0.0.0", remotePort: remote?.port ?? 0)
        let result = await pipeline.process(incoming)
        return render(result, for: elastic, closing: request.headers[.connection]?.lowercased() == "close")
    }

    /// The body bytes, or nil when they exceed the limit. Gzip bodies are inflated with the
    /// same limit applied to the inflated size (a small bomb must not become a large body).
    private func readBody(_ request: Request) async -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxContentLength { return nil }
        guard var buffer = try? await request.body.collect(upTo: maxContentLength) else { return nil }
        if request.headers[.contentEncoding]?.lowercased() == "gzip", buffer.readableBytes > 0 {
            guard let inflated = try? buffer.decompress(with: .gzip(), maxSize: maxContentLength) else { return nil }
            buffer = inflated
        }
        return Array(buffer.readableBytesView)
    }

    /// `closing`: the request asked for `Connection: close`, which the response confirms (as
    /// Elasticsearch's `DefaultRestChannel` does) before `ConnectionCloseHandler` closes.
    private func render(_ result: NodeResponse, for request: ElasticRequest, closing: Bool) -> Response {
        let rendered = RenderedResponse(result, for: request, closing: closing)
        if request.method == "HEAD" {
            return Response(status: HTTPResponse.Status(code: rendered.status), headers: rendered.fields)
        }
        var fields = rendered.fields
        fields[.contentLength] = nil  // Hummingbird sets it from the body
        return Response(status: HTTPResponse.Status(code: rendered.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: rendered.bytes)))
    }
}
