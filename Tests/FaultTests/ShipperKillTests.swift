import Foundation
import JSONValue
import LabTestSupport
import Testing

/// Issue 9 "Faults": `kill -9` the shipper again and again while log lines are appended and
/// shipped with the lab's `config/shipper.yml` to a real node over mTLS; afterwards every line is
/// indexed exactly once.
///
/// Why it holds: the registry (`--path.data`) only advances after the node acknowledged a batch,
/// so a killed shipper re-sends from its last saved offset (at-least-once); every event carries
/// a deterministic `_id` (file identity + start offset, Shipper's `EventID`) in a `create`
/// action, so a re-sent line is a 409 that the shipper counts as delivered (reference §3.7) —
/// at-least-once delivery plus idempotent ids is exactly-once indexing.
@Suite(.serialized) struct ShipperKillTests {
    /// The log file and, for each line written, its start offset (`log.offset`) and text.
    final class AccessLog: @unchecked Sendable {
        let path: String
        private(set) var offsets: [Int] = []
        private(set) var size = 0

        init(path: String) {
            self.path = path
            FileManager.default.createFile(atPath: path, contents: nil)
        }

        static func line(_ number: Int) -> String {
            "127.0.0.1 - CLIENT1 [29/Nov/2026:17:00:00 +0000] \"GET /movies/_doc/\(number) HTTP/1.1\" 200 512 \"-\" \"python-requests/2.31\" line=\(number)"
        }

        func append(_ range: Range<Int>) throws {
            var text = ""
            for number in range {
                let line = Self.line(number)
                offsets.append(size)
                size += line.utf8.count + 1
                text += line + "\n"
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
    }

    func count(_ client: NodeClient, _ url: String) async throws -> Int {
        let answer = try await client.send("GET", url + "/certlab-logs-*/_count")
        return answer.status == 200 ? Int(answer.body["count"]?.intValue ?? 0) : -1
    }

    @Test(.timeLimit(.minutes(15)))
    func killNineWhileShippingIndexesEveryLineExactlyOnce() async throws {
        let kills = FaultScale.shipperKills
        let total = FaultScale.shipperLines
        let files = try LabFiles()
        try FileManager.default.createDirectory(atPath: files.directory.path("logs"), withIntermediateDirectories: true)
        let log = AccessLog(path: files.directory.path("logs/access.log"))
        let node = try await NodeProcess(files)
        let client = try NodeClient(files, as: "admin")
        let started = ContinuousClock.now
        var written = 0
        var indexedAtKills: [Int] = []
        for round in 0 ..< kills {
            let shipper = try files.startShipper(nodeURL: node.url)
            let chunk = round == kills - 1 ? total - written : total / kills
            try log.append(written ..< written + chunk)
            written += chunk
            try await randomPause(500 ... 2_500)
            kill(shipper.processIdentifier, SIGKILL)
            shipper.waitUntilExit()
            #expect(shipper.terminationReason == .uncaughtSignal)
            indexedAtKills.append(try await count(client, node.url))
        }
        // A last run that is left to finish, then stopped cleanly.
        let last = try files.startShipper(nodeURL: node.url)
        let deadline = ContinuousClock.now + .seconds(FaultScale.isFull ? 600 : 120)
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = try await count(client, node.url)
            if seen >= total { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        try await Task.sleep(for: .seconds(2))  // late duplicates would show up now
        let finalCount = try await count(client, node.url)
        last.terminate()
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        #expect(finalCount == total, "\(finalCount) documents for \(total) lines")

        // Exactly once, line by line: the `log.offset`s indexed are exactly the lines' offsets.
        let stats = try await client.send("POST", node.url + "/certlab-logs-*/_search", body: """
            {"size":0,"track_total_hits":true,"aggs":{"distinct":{"cardinality":{"field":"log.offset"}},
             "sum":{"sum":{"field":"log.offset"}},"min":{"min":{"field":"log.offset"}},"max":{"max":{"field":"log.offset"}}}}
            """)
        #expect(stats.status == 200)
        let aggregations = stats.body["aggregations"]
        #expect(aggregations?["distinct"]?["value"]?.intValue == Int64(total))
        #expect(aggregations?["sum"]?["value"]?.doubleValue == Double(log.offsets.reduce(0, +)))
        #expect(aggregations?["min"]?["value"]?.doubleValue == 0)
        #expect(aggregations?["max"]?["value"]?.doubleValue == Double(log.offsets.last ?? -1))
        // And a sample read back by offset: one document each, with the line's text.
        for number in (0 ..< 20).map({ _ in Int.random(in: 0 ..< total) }) + [0, total - 1] {
            let hit = try await client.send("POST", node.url + "/certlab-logs-*/_search",
                                            body: #"{"query":{"term":{"log.offset":\#(log.offsets[number])}}}"#)
            #expect(hit.body["hits"]?["total"]?["value"]?.intValue == 1, "line \(number)")
            #expect(hit.body["hits"]?["hits"]?[0]?["_source"]?["message"]?.stringValue == AccessLog.line(number))
        }
        node.signal(SIGTERM)
        #expect(await node.wait() == 0)
        await client.shutdown()
        report("shipper kill -9 while shipping: \(kills) kills, \(total) lines, \(finalCount) indexed, \(finalCount - total) duplicates, indexed at each kill \(indexedAtKills), \(ContinuousClock.now - started)")
    }
}
