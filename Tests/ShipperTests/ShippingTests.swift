import Foundation
import JSONValue
import Testing
@testable import Shipper

/// The whole shipper against the fake node: every line exactly once through a run, a
/// rotation, a truncation and restarts (issue 7's delivery guarantees, without the real node).
@Suite(.serialized) struct ShippingTests {
    @Test func linesBeforeDuringRotationAndTruncationArriveExactlyOnce() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 100).map { "before \($0)\n" }.joined(), to: "app.log")
        let capture = LogCapture()
        var expected = (1 ... 100).map { "before \($0)" }
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            try await ship(config, dataPath: directory.data, logger: capture.logger, while: {
                try await eventually { node.documents.count == 100 }
                try directory.append((1 ... 100).map { "during \($0)\n" }.joined(), to: "app.log")
                try await eventually { node.documents.count == 200 }
                // logrotate "create": rename, keep writing the old file briefly, then a new file.
                try FileManager.default.moveItem(atPath: directory.logs + "/app.log", toPath: directory.logs + "/app.log.1")
                try directory.append("rotated tail\n", to: "app.log.1")
                try directory.append("new file 1\nnew file 2\n", to: "app.log")
                try await eventually { node.documents.count == 203 }
                // copytruncate style: the file is emptied and written again.
                try Data("after truncate\n".utf8).write(to: URL(fileURLWithPath: directory.logs + "/app.log"))
            }) { node.documents.count == 204 }
        }
        expected += (1 ... 100).map { "during \($0)" } + ["rotated tail", "new file 1", "new file 2", "after truncate"]
        #expect(node.messages.sorted() == expected.sorted())
        #expect(node.documents.count == 204)
        #expect(capture.contains("File was truncated. Begin reading file from offset 0."))
    }

    @Test func restartResumesFromTheRegistryWithoutDuplicates() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 3000).map { String(format: "%05d ", $0) + String(repeating: "x", count: 190) + "\n" }.joined(), to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory, output: "  bulk_max_size: 500")
            try await ship(config, dataPath: directory.data) { node.documents.count >= 1000 }
            let stoppedAt = node.documents.count
            let registry = try Registry(dataPath: directory.data)
            #expect(registry.states.values.first?.offset == UInt64(stoppedAt * 197))
            try directory.append("after restart\n", to: "app.log")
            let metrics = try await ship(config, dataPath: directory.data) { node.documents.count == 3001 }
            #expect(metrics.duplicates == 0)
            #expect(metrics.acked == 3001 - stoppedAt)
        }
        #expect(Set(node.messages).count == 3001)
        #expect(node.documents.count == 3001)
    }

    @Test func stopWhileTheNodeRefusesKeepsUnackedLinesForNextTime() async throws {
        let node = FakeNode()
        node.configure { $0.failingRequests = .max }
        let directory = try TemporaryDirectory()
        try directory.append("pending\n", to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            try await ship(config, dataPath: directory.data) { node.bulkRequests.count >= 2 }
            #expect(try Registry(dataPath: directory.data).states.values.first?.offset == 0)
            node.configure { $0.failingRequests = 0 }
            try await ship(config, dataPath: directory.data) { node.documents.count == 1 }
        }
        #expect(node.messages == ["pending"])
    }
}

@Suite(.serialized) struct WorkerTests {
    @Test func severalBatchesInFlightStillDeliverEachLineOnceAndAckInOrder() async throws {
        let node = FakeNode()
        node.configure { state in
            state.itemRule = { message, attempt in message.hasSuffix("7") && attempt == 0 ? 503 : nil }
        }
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 2000).map { "line \($0)\n" }.joined(), to: "app.log")
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory, output: "  worker: 3\n  bulk_max_size: 100")
            try await ship(config, dataPath: directory.data) { node.documents.count == 2000 }
        }
        #expect(Set(node.messages) == Set((1 ... 2000).map { "line \($0)" }))
        #expect(node.documents.count == 2000)
        let registry = try Registry(dataPath: directory.data)
        let size = (1 ... 2000).reduce(0) { $0 + "line \($1)\n".utf8.count }
        #expect(registry.states.values.first?.offset == UInt64(size))
    }
}

@Suite(.serialized) struct MetricsLineTests {
    @Test func theShipperLogsAMetricsLinePeriodically() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append("counted\n", to: "app.log")
        let capture = LogCapture()
        try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            let stop = StopSignal()
            let task = Task {
                let shipper = try LogShipper(config: config, dataPath: directory.data, logger: capture.logger,
                                             metricsInterval: .milliseconds(200), idleWait: .milliseconds(10))
                try await shipper.run(stop: stop)
            }
            try await eventually { capture.contains("Non-zero metrics") }
            stop.stop()
            try await task.value
        }
        #expect(capture.contains(#"Non-zero metrics in the last 200ms: {"filebeat.events.added":1,"filebeat.harvester.open_files":1,"libbeat.output.events.acked":1,"libbeat.output.events.batches":1}"#))
    }
}
