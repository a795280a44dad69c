import NIOCore
import NIOSSL

/// Reports TLS failures on the HTTP port (mostly refused handshakes), so that they reach the audit log.
///
/// The plugin's HTTP transport passes every exception of its `ssl_http` handler to
/// `SslExceptionHandler.logError(cause, true)`, which writes an SSL_EXCEPTION audit event, and
/// logs "Exception during establishing a SSL connection" (reference §1.11, §9). Without this
/// handler a client certificate that is expired, from an unknown CA, or without the clientAuth
/// usage would be refused by NIOSSL and leave no trace in the audit log.
///
/// Sits right behind `NIOSSLServerHandler`. A failed handshake, or a TLS error later on the
/// connection (which netty's SslHandler reports the same way), is reported once per connection;
/// a peer that just disconnects (`uncleanShutdown`) is not a TLS failure, as netty does not
/// report a connection closed during the handshake either.
final class TLSHandshakeFailureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    /// Called with the peer's IP address (when known) and the error's description.
    typealias Report = @Sendable (_ remoteAddress: String?, _ reason: String) -> Void

    private let report: Report
    private var reported = false

    init(report: @escaping Report) {
        self.report = report
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !reported, Self.isTLSFailure(error) {
            reported = true
            report(context.channel.remoteAddress?.ipAddress, "\(error)")
        }
        context.fireErrorCaught(error)
    }

    static func isTLSFailure(_ error: any Error) -> Bool {
        switch error {
        case NIOSSLError.handshakeFailed: return true
        case is BoringSSLError: return true
        default: return false
        }
    }
}
