import Foundation
import JSONValue
import LabClient
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `beats-shipper test output` (issue 7): the connection to each host step by step, in the
/// layout of `filebeat test output` — URL, DNS, TCP dial, TLS settings and handshake (with the
/// hostname check the verification mode implies), `GET /` and the authenticated user.
public enum OutputProbe {
    /// Runs the checks for every host, calling `print` with each line; true if all passed.
    public static func run(_ config: ElasticsearchOutputConfig, agent: AgentInfo = AgentInfo(),
                           print: @escaping @Sendable (String) -> Void) async -> Bool {
        var allPassed = true
        for url in config.hosts {
            var single = config
            single.hosts = [url]
            if await !probe(single, url: url, agent: agent, print: print) { allPassed = false }
        }
        return allPassed
    }

    private static func probe(_ config: ElasticsearchOutputConfig, url: String, agent: AgentInfo,
                              print: @escaping @Sendable (String) -> Void) async -> Bool {
        print("elasticsearch: \(url)...")
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            print("  parse url... ERROR not a URL")
            return false
        }
        print("  parse url... OK")
        print("  connection...")
        print("    parse host... OK")
        let addresses: [String]
        switch resolve(host) {
        case .success(let list): addresses = list
        case .failure(let error):
            print("    dns lookup... ERROR \(error.message)")
            return false
        }
        print("    dns lookup... OK")
        print("    addresses: \(addresses.joined(separator: ", "))")
        // Like Go's dialer: the addresses in order until one answers (localhost may be ::1 first).
        var failure: String?
        for address in addresses {
            failure = dial(address, port: port)
            if failure == nil { break }
        }
        if let failure {
            print("    dial up... ERROR \(failure)")
            return false
        }
        print("    dial up... OK")
        if let tls = config.tls {
            print("  TLS...")
            switch tls.verification {
            case .none: print("    security... WARN server's certificate chain verification is disabled")
            default: print("    security: server's certificate chain verification is enabled")
            }
            let hostCheck: String
            switch tls.verification {
            case .full: hostCheck = "enabled (SAN, CN when no DNS SAN)"
            case .strict: hostCheck = "enabled (SAN only)"
            case .certificate, .none: hostCheck = "disabled (verification_mode: \(tls.verification.rawValue))"
            }
            print("    hostname check: \(hostCheck)")
            if let certificate = tls.certificate { print("    client certificate: \(certificate)") }
            do {
                _ = try tls.makeConfiguration()
                print("    certificates and key... OK")
            } catch {
                print("    certificates and key... ERROR \(error)")
                return false
            }
            guard await presentedChain(host: host, port: port, tls: tls, print: print) else { return false }
        }
        let metrics = ShipperMetrics()
        let output: ElasticsearchOutput
        do {
            output = try ElasticsearchOutput(config: config, agent: agent, metrics: metrics, logger: Logger(label: "probe", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            print("  talk to server... ERROR \(error)")
            return false
        }
        if config.tls?.needsPreflight == true {
            do {
                let preflight = try await output.preflight()
                if config.tls?.verification == .strict { print("    SAN present (strict)... OK") }
                if config.tls?.caTrustedFingerprint != nil {
                    if let ca = preflight?.trustedByFingerprint {
                        print("    ca_trusted_fingerprint... OK matches \(ca.principal), trusted for this run")
                    } else {
                        print("    ca_trusted_fingerprint... WARN no CA certificate in the presented chain has this fingerprint")
                    }
                }
            } catch {
                print("    handshake... ERROR \(error)")
                await output.shutdown()
                return false
            }
        }
        let outcome = await output.probe()
        await output.shutdown()
        switch outcome.version {
        case .success(let version):
            if config.tls != nil { print("    handshake... OK") }
            print("  talk to server... OK")
            print("  version: \(version)")
        case .failure(let error):
            if config.tls != nil && error.message.contains("failedToValidateHostname") {
                print("    handshake... ERROR hostname check failed: the node's certificate does not name \(host) (\(error.message))")
            } else if config.tls != nil && (error.message.contains("TLS") || error.message.contains("SSL")) {
                print("    handshake... ERROR \(error.message)")
            } else {
                print("  talk to server... ERROR \(error.message)")
            }
            return false
        }
        print("  authentication: \(outcome.user)")
        return true
    }

    /// A handshake of its own to report what the node presents, before any trust decision.
    private static func presentedChain(host: String, port: Int, tls: ClientTLSOptions,
                                       print: @escaping @Sendable (String) -> Void) async -> Bool {
        do {
            let chain = try await TLSHandshakeProbe.handshake(host: host, port: port, tls: tls)
            print("    TLS version: \(chain.tlsVersion)")
            print("    certificate chain presented by the node:")
            for (index, (certificate, fingerprint)) in zip(chain.certificates, chain.sha256Fingerprints).enumerated() {
                print("      \(index): subject \(certificate.principal)")
                print("         issuer \(certificate.issuerPrincipal)")
                print("         valid \(iso(certificate.notValidBefore)) to \(iso(certificate.notValidAfter))")
                print("         sha256 \(fingerprint)")
            }
            return true
        } catch {
            print("    handshake... ERROR \(error)")
            return false
        }
    }

    private static func iso(_ date: Date) -> String {
        Timestamp(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000)).iso8601()
    }

