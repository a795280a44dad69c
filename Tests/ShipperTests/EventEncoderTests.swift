import Foundation
import JSONValue
import Testing
@testable import Shipper

@Suite struct EventEncoderTests {
    /// Encodes `message` as line at `offset` of a harvester on a temp file, for the given input.
    func encode(_ message: String, offset: UInt64 = 40, input: String = "", tags: [String] = [], at ms: Int64 = 1_764_435_845_123) throws -> String {
        let directory = try TemporaryDirectory()
        try directory.append("x\n", to: "app.log")
        let config = try testConfig(port: 9, directory: directory, input: input)
        let path = directory.logs + "/app.log"
        let status = try #require(FileStatus.of(path: path))
        let harvester = try #require(Harvester(path: path, key: status.key, inputIndex: 0,
                                               state: FileState(key: status.key, source: path, generation: 0xABC, offset: 0)))
        let agent = AgentInfo(name: "shipper-1", hostname: "lab-host.example", version: "7.12.1")
        let encoder = EventEncoder(agent: agent, inputs: config.inputs, globalTags: tags,
                                   index: try IndexPattern("certlab-logs-%{+yyyy.MM.dd}", agentName: agent.name, agentVersion: agent.version))
        var batch = Batch()
        Array(message.utf8).withUnsafeBufferPointer { encoder.append(line: $0, offset: offset, from: harvester, millisecondsSinceEpoch: ms, to: &batch) }
        let id = EventID.make(key: status.key, generation: 0xABC, offset: offset)
        return String(decoding: batch.body, as: UTF8.self).replacingOccurrences(of: id, with: "ID").replacingOccurrences(of: path, with: "PATH")
    }

    @Test func filebeatDocumentShape() throws {
        let text = try encode("GET /a \"b\"\tc\\d")
        #expect(text == """
            {"create":{"_index":"certlab-logs-2025.11.29","_id":"ID"}}
            {"@timestamp":"2025-11-29T17:04:05.123Z","agent":{"name":"shipper-1","type":"filebeat","version":"7.12.1"},"ecs":{"version":"1.8.0"},"host":{"name":"lab-host"},"input":{"type":"log"},"log":{"file":{"path":"PATH"},"offset":40},"message":"GET /a \\"b\\"\\tc\\\\d"}

            """)
    }

    @Test func fieldsAndTags() throws {
        let nested = try encode("m", input: "    fields: {env: lab}\n    tags: [web]", tags: ["lab"]).split(separator: "\n")[1]
        #expect(nested.hasSuffix(#""input":{"type":"log"},"log":{"file":{"path":"PATH"},"offset":40},"message":"m","tags":["web","lab"]}"#))
        #expect(nested.contains(#""ecs":{"version":"1.8.0"},"fields":{"env":"lab"},"host""#))
        let root = try encode("m", input: "    fields: {env: lab, zone: 2, message: ignored}\n    fields_under_root: true").split(separator: "\n")[1]
        #expect(root.hasPrefix(#"{"@timestamp":"2025-11-29T17:04:05.123Z","agent":"#))
        #expect(root.contains(#""ecs":{"version":"1.8.0"},"env":"lab","host""#))
        #expect(root.hasSuffix(#""message":"m","zone":2}"#))
    }

    @Test func nonUTF8BytesBecomeReplacementCharacters() throws {
        var bytes: [UInt8] = []
        bytes.append(contentsOf: Array("caf".utf8) + [0xE9] + Array(" ü".utf8))
        var output: [UInt8] = []
        bytes.withUnsafeBufferPointer { EventEncoder.writeMessage($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == "\"caf\u{FFFD} ü\"")
    }

    @Test func eventIDsAreDeterministicPerIdentityGenerationAndOffset() {
        let key = FileKey(device: 0x803, inode: 0x1F2E)
        #expect(EventID.make(key: key, generation: 0xDEADBEEF, offset: 4096) == "803-1f2e-deadbeef-4096")
        #expect(EventID.make(key: key, generation: 0xDEADBEF0, offset: 4096) != EventID.make(key: key, generation: 0xDEADBEEF, offset: 4096))
    }

    @Test func timestampsAndIndexNames() throws {
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601() == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_007).iso8601() == "2000-02-29T00:00:00.007Z")
        #expect(Timestamp(millisecondsSinceEpoch: 4_102_444_799_999).iso8601() == "2099-12-31T23:59:59.999Z")
        let pattern = try IndexPattern("filebeat-%{[agent.version]}-%{+yyyy.MM.dd}", agentName: "n", agentVersion: "7.12.1")
        #expect(pattern.name(at: Timestamp(millisecondsSinceEpoch: 951_782_400_007)) == "filebeat-7.12.1-2000.02.29")
        #expect(throws: ShipperError("index \"logs-%{[host.name]}\": unsupported field %{[host.name]}; expected %{+yyyy.MM.dd}, %{[agent.version]} or %{[agent.name]}")) {
            try IndexPattern("logs-%{[host.name]}", agentName: "n", agentVersion: "v")
        }
    }

    @Test func documentTypeForOldNodes() throws {
        let directory = try TemporaryDirectory()
        try directory.append("x\n", to: "app.log")
        let config = try testConfig(port: 9, directory: directory)
        let path = directory.logs + "/app.log"
        let status = try #require(FileStatus.of(path: path))
        let harvester = try #require(Harvester(path: path, key: status.key, inputIndex: 0, state: FileState(key: status.key, source: path, generation: 1, offset: 0)))
        let encoder = EventEncoder(agent: AgentInfo(name: "a", hostname: "h"), inputs: config.inputs, globalTags: [],
                                   index: try IndexPattern("i", agentName: "a", agentVersion: "v"))
        encoder.includeDocType = true
        var batch = Batch()
        Array("m".utf8).withUnsafeBufferPointer { encoder.append(line: $0, offset: 0, from: harvester, millisecondsSinceEpoch: 0, to: &batch) }
        #expect(String(decoding: batch.body, as: UTF8.self).hasPrefix(#"{"create":{"_index":"i","_type":"doc","_id":""#))
    }
}

@Suite struct SupportTests {
    @Test func bulkResponseClassification() {
        let body = #"{"errors":true,"items":[{"create":{"status":201}},{"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"exists"}}},{"create":{"status":429}},{"create":{"status":503}},{"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [n]"}}}]}"#
        #expect(BulkResponse.outcomes(body: Array(body.utf8), count: 5) == [
            .acked, .duplicate, .retry(status: 429), .retry(status: 503),
            .nonIndexable(status: 400, reason: "mapper_parsing_exception: failed to parse field [n]"),
        ])
        #expect(BulkResponse.outcomes(body: Array(#"{"errors":false}"#.utf8), count: 3) == [.acked, .acked, .acked])
        #expect(BulkResponse.outcomes(body: Array(body.utf8), count: 4) == nil)
        #expect(BulkResponse.outcomes(body: Array("<html>".utf8), count: 1) == nil)
    }

    @Test func backoffDoublesToTheMaximumAndResets() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(5))
        #expect((0 ..< 5).map { _ in backoff.next() } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
    }

    @Test func metricsLineListsNonZeroDeltas() {
        var previous = ShipperMetrics.Snapshot()
        previous.acked = 10
        var current = previous
        current.acked = 110
        current.duplicates = 5
        current.openHarvesters = 2
        current.tooMany = 3
        current.retried = 3
        current.batches = 1
        #expect(ShipperMetrics.line(current: current, previous: previous) == #"Non-zero metrics in the last 30s: {"filebeat.harvester.open_files":2,"libbeat.output.events.acked":105,"libbeat.output.events.batches":1,"libbeat.output.events.duplicates":5,"libbeat.output.events.toomany":3,"libbeat.pipeline.events.retry":3}"#)
    }

    @Test func accessLogLinesAreCombinedFormatAndReproducible() throws {
        var first = AccessLogGenerator(seed: 7)
        var second = AccessLogGenerator(seed: 7)
        let date = Date(timeIntervalSince1970: 1_764_435_845)
        let line = first.line(at: date)
        #expect(line == second.line(at: date))
        let pattern = try Regex(#"^10\.\d+\.\d+\.\d+ - \S+ \[29/Nov/2025:17:04:05 \+0000\] "(GET|POST|PUT|DELETE) \S+ HTTP/1\.1" \d{3} \d+ "-" "[^"]+"$"#)
        #expect(try pattern.wholeMatch(in: line) != nil)
        #expect(first.line(at: date) != line)
    }

    @Test func generatorWritesTheRequestedCount() async throws {
        let directory = try TemporaryDirectory()
        var generator = AccessLogGenerator()
        try await generator.write(count: 2500, rate: 0, to: directory.logs + "/gen/access.log")
        let text = try String(contentsOfFile: directory.logs + "/gen/access.log", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2500)
        #expect(text.hasSuffix("\n"))
    }

    @Test func registrySurvivesReopenAndWritesAtomically() throws {
        let directory = try TemporaryDirectory()
        let key = FileKey(device: 2049, inode: 77)
        do {
            let registry = try Registry(dataPath: directory.data)
            let state = registry.startGeneration(key, source: "/logs/a.log")
            try registry.flush()
            registry.acknowledge(FileProgress(key: key, generation: state.generation, offset: 120))
            registry.acknowledge(FileProgress(key: key, generation: state.generation &+ 1, offset: 999))
            try registry.flush(force: true)
        }
        let reopened = try Registry(dataPath: directory.data)
        #expect(reopened.states[key]?.offset == 120)
        #expect(reopened.states[key]?.source == "/logs/a.log")
        #expect(!FileManager.default.fileExists(atPath: reopened.file + ".tmp"))
        let mode = try FileManager.default.attributesOfItem(atPath: reopened.file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: reopened.file, encoding: .utf8)
        #expect(text.contains(#""key":"native::77-2049","source":"/logs/a.log","device":2049,"inode":77,"#))
    }

    @Test func corruptRegistryIsAClearError() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.data + "/registry", withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory.data + "/registry/certlab-shipper.json"))
        do {
            _ = try Registry(dataPath: directory.data)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("registry \(directory.data)/registry/certlab-shipper.json is unreadable"))
            #expect(error.message.hasSuffix("move it away to start over (lines would be re-sent as 409s)"))
        }
    }
}
