import Foundation
import JSONValue
import Testing
@testable import Shipper

/// The output against a fake node (plain HTTP): request shape and Filebeat's error handling
/// (reference §3.5–§3.7). `.serialized`: each test runs a server and a shipper.
@Suite(.serialized) struct OutputTests {
    @Test func startupRequestAndBulkShape() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append("alpha\nbeta\n", to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory, output: """
                  username: beats
                  password: s3cret
                  headers: {X-Lab: shipper}
                """)
            try await ship(config, dataPath: directory.data) { node.documents.count == 2 }
        }
        let requests = node.state.withLock { $0.requests }
        #expect(requests.first?.method == "GET")
        #expect(requests.first?.uri == "/")
        let bulk = try #require(node.bulkRequests.first)
        #expect(bulk.method == "POST")
        #expect(bulk.uri == "/_bulk?filter_path=errors,items.*.error,items.*.status")
        #expect(bulk.headers["Content-Type"] == "application/json; charset=UTF-8")
        #expect(bulk.headers["Authorization"] == "Basic YmVhdHM6czNjcmV0")
        #expect(bulk.headers["X-Lab"] == "shipper")
        #expect(bulk.headers["X-Elastic-Product-Origin"] == "beats")
        #expect(bulk.headers["User-Agent"] == "Filebeat/7.12.1 (certlab beats-shipper; linux)")
        let lines = bulk.body.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5 && lines[4] == "")
        let action = try JSON(parsing: String(lines[0]))
        let index = try #require(action["create"]?["_index"]?.stringValue)
        #expect(try Regex(#"^certlab-logs-\d{4}\.\d{2}\.\d{2}$"#).wholeMatch(in: index) != nil)
        #expect(action["create"]?["_id"]?.stringValue?.hasSuffix("-0") == true)
        let document = try JSON(parsing: String(lines[1]))
        #expect(document.objectValue?.keys == ["@timestamp", "agent", "ecs", "host", "input", "log", "message"])
        #expect(document["log"] == ["file": ["path": .string(directory.logs + "/app.log")], "offset": 0])
        #expect(document["agent"] == ["name": "lab-host", "type": "filebeat", "version": "7.12.1"])
        #expect(node.messages == ["alpha", "beta"])
    }

    @Test func perItemStatuses409And429And400() async throws {
        let node = FakeNode()
        node.configure { state in
            state.itemRule = { message, attempt in
                switch message {
                case "busy": return attempt < 2 ? 429 : nil
                case "flaky": return attempt == 0 ? 503 : nil
                case "bad": return 400
                default: return nil
                }
            }
        }
        let directory = try TemporaryDirectory()
        try directory.append("ok\nbusy\nbad\nflaky\nlast\n", to: "app.log")
        let deadLetters = directory.path + "/dead-letter.ndjson"
        let metrics = try await node.serve { port in
            let config = try testConfig(port: port, directory: directory, output: "  non_indexable_policy.dead_letter_file.path: \(deadLetters)")
            return try await ship(config, dataPath: directory.data) { node.documents.count == 4 }
        }
        #expect(node.messages == ["ok", "last", "flaky", "busy"])
        #expect(metrics.acked == 4 && metrics.tooMany == 2 && metrics.dropped == 1 && metrics.retried == 3 && metrics.duplicates == 0)
        // Retries re-send only the failed items.
        let retryBodies = node.bulkRequests.dropFirst().map { $0.body.split(separator: "\n").count / 2 }
        #expect(retryBodies == [2, 1])
        let record = try JSON(parsing: try String(contentsOfFile: deadLetters, encoding: .utf8).trimmingCharacters(in: .newlines))
        #expect(record["status"] == 400)
        #expect(record["reason"] == "mapper_parsing_exception: forced 400")
        #expect(record["event"]?["message"] == "bad")
    }

    @Test func replayedLinesAreDuplicatesNotNewDocuments() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 50).map { "line \($0)\n" }.joined(), to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            try await ship(config, dataPath: directory.data) { node.documents.count == 50 }
            // A crash that lost the registry's progress: the same ids come again.
            let registryFile = directory.data + "/registry/certlab-shipper.json"
            let saved = try String(contentsOfFile: registryFile, encoding: .utf8)
            try saved.replacingOccurrences(of: #""offset":\d+"#, with: #""offset":0"#, options: .regularExpression)
                .write(toFile: registryFile, atomically: true, encoding: .utf8)
            let metrics = try await ship(config, dataPath: directory.data) { node.bulkRequests.count >= 2 }
            #expect(metrics.duplicates == 50 && metrics.acked == 0)
        }
        #expect(node.documents.count == 50)
    }

    @Test func requestTooLargeSplitsTheBatch() async throws {
        let node = FakeNode()
        node.configure { $0.maxItemsPerRequest = 3 }
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 10).map { "l\($0)\n" }.joined(), to: "app.log")
        try await node.serve { port in
            try await ship(try testConfig(port: port, directory: directory), dataPath: directory.data) { node.documents.count == 10 }
        }
        #expect(node.messages == (1 ... 10).map { "l\($0)" })
        let sizes = node.bulkRequests.map { $0.body.split(separator: "\n").count / 2 }
        #expect(sizes == [10, 5, 2, 3, 5, 2, 3])
    }

    @Test func wholeRequestFailuresAreRetried() async throws {
        let node = FakeNode()
        node.configure { $0.failingRequests = 3 }
        let directory = try TemporaryDirectory()
        try directory.append("persist\n", to: "app.log")
        let metrics = try await node.serve { port in
            try await ship(try testConfig(port: port, directory: directory), dataPath: directory.data) { node.documents.count == 1 }
        }
        #expect(node.bulkRequests.count == 4)
        #expect(metrics.failedRequests == 3 && metrics.acked == 1)
    }

    @Test func connectRetriesUntilTheNodeAnswersAndStopsWhenAsked() async throws {
        let node = FakeNode()
        node.configure { $0.rootStatus = 503 }
        let directory = try TemporaryDirectory()
        try directory.append("late\n", to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            try await ship(config, dataPath: directory.data, while: {
                // The node answers 503 until the shipper has asked three times (not a fixed
                // delay: on a loaded machine the backoff may not fit three tries into it).
                try await eventually(timeout: .seconds(30)) { node.state.withLock { $0.requests.filter { $0.uri == "/" }.count } >= 3 }
                node.configure { $0.rootStatus = 200 }
            }) { node.documents.count == 1 }
        }
        #expect(node.state.withLock { $0.requests.filter { $0.uri == "/" }.count } >= 3)
        // Nothing listening: connect gives up only when stopped.
        let stop = StopSignal()
        let config = try testConfig(port: 1, directory: directory)
        let output = try ElasticsearchOutput(config: config.output, agent: AgentInfo(), metrics: ShipperMetrics(), logger: LogCapture().logger)
        Task { try await Task.sleep(for: .milliseconds(200)); stop.stop() }
        #expect(await output.connect(stop: stop) == nil)
        await output.shutdown()
    }

    @Test func oldNodesGetDocumentTypes() async throws {
        let node = FakeNode(version: "6.8.23")
        let directory = try TemporaryDirectory()
        try directory.append("legacy\n", to: "app.log")
        try await node.serve { port in
            try await ship(try testConfig(port: port, directory: directory), dataPath: directory.data) { node.documents.count == 1 }
        }
        #expect(node.bulkRequests.first?.body.contains(#""_type":"doc","_id":"#) == true)
    }
}
