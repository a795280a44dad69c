import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SearchEngine
import SecurityEngine
import ServiceLifecycle

/// The secured search node: HTTPS with client-certificate authentication in front of the
/// security plugin's model (`SecurityEngine`) and an Elasticsearch-compatible store
/// (`SearchEngine`). `search-node` builds one from its configuration and runs it.
public final class SearchNode: Sendable {
    public let configuration: NodeConfiguration
    public let engine: SearchEngine
    public let security: SecurityService
    let securityAPI: SecurityRestAPI
    let auditLog: AuditLog
    let metrics = NodeMetrics()
    let identities = PeerIdentityCache()
    let tls: (holder: TLSContextHolder, certificates: NodeCertificates)?
    let pipeline: RequestPipeline
    let identity: NodeIdentity
    let logger: Logger
    private let serviceGroup = NIOLockedValueBox<ServiceGroup?>(nil)

    /// Opens the data path and loads certificates and security configuration. Every failure
    /// names the setting or file at fault; nothing is served until all of it loaded.
    public init(configuration: NodeConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let settings = configuration.settings
        let data = configuration.dataPath
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        engine = try SearchEngine(dataPath: data.appendingPathComponent("indices").path)
        let store = try SQLiteSecurityConfigStore(path: data.appendingPathComponent("security.sqlite").path)
        security = SecurityService(settings: settings)
        securityAPI = SecurityRestAPI(service: security, store: store)
        let bootstrap = try configuration.securityConfigDirectory.flatMap { directory in
            try store.load() == nil ? SecurityConfiguration(directory: directory, flavor: settings.flavor) : nil
        }
        try securityAPI.start(bootstrap: bootstrap)

        var revocation: RevocationChecker?
        if let tlsSettings = try configuration.httpTLSSettings() {
            let factory = HTTPTLSContextFactory(settingsPrefix: settings.flavor.settingsPrefix + "ssl.http.")
            let (material, key) = try factory.loadMaterial(tlsSettings)
            try DemoCertificates.check(material.chain + material.trustedCAs, prefix: settings.flavor.settingsPrefix,
                                       allowed: settings.all[settings.flavor.settingsPrefix + "allow_unsafe_democertificates"]?.boolValue ?? false)
            let holder = TLSContextHolder(try factory.makeContext(tlsSettings, material: material, key: key))
            tls = (holder, NodeCertificates(settings: tlsSettings, factory: factory, holder: holder, material: material,
                                            reloadEnabled: settings.sslCertReloadEnabled))
            if settings.crlValidate {
                guard let path = settings.crlFilePath else {
                    throw HTTPTLSError(setting: settings.flavor.settingsPrefix + "ssl.http.crl.file_path",
                                       reason: "must be set when ssl.http.crl.validate is true")
                }
                revocation = try RevocationChecker(path: configuration.resolve(path), trustedCAs: material.trustedCAs, logger: logger)
            }
        } else {
            tls = nil
        }

        let nodeID = try Self.persistentIdentifier(data.appendingPathComponent("node_id"))
        identity = NodeIdentity(flavor: settings.flavor, nodeName: settings.nodeName, clusterName: settings.clusterName,
                                clusterUUID: try Self.persistentIdentifier(data.appendingPathComponent("cluster_uuid")),
                                overrideMainResponseVersion: configuration.overrideMainResponseVersion,
                                hostAddress: PublishAddress.of(networkHost: settings.networkHost), nodeID: nodeID,
                                bindHost: settings.networkHost, httpPort: settings.httpPort,
                                maxContentLength: configuration.maxContentLength, dataPath: data.path)
        auditLog = AuditLog(sink: Self.auditSink(settings.auditType, data: data), engine: engine, logger: logger)
        let recorder = AuditRecorder(log: auditLog, security: security, node: identity, nodeID: nodeID,
                                     hostAddress: settings.networkHost, hostName: ProcessInfo.processInfo.hostName)
        pipeline = RequestPipeline(security: security, securityAPI: securityAPI, elastic: ElasticAPI(engine: engine, node: identity),
                                   audit: recorder, metrics: metrics, revocation: revocation, certificates: tls?.certificates)
    }

    /// Serves until `shutdown()` or SIGTERM/SIGINT: stops accepting, lets in-flight requests
    /// finish, writes the queued audit events, then returns.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let settings = configuration.settings
        let responder = NodeResponder(pipeline: pipeline, identities: identities, maxContentLength: configuration.maxContentLength)
        // No idle timeout here: `InlineRequestHandler` keeps `http.read_timeout` for every request.
        let http = HTTP1Channel.Configuration(additionalChannelHandlers: [ConnectionCloseHandler()], idleTimeout: nil)
        let readTimeout = configuration.readTimeout.map { TimeAmount($0) }
        let audit = pipeline.audit
        let logger = self.logger
        let metrics = self.metrics
        let onHandshakeFailure: TLSHandshakeFailureHandler.Report = { address, reason in
            metrics.authenticationFailed(reason: "tls_handshake")
            logger.info("Exception during establishing a SSL connection", metadata: ["peer": "\(address ?? "?")", "error": "\(reason)"])
            audit.recordHandshakeFailure(remoteAddress: address, reason: reason)
        }
        let maxContentLength = configuration.maxContentLength
        let server = HTTPServerBuilder { [tls, pipeline] responder in
            let http1 = HTTP1Channel(responder: responder, configuration: http)
            guard let tls else {
                return InlineAnsweringChannel(base: http1, pipeline: pipeline, maxContentLength: maxContentLength,
                                              readTimeout: readTimeout, decoderLimits: http.httpDecoder)
            }
            return InlineAnsweringChannel(base: ReloadableTLSChannel(http1, contexts: tls.holder, onHandshakeFailure: onHandshakeFailure),
                                          pipeline: pipeline, maxContentLength: maxContentLength, readTimeout: readTimeout,
                                          decoderLimits: http.httpDecoder)
        }
        let app = Application(responder: responder, server: server,
                              configuration: .init(address: .hostname(settings.networkHost, port: settings.httpPort),
                                                   serverName: nil),
                              onServerRunning: { [identity] channel in
                                  let port = channel.localAddress?.port ?? 0
                                  identity.httpPort.bound(port)
                                  await onServerRunning(port)
                              },
                              logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: app), .init(service: AuditService(log: auditLog))],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        serviceGroup.withLockedValue { $0 = group }
        try await group.run()
    }

    /// Starts the same graceful shutdown as SIGTERM.
    public func shutdown() async {
        await serviceGroup.withLockedValue { $0 }?.triggerGracefulShutdown()
    }

    static func auditSink(_ type: String?, data: URL) -> AuditLog.Sink {
        switch type {
        case "internal_elasticsearch", "internal_opensearch": return .internalIndex
        case "log4j": return .file(data.appendingPathComponent("audit.log").path)
        case "debug": return .debug
        default: return .none
        }
    }

    /// A random identifier kept in `file`, created on first start (cluster UUID, node ID).
    static func persistentIdentifier(_ file: URL) throws -> String {
        if let existing = try? String(contentsOf: file, encoding: .utf8), !existing.isEmpty {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let identifier = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        try identifier.write(to: file, atomically: true, encoding: .utf8)
        return identifier
    }
}

/// Runs the audit writer beside the server and drains it on shutdown.
struct AuditService: Service {
    let log: AuditLog

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await log.run() }
                group.addTask {
                    while !Task.isCancelled, (try? await Task.sleep(for: .seconds(1))) != nil { log.tick() }
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            log.finish()
        }
    }
}
