import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// A server child channel that puts an `InlineRequestHandler` between NIO's HTTP/1.1 codec and
/// Hummingbird's conversion to Swift HTTP Types, and a `ResponseOutlet` between TLS and the codec
/// for the responses the inline handler encodes itself.
///
/// Hummingbird's `HTTP1Channel` sets up NIO's codec with the request decoder *paired* to the
/// response encoder: the decoder queues each request's method and the encoder takes one off the
/// queue per response head, to leave out the body of a `HEAD` answer. Responses written past the
/// encoder would leave their methods queued, and a later `HEAD` answer would be matched to the
/// wrong request. So the pair is replaced by the same decoder (same limits) and encoder without
/// the pairing. Nothing changes on the wire: every answer of the node with a body is a
/// `RenderedResponse`, which already leaves out the body of a `HEAD` answer and keeps its
/// `Content-Length`; the others (Hummingbird's 400 for a request that does not parse, the 413
/// and 500 `NodeResponder` writes itself, `100 Continue`) have no body.
struct InlineAnsweringChannel<Base: HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    typealias Value = Base.Value

    let base: Base
    let pipeline: RequestPipeline
    let maxContentLength: Int
    /// `http.read_timeout`, kept by the handler (Hummingbird's own idle timeout must be off).
    let readTimeout: TimeAmount?
    /// The limits of the request decoder Hummingbird set up (`HTTP1Channel.Configuration`).
    let decoderLimits: HTTP1Channel.Configuration.DecoderConfiguration

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (pipeline, maxContentLength, readTimeout, decoderLimits) = (self.pipeline, self.maxContentLength, self.readTimeout, self.decoderLimits)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let pairedEncoder = try operations.context(handlerType: HTTPResponseEncoder.self)
            let pairedDecoder = try operations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = decoderLimits.maxHeaderFieldSize
            limits.maxHeaderListSize = decoderLimits.maxHeaderListSize
            limits.maxHeaderFieldCount = decoderLimits.maxHeaderFieldCount
            let outlet = ResponseOutlet()
            try operations.addHandlers(
                [outlet, HTTPResponseEncoder(), ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits))],
                position: .after(pairedDecoder.handler))
            operations.removeHandler(context: pairedEncoder, promise: nil)
            operations.removeHandler(context: pairedDecoder, promise: nil)
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            let handler = InlineRequestHandler(pipeline: pipeline, maxContentLength: maxContentLength, readTimeout: readTimeout, outlet: outlet)
            try operations.addHandler(handler, position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
