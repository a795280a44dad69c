import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The node's current TLS server context, swappable at run time.
///
/// `PUT .../api/ssl/http/reloadcerts` (reference §1.9) replaces the certificate without a restart:
/// connections accepted afterwards use the new context, connections already open keep the one
/// they were handshaken with and are never dropped.
public final class TLSContextHolder: Sendable {
    private let box: NIOLockedValueBox<NIOSSLContext>

    public init(_ context: NIOSSLContext) {
        self.box = NIOLockedValueBox(context)
    }

    /// The context new connections will use.
    public var current: NIOSSLContext {
        box.withLockedValue { $0 }
    }

    /// Makes `context` the one for every connection accepted from now on.
    public func replace(with context: NIOSSLContext) {
        box.withLockedValue { $0 = context }
    }
}

/// Hummingbird's `TLSChannel`, except that the SSL context is read from a `TLSContextHolder` at
/// accept time instead of being fixed when the server starts (which is what hot reload needs).
public struct ReloadableTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Base.Value

    let base: Base
    let contexts: TLSContextHolder
    let onHandshakeFailure: TLSHandshakeFailureHandler.Report?

    /// `onHandshakeFailure` hears of every connection whose TLS handshake fails (for the audit log).
    init(_ base: Base, contexts: TLSContextHolder, onHandshakeFailure: TLSHandshakeFailureHandler.Report? = nil) {
        self.base = base
        self.contexts = contexts
        self.onHandshakeFailure = onHandshakeFailure
    }

    public init(_ base: Base, contexts: TLSContextHolder) {
        self.init(base, contexts: contexts, onHandshakeFailure: nil)
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let context = contexts.current
        let onHandshakeFailure = self.onHandshakeFailure
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            if let onHandshakeFailure {
                try channel.pipeline.syncOperations.addHandler(TLSHandshakeFailureHandler(report: onHandshakeFailure))
            }
        }.flatMap {
            self.base.setup(channel: channel, logger: logger)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension ReloadableTLSChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    public var responder: HTTPChannelHandler.Responder { base.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 over TLS with a context that `holder` can replace while the server runs.
    public static func reloadableTLS(
        _ holder: TLSContextHolder,
        configuration: HTTP1Channel.Configuration = .init()
    ) -> HTTPServerBuilder {
        .init { responder in
            ReloadableTLSChannel(HTTP1Channel(responder: responder, configuration: configuration), contexts: holder)
        }
    }
}
