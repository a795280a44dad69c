import ArgumentParser
import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// `bench-load`: an HTTP/1.1 load generator that presents a client certificate, which none of
/// wrk, ab or siege can do at speed (issue 9). N connections, a fixed duration, keep-alive or a
/// new TLS connection per request (handshakes/s), latency percentiles from HdrHistogram.
///
/// Each connection is driven by a channel handler on its event loop: the next request goes out
/// the moment the previous response ends, with no task hops, so the tool costs little next to
/// the server it measures (validated against wrk on plain HTTP in `bench/run.sh`).
@main
struct LoadGenerator: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-load", abstract: "HTTP/1.1 load with client certificates.")

    @Option(help: "Target URL (http or https).") var url: String
    @Option(help: "Another path (with query) on the same host, repeatable: each connection sends the URL's path and these in turn.")
    var alsoPath: [String] = []
    @Option(help: "CA bundle for https.") var cacert: String?
    @Option(help: "Client certificate (PEM).") var cert: String?
    @Option(help: "Client key (PKCS#8 PEM).") var key: String?
    @Option(help: "Concurrent connections.") var connections = 8
    @Option(help: "Seconds to run.") var duration = 10.0
    @Option(help: "Event loop threads.") var threads = 1
    @Option(help: "HTTP method.") var method = "GET"
    @Option(help: "File whose bytes are sent as the request body.") var body: String?
    @Option(help: "Content-Type of the body.") var contentType = "application/json"
    @Flag(help: "Open a new connection (and TLS handshake) for every request.") var newConnections = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        guard let target = URL(string: url), let host = target.host, let scheme = target.scheme else {
            throw ValidationError("--url must be an absolute http(s) URL")
        }
        let port = target.port ?? (scheme == "https" ? 443 : 80)
        let path = target.path.isEmpty ? "/" : target.path + (target.query.map { "?" + $0 } ?? "")
        var tls: NIOSSLContext?
        if scheme == "https" {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let cacert { configuration.trustRoots = .file(cacert) }
            if let cert, let key {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .file(key)
            }
            tls = try NIOSSLContext(configuration: configuration)
        }
        let payload = try body.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let requests = ([path] + alsoPath).map { path in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            if let payload {
                head.headers.add(name: "Content-Type", value: contentType)
                head.headers.add(name: "Content-Length", value: String(RequestTemplate.expandedLength(payload)))
            }
            if newConnections { head.headers.add(name: "Connection", value: "close") }
            return RequestTemplate(head: head, body: payload)
        }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        defer { try? group.syncShutdownGracefully() }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(duration * 1e9))
        let started = NIODeadline.now()
        let workers = (0..<connections).map { _ in
            ConnectionDriver(group: group, host: host, port: port, tls: tls, requests: requests, deadline: deadline, reconnect: newConnections)
        }
        // Start every connection first, then wait: each runs until the deadline.
        let futures = workers.map { $0.start() }
        let results = try futures.map { try $0.wait() }
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var statuses: [UInt: Int] = [:]
        var errors = 0
        for result in results {
            histogram.add(result.latencies)
            for (status, count) in result.statuses { statuses[status, default: 0] += count }
            errors += result.errors
        }
        Report(requests: Int(histogram.totalCount), seconds: elapsed, histogram: histogram, statuses: statuses, errors: errors)
            .print(json: json)
    }
}

/// What every request sends, encoded once. Each `{seq}` in the body is the place of a 12-digit
/// request number, so that `_bulk` bodies with explicit ids (`"_id":"{seq}-7"`) create new
/// documents on every request instead of answering 409 from the second one on.
struct RequestTemplate: Sendable {
    private let template: ByteBuffer
    private let sequenceOffsets: [Int]
    private static let counter = Atomic<Int>(0)

    init(head: HTTPRequestHead, body: Data?) {
        var text = "\(head.method.rawValue) \(head.uri) HTTP/1.1\r\n"
        for (name, value) in head.headers { text += "\(name): \(value)\r\n" }
        var buffer = ByteBuffer(string: text + "\r\n")
        var offsets: [Int] = []
        if var body = body.map(Array.init) {
            let marker = Array("{seq}".utf8), padded = Array("000000000000".utf8)
            var index = 0, output: [UInt8] = []
            while index < body.count {
                if body[index] == marker[0], body.count - index >= marker.count, Array(body[index ..< index + marker.count]) == marker {
                    offsets.append(buffer.writerIndex + output.count)
                    output += padded
                    index += marker.count
                } else {
                    output.append(body[index])
                    index += 1
                }
            }
            body = output
            buffer.writeBytes(body)
        }
        template = buffer
        sequenceOffsets = offsets
    }

    /// The body's length once its markers are numbers (each `{seq}` becomes 12 digits).
    static func expandedLength(_ body: Data) -> Int {
        let marker = Array("{seq}".utf8)
        var count = 0, index = body.startIndex
        while let found = body[index...].firstRange(of: marker) { count += 1; index = found.upperBound }
        return body.count + count * 7
    }

    /// The bytes of the next request, with this request's number in every marker.
    var bytes: ByteBuffer {
        guard !sequenceOffsets.isEmpty else { return template }
        var buffer = template
        let digits = Array(String(Self.counter.wrappingAdd(1, ordering: .relaxed).newValue).utf8.suffix(12))
        let number = Array(repeating: UInt8(ascii: "0"), count: 12 - digits.count) + digits
        for offset in sequenceOffsets { buffer.setBytes(number, at: offset) }
        return buffer
    }
}

/// One connection's tallies (microseconds).
struct ConnectionResult: Sendable {
    var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    var statuses: [UInt: Int] = [:]
    var errors = 0
}

struct Report {
    let requests: Int
    let seconds: Double
    let histogram: Histogram<UInt64>
    let statuses: [UInt: Int]
    let errors: Int

    func print(json: Bool) {
        let rate = Double(requests) / seconds
        let percentiles = [50.0, 90.0, 99.0].map { Double(histogram.valueAtPercentile($0)) / 1000 }
        let max = Double(histogram.maxRecorded) / 1000
        let statusText = statuses.keys.sorted().map { "\"\($0)\":\(statuses[$0]!)" }.joined(separator: ",")
        if json {
            Swift.print(String(format: #"{"requests":%d,"seconds":%.3f,"rate":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"errors":%d,"statuses":{%@}}"#,
                               requests, seconds, rate, percentiles[0], percentiles[1], percentiles[2], max, errors, statusText))
        } else {
            Swift.print(String(format: "%d requests in %.2f s: %.1f req/s; latency p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; errors %d; statuses {%@}",
                               requests, seconds, rate, percentiles[0], percentiles[1], percentiles[2], max, errors, statusText))
        }
    }
}
