// bench-stack-ceiling: the fastest our HTTP stack can answer a keep-alive mTLS GET, measured in
// the same run as the node and nginx (bench/node-vs-peers.sh). It serves the node's document
// JSON as a constant from a channel handler — no security, no storage — so the node's rate
// divided by this one is what the request pipeline costs, and this divided by nginx's is what
// SwiftNIO + NIOSSL (+ Hummingbird's server around them, at the node's position) cost.
//
//   bench-stack-ceiling nio|hummingbird PORT CERTS_DIR
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1
import NIOPosix
import NIOSSL

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = Int(arguments[2]) else {
    print("usage: bench-stack-ceiling nio|hummingbird PORT CERTS_DIR")
    exit(2)
}
let (mode, certificates) = (arguments[1], arguments[3])
let document = #"{"_index":"movies","_type":"_doc","_id":"3","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Moneyball","year":2011}}"#

var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(certificates + "/search-node.pem").map { .certificate($0) },
    privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates + "/search-node-key.pem", format: .pem)))
tls.trustRoots = .file(certificates + "/root-ca.pem")
tls.certificateVerification = .noHostnameVerification

/// NIOHTTP1 parts in, the document out: the bare SwiftNIO stack.
final class ConstantHTTP1Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let body = ByteBuffer(string: document)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let headers = HTTPHeaders([("content-type", "application/json; charset=UTF-8"), ("content-length", "\(body.readableBytes)")])
        context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }
}

/// Puts a `ConstantHTTP1Handler` where the node's `InlineRequestHandler` sits in Hummingbird's
/// HTTP/1.1 pipeline: after NIO's codec, before the conversion to Swift HTTP Types.
struct ConstantAnsweringChannel<Base: HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    typealias Value = Base.Value
    let base: Base
    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(ConstantHTTP1Handler(), position: .before(try operations.handler(type: HTTP1ToHTTPServerCodec.self)))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

switch mode {
case "nio":
    let context = try NIOSSLContext(configuration: tls)
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(ConstantHTTP1Handler())
            }
        }
        .bind(host: "127.0.0.1", port: port).get()
    try await channel.closeFuture.get()
case "hummingbird":
    let configuration = tls
    let server = HTTPServerBuilder { responder in
        ConstantAnsweringChannel(base: try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: configuration))
    }
    let app = Application(router: Router(), server: server, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    try await app.runService()
default:
    print("bench-stack-ceiling: unknown mode \(mode) (nio or hummingbird)")
    exit(2)
}
