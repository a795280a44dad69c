import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection after a response that says `Connection: close`.
///
/// RFC 9112 §9.6: a server that sends `close` must close the connection once that response is
/// written. Hummingbird only closes when the *request* asked for it and otherwise drains the
/// rest of the request body to read the next request — so the node's 413 for an oversized body
/// (`http.max_content_length`) would promise a close and then read up to the whole 200 MB. With
/// this handler the promise holds: the 413 is flushed, then the connection is closed.
final class ConnectionCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closeAfterEnd = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
        case .end where closeAfterEnd:
            closeAfterEnd = false
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.whenComplete { _ in context.close(promise: nil) }
            return
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
