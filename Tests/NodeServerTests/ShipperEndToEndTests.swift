import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// The lab's `config/shipper.yml` driving the real `beats-shipper` into a real node over mTLS
/// (issue 7 tests): every line exactly once through kill -9 restarts and a node outage.
@Suite(.serialized) struct ShipperEndToEndTests {
    /// A TCP port that was free a moment ago (the node restarts on the same one).
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func count(_ lab: LabNode) async throws -> Int {
        let result = try await lab.curl("GET", "/certlab-logs-*/_count?filter_path=count", as: "admin")
        guard result.status == 200, let json = try? JSONSerialization.jsonObject(with: Data(result.body.utf8)) as? [String: Any] else { return 0 }
        return json["count"] as? Int ?? 0
    }

    func waitForCount(_ expected: Int, _ lab: LabNode, timeout: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = try await count(lab)
            if seen >= expected { return seen }
            try await Task.sleep(for: .milliseconds(250))
        }
        return seen
    }

    func appendLines(_ range: Range<Int>, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var text = ""
        for number in range {
            text += "127.0.0.1 - CLIENT1 [29/Nov/2026:17:00:00 +0000] \"GET /movies/_doc/\(number) HTTP/1.1\" 200 512 \"-\" \"python-requests/2.31\" line=\(number) " + String(repeating: "x", count: 40) + "\n"
        }
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func everyLineArrivesExactlyOnceThroughKillNineRestarts() async throws {
        let files = try LabFiles()
        try FileManager.default.createDirectory(atPath: files.directory.path("logs"), withIntermediateDirectories: true)
        let log = files.directory.path("logs/access.log")
        let total = 100_000
        try await LabNode.with(files: files) { lab in
            var written = 0
            for _ in 0..<10 {
                let shipper = try files.startShipper(nodeURL: "https://localhost:\(lab.port)")
                try appendLines(written..<(written + total / 10), to: log)
                written += total / 10
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...900)))
                kill(shipper.processIdentifier, SIGKILL)
                shipper.waitUntilExit()
            }
            let last = try files.startShipper(nodeURL: "https://localhost:\(lab.port)")
            let seen = try await waitForCount(total, lab, timeout: .seconds(180))
            try await Task.sleep(for: .seconds(2))
            #expect(seen == total)
            #expect(try await count(lab) == total)
            last.terminate()
            last.waitUntilExit()
            #expect(last.terminationStatus == 0)
        }
    }

    @Test func linesWrittenWhileTheNodeIsDownArriveAfterItReturns() async throws {
        let files = try LabFiles()
        try FileManager.default.createDirectory(atPath: files.directory.path("logs"), withIntermediateDirectories: true)
        let log = files.directory.path("logs/access.log")
        let port = try Self.freePort()
        var shipper: Process?
        try await LabNode.with(files: files, adjust: { $0.settings.httpPort = port }) { lab in
            shipper = try files.startShipper(nodeURL: "https://localhost:\(port)")
            try appendLines(0..<1_000, to: log)
            #expect(try await waitForCount(1_000, lab, timeout: .seconds(60)) == 1_000)
        }
        try appendLines(1_000..<3_000, to: log)
        try await Task.sleep(for: .seconds(10))
        try await LabNode.with(files: files, adjust: { $0.settings.httpPort = port }) { lab in
            #expect(try await waitForCount(3_000, lab, timeout: .seconds(90)) == 3_000)
            try await Task.sleep(for: .seconds(1))
            #expect(try await count(lab) == 3_000)
        }
        shipper?.terminate()
        shipper?.waitUntilExit()
    }
}