    struct Failure: Error { var message: String }

    static func resolve(_ host: String) -> Result<[String], Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else { return .failure(Failure(message: String(cString: gai_strerror(status)))) }
        defer { freeaddrinfo(list) }
        var result: [String] = []
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let entry = current {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !result.contains(address) { result.append(address) }
            }
            current = entry.pointee.ai_next
        }
        return result.isEmpty ? .failure(Failure(message: "no address")) : .success(result)
    }

    /// A plain TCP connect to see whether anything listens, before TLS is involved.
    static func dial(_ address: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &list) == 0, let entry = list else { return "bad address \(address)" }
        defer { freeaddrinfo(list) }
        let descriptor = socket(entry.pointee.ai_family, entry.pointee.ai_socktype, entry.pointee.ai_protocol)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        guard connect(descriptor, entry.pointee.ai_addr, entry.pointee.ai_addrlen) == 0 else {
            return "dial tcp \(address):\(port): \(String(cString: strerror(errno)))"
        }
        return nil
    }
}

extension ElasticsearchOutput {
    struct ProbeOutcome {
        var version: Result<String, OutputProbe.Failure>
        var user: String
    }

    /// One `GET /` and one authinfo call, no retries: what `test output` reports.
    func probe() async -> ProbeOutcome {
        let root: LabResponse
        do {
            root = try await sendOnce("GET", "/")
        } catch {
            return ProbeOutcome(version: .failure(.init(message: "\(error)")), user: "-")
        }
        guard (200 ..< 300).contains(root.status), let version = (try? JSON(parsing: root.body))?["version"]?["number"]?.stringValue else {
            return ProbeOutcome(version: .failure(.init(message: "GET / answered \(root.status): \(root.bodyText.prefix(200))")), user: "-")
        }
        var user = "unknown (no authinfo endpoint)"
        for path in ["/_plugins/_security/authinfo", "/_opendistro/_security/authinfo"] {
            guard let response = try? await sendOnce("GET", path) else { continue }
            if response.status == 200, let name = (try? JSON(parsing: response.body))?["user_name"]?.stringValue {
                let roles = (try? JSON(parsing: response.body))?["backend_roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
                user = "OK user \"\(name)\"" + (roles.isEmpty ? "" : " backend roles \(roles)")
                break
            }
            if response.status == 401 || response.status == 403 {
                user = "ERROR \(response.status) \(response.bodyText.prefix(200))"
                break
            }
        }
        return ProbeOutcome(version: .success(version), user: user)
    }
}
