import Foundation

/// Sample web-server access-log lines for the lab (issue 7): Apache/nginx "combined" format
/// with plausible clients, paths, statuses, sizes and user agents, deterministic for a seed so
/// that tests and benchmarks can reproduce a run.
public struct AccessLogGenerator {
    private var state: UInt64

    public init(seed: UInt64 = 42) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    private static let paths = ["/", "/index.html", "/api/v1/orders", "/api/v1/orders/1042", "/api/v1/users/me", "/login",
                                "/static/app.js", "/static/style.css", "/images/logo.png", "/search?q=certificates",
                                "/healthz", "/admin/settings", "/api/v1/invoices?page=3", "/favicon.ico"]
    private static let methods = ["GET", "GET", "GET", "GET", "POST", "PUT", "DELETE"]
    private static let statuses = [200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 404, 500, 503]
    private static let agents = [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "curl/8.5.0", "python-requests/2.32.3", "kube-probe/1.30", "Go-http-client/1.1",
    ]
    private static let users = ["-", "-", "-", "alice", "bob", "svc-shipper"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// xorshift64*: fast and reproducible, quality is irrelevant here.
    private mutating func next(_ bound: Int) -> Int {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
    }

    /// One line, e.g. `10.0.3.17 - alice [29/Nov/2026:17:04:05 +0000] "GET /login HTTP/1.1" 200 5120 "-" "curl/8.5.0"`.
    public mutating func line(at date: Date = Date()) -> String {
        let time = Timestamp(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000))
        let client = "10.\(next(4)).\(next(256)).\(1 + next(254))"
        let stamp = "\(time.pad(time.day, 2))/\(Self.months[time.month - 1])/\(time.year):\(time.pad(time.hour, 2)):\(time.pad(time.minute, 2)):\(time.pad(time.second, 2)) +0000"
        let status = Self.statuses[next(Self.statuses.count)]
        let bytes = status == 204 || status == 304 ? 0 : 200 + next(48_000)
        let method = Self.methods[next(Self.methods.count)]
        let path = Self.paths[next(Self.paths.count)]
        let agent = Self.agents[next(Self.agents.count)]
        let user = Self.users[next(Self.users.count)]
        return "\(client) - \(user) [\(stamp)] \"\(method) \(path) HTTP/1.1\" \(status) \(bytes) \"-\" \"\(agent)\""
    }

    /// Appends `count` lines to `path` at about `rate` lines per second (0 = as fast as
    /// possible), writing in chunks so that a reader sees complete lines.
    public mutating func write(count: Int, rate: Double, to path: String) async throws(ShipperError) {
        if !FileManager.default.fileExists(atPath: path) {
            let directory = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw ShipperError("cannot create \(path)") }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ShipperError("cannot open \(path) for writing") }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        let started = ContinuousClock.now
        var written = 0
        while written < count {
            let chunk = rate > 0 ? max(1, min(count - written, Int(rate / 10))) : min(count - written, 1000)
            var text = ""
            for _ in 0 ..< chunk { text += line() + "\n" }
            do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw ShipperError("cannot write \(path): \(error.localizedDescription)") }
            written += chunk
            if rate > 0 {
                let due = started + .milliseconds(Int64(Double(written) / rate * 1000))
                if due > .now { try? await Task.sleep(until: due) }
            }
        }
    }
}
