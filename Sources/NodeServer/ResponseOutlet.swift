import NIOCore

/// The place in a connection's pipeline, between TLS and NIO's HTTP/1.1 response encoder, where
/// `InlineRequestHandler` writes the responses it encodes itself (`RenderedResponse.wire`).
///
/// A handler can only write to the handlers before it, so the inline handler, which sits after
/// the encoder, writes through this one's context instead: its bytes skip the encoder and reach
/// TLS as one write. Everything else passes through untouched. Writes from both places stay in
/// order because both run on the connection's event loop and neither holds writes back.
final class ResponseOutlet: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `buffer` towards TLS (flushed by the next flush on the channel); fails `promise`
    /// once the handler has left the pipeline.
    func write(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let context else { return promise?.fail(ChannelError.ioOnClosedChannel) ?? () }
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
    }
}
