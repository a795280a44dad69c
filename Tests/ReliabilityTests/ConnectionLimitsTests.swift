import Foundation
import JSONValue
import LabTestSupport
import NIOCore
import SearchEngine
import SecurityEngine
import Testing
@testable import NodeServer

/// What many, slow or huge connections do to the node: idle and slowloris connections are cut
/// after `http.read_timeout`, a 200 MB body gets 413 without being held in memory, and 500
/// mTLS connections at once get their right answers with memory bounded. The memory figures
/// come from a `search-node` child process (`/proc/PID/status` VmRSS).
@Suite(.serialized) struct ConnectionLimitsTests {
    /// Resident memory of `pid` in MiB.
    static func residentMiB(_ pid: Int32) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }

    static func files(nodeSettings: String = "") throws -> LabFiles {
        let files = try LabFiles()
        if !nodeSettings.isEmpty {
            let yml = try String(contentsOfFile: files.nodeConfig, encoding: .utf8)
            try (yml + "\n" + nodeSettings + "\n").write(toFile: files.nodeConfig, atomically: true, encoding: .utf8)
        }
        return files
    }

    @Test func readTimeoutSettingIsParsedLikeElasticsearchTimeValues() throws {
        let files = try Self.files(nodeSettings: "http.read_timeout: 2500ms")
        let configuration = try NodeConfiguration(configFile: URL(fileURLWithPath: files.nodeConfig), securityConfigDirectory: nil, dataPath: nil)
        #expect(configuration.readTimeout == .milliseconds(2500))
        #expect(TimeValue.milliseconds("2m") == 120_000)
        #expect(TimeValue.milliseconds("0") == 0)
        #expect(TimeValue.milliseconds("-1") == 0)
        #expect(TimeValue.milliseconds("30") == nil)
        let plain = try Self.files()
        let defaults = try NodeConfiguration(configFile: URL(fileURLWithPath: plain.nodeConfig), securityConfigDirectory: nil, dataPath: nil)
        #expect(defaults.readTimeout == .seconds(60))
        let broken = try Self.files(nodeSettings: "http.read_timeout: soon")
        #expect(throws: ConfigError.self) {
            try NodeConfiguration(configFile: URL(fileURLWithPath: broken.nodeConfig), securityConfigDirectory: nil, dataPath: nil)
        }
    }

    /// A body over `http.max_content_length` gets 413 with `Connection: close`, and the node
    /// does close (RFC 9112 §9.6) instead of reading the rest of the body to reach the next
    /// request; the declared length alone decides, before any body byte is read.
    @Test func oversizedBodyGets413AndTheConnectionIsClosed() async throws {
        try await LabNode.with(files: Self.files(nodeSettings: "http.max_content_length: 1kb")) { lab in
            let probe = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                                   identity: TLSProbe.Identity(certificate: lab.cert("admin"), key: lab.key("admin")))
            await probe.send("PUT /small/_doc/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2048\r\n\r\n")
            let response = await probe.response(timeout: .seconds(5))
            #expect(response?.status == 413 && response?.body == "" && response?.header("Connection") == "close"
                    && response?.header("Content-Length") == "0", "\(String(describing: response))")
            #expect(await probe.waitForClose(timeout: .seconds(3)))
            await probe.close()
            #expect(try await lab.curl("GET", "/small/_doc/1", as: "admin").status == 404)
        }
    }

    /// Plain HTTP on the TLS port (reference §1.11): no HTTP answer, the connection is closed,
    /// and the failed handshake is an SSL_EXCEPTION audit event (§9).
    @Test func plaintextOnTheTLSPortIsClosedAndAudited() async throws {
        try await LabNode.with(adjust: AuditTrail.fileSink) { lab in
            let trail = AuditTrail(lab: lab)
            let mark = await trail.all().count
            let probe = try await TLSProbe.connectPlain(port: lab.port)
            await probe.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await probe.waitForClose(timeout: .seconds(5)))
            #expect(TLSProbe.parse(Array(probe.receivedText.utf8), closed: true) == nil, "got an HTTP answer: \(probe.receivedText)")
            await probe.close()
            let events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["SSL_EXCEPTION"])
            #expect(events.first?["audit_request_exception_stacktrace"]?.stringValue?.contains("HTTP_REQUEST") == true,
                    "\(String(describing: events.first))")
        }
    }

    /// `http.read_timeout: 2s`: a connection that never handshakes, one that handshakes and
    /// sends nothing, one that dribbles a request head a byte every 250 ms (never completing
    /// it), and a keep-alive connection left idle after a response are all closed by the node
    /// within the timeout plus scheduling slack; a connection in active use is not.
    @Test(.slowReliabilityCase) func idleAndSlowlorisConnectionsAreClosedAfterTheReadTimeout() async throws {
        try await LabNode.with(files: Self.files(nodeSettings: "http.read_timeout: 2s")) { lab in
            func admin() async throws -> TLSProbe {
                try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                           identity: TLSProbe.Identity(certificate: lab.cert("admin"), key: lab.key("admin")))
            }
            let started = ContinuousClock.now
            let plain = try await TLSProbe.connectPlain(port: lab.port)
            let silent = try await admin()
            let idleAfterResponse = try await admin()
            #expect(await idleAfterResponse.request("GET", "/")?.status == 200)
            let slow = try await admin()
            let head = Array("GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 40)
            var sent = 0
            while !slow.isClosed, sent < head.count, ContinuousClock.now - started < .seconds(10) {
                await slow.send([head[sent]])
                sent += 1
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(await slow.waitForClose(timeout: .seconds(3)), "slowloris still open after \(sent) bytes")
            #expect(sent < head.count, "the node waited for the whole dribbled head")
            for (name, probe) in [("plain", plain), ("silent", silent), ("idle after response", idleAfterResponse)] {
                #expect(await probe.waitForClose(timeout: .seconds(4)), "\(name)")
            }
            let elapsed = ContinuousClock.now - started
            print("[reliability] read_timeout 2s: slowloris cut after \(sent) dribbled bytes; all four idle connections closed \(elapsed) after opening")
            #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(9), "\(elapsed)")
            #expect(slow.receivedByteCount == 0, "no response to an incomplete head")
            // A busy connection outlives the timeout.
            let busy = try await admin()
            for _ in 0..<6 {
                #expect(await busy.request("GET", "/")?.status == 200)
                try await Task.sleep(for: .milliseconds(700))
            }
            #expect(!busy.isClosed)
            await busy.close()
        }
    }

    /// 200 MB to a node whose `http.max_content_length` is the default 100mb. With the length
    /// declared, the node answers 413 (empty body, `Connection: close`, as Elasticsearch's
    /// aggregator does) before reading it; chunked, it stops at the limit. Either way its
    /// resident memory stays far below the body size and it keeps serving.
    @Test(.slowReliabilityCase) func twoHundredMegabyteBodiesGet413WithBoundedMemory() async throws {
        let files = try LabFiles()
        let node = try await NodeProcess(files)
        defer { node.signal(SIGKILL) }
        let pid = node.process.processIdentifier
        func admin() async throws -> TLSProbe {
            try await TLSProbe.connect(port: node.port, trustRoot: files.cert("root-ca"),
                                       identity: TLSProbe.Identity(certificate: files.cert("admin"), key: files.key("admin")))
        }
        #expect(try await files.curl("GET", node.url + "/", as: "admin", basic: nil, body: nil, contentType: "application/json").status == 200)
        let baseline = Self.residentMiB(pid)
        let size = 200 * 1024 * 1024
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1024 * 1024)

        for chunked in [false, true] {
            let probe = try await admin()
            let framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: \(size)\r\n"
            await probe.send("POST /big/_doc HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\(framing)\r\n")
            var sent = 0, peak = baseline
            while sent < size, !probe.isClosed, probe.receivedByteCount == 0 {
                await probe.send(chunked ? Array("100000\r\n".utf8) + chunk + Array("\r\n".utf8) : chunk)
                sent += chunk.count
                if sent % (8 * chunk.count) == 0 { peak = max(peak, Self.residentMiB(pid)) }
            }
            let response = await probe.response(timeout: .seconds(10))
            #expect(response?.status == 413 && response?.body == "" && response?.header("Connection") == "close"
                    && response?.header("Content-Length") == "0", "chunked \(chunked): \(String(describing: response))")
            #expect(await probe.waitForClose(timeout: .seconds(5)))
            peak = max(peak, Self.residentMiB(pid))
            let limit = chunked ? 100.0 + 60 : 40
            print("[reliability] 200 MB body, chunked \(chunked): 413 after \(sent >> 20) MiB sent; node RSS \(Int(baseline)) → peak \(Int(peak)) MiB")
            #expect(peak - baseline < limit, "chunked \(chunked): RSS grew \(peak - baseline) MiB (from \(baseline)) after \(sent >> 20) MiB sent")
            await probe.close()
        }
        #expect(node.process.isRunning)
        #expect(try await files.curl("GET", node.url + "/", as: "admin", basic: nil, body: nil, contentType: "application/json").status == 200)
    }

    /// 500 mTLS connections held open at once, half with the `CLIENT1` certificate (200 from
    /// `authinfo`), half without a certificate (the 401 challenge); every connection gets its
    /// exact answer, none is dropped, and the node stays under 250 MiB resident.
    @Test(.slowReliabilityCase) func fiveHundredConcurrentConnectionsGetTheirAnswersWithBoundedMemory() async throws {
        let files = try LabFiles()
        let node = try await NodeProcess(files)
        defer { node.signal(SIGKILL) }
        let pid = node.process.processIdentifier
        let client = try TLSProbe.Identity(certificate: files.cert("CLIENT1"), key: files.key("CLIENT1"))
        let count = 500
        var probes: [TLSProbe] = []
        for batch in stride(from: 0, to: count, by: 25) {
            let opened = try await withThrowingTaskGroup(of: (Int, TLSProbe).self) { group in
                for index in batch..<min(batch + 25, count) {
                    group.addTask {
                        (index, try await TLSProbe.connect(port: node.port, trustRoot: files.cert("root-ca"), identity: index.isMultiple(of: 2) ? client : nil))
                    }
                }
                return try await group.reduce(into: [(Int, TLSProbe)]()) { $0.append($1) }
            }
            probes += opened.sorted { $0.0 < $1.0 }.map(\.1)
        }
        #expect(probes.count == count)
        // Each connection's outcome: "ok", "challenged", or what went wrong (for the failure message).
        let outcomes = await withTaskGroup(of: String.self) { group in
            for (index, probe) in probes.enumerated() {
                group.addTask {
                    let response = await probe.request("GET", "/_opendistro/_security/authinfo?filter_path=user_name,principal", timeout: .seconds(60))
                    if index.isMultiple(of: 2) {
                        let good = response?.status == 200 && response?.header("Content-Type") == "application/json; charset=UTF-8"
                            && response?.body == #"{"user_name":"CLIENT1","principal":"CN=CLIENT1,OU=lab,O=certlab"}"#
                        return good ? "ok" : "certificate: \(String(describing: response)) \(probe.errorText ?? "")"
                    }
                    let challenged = response?.status == 401 && response?.body == "Unauthorized"
                        && response?.header("WWW-Authenticate") == #"Basic realm="Open Distro Security""#
                    return challenged ? "challenged" : "anonymous: \(String(describing: response)) \(probe.errorText ?? "")"
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        let failures = outcomes.filter { $0 != "ok" && $0 != "challenged" }
        #expect(outcomes.filter { $0 == "ok" }.count == count / 2, "\(failures.count) failed, e.g. \(failures.prefix(3))")
        #expect(outcomes.filter { $0 == "challenged" }.count == count / 2)
        let resident = Self.residentMiB(pid)
        print("[reliability] \(count) concurrent mTLS connections held: node RSS \(Int(resident)) MiB")
        #expect(resident < 250, "node RSS \(resident) MiB with \(count) connections")
        #expect(probes.filter(\.isClosed).isEmpty, "connections dropped while held")
        #expect(node.process.isRunning)
        for probe in probes { await probe.close() }
        #expect(try await files.curl("GET", node.url + "/_opendistro/_security/authinfo", as: "CLIENT1", basic: nil, body: nil,
                                     contentType: "application/json").status == 200)
    }
}
