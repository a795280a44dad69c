import Foundation
import JSONValue
import Testing
@testable import Shipper

/// Harvesting real files in a temp dir, without a network: what a batch would carry.
@Suite struct CrawlerTests {
    /// A crawler over `directory/logs/*.log` plus helpers to read a batch back.
    final class Rig {
        let directory: TemporaryDirectory
        let registry: Registry
        let crawler: Crawler
        let capture = LogCapture()

        init(_ directory: TemporaryDirectory, input: String = "") throws {
            self.directory = directory
            let config = try testConfig(port: 9, directory: directory, input: input)
            registry = try Registry(dataPath: directory.data)
            let agent = AgentInfo(name: "lab-host", hostname: "lab-host")
            let encoder = EventEncoder(agent: agent, inputs: config.inputs, globalTags: [],
                                       index: try IndexPattern(config.output.index, agentName: agent.name, agentVersion: agent.version))
            crawler = Crawler(inputs: config.inputs, registry: registry, encoder: encoder, metrics: ShipperMetrics(), logger: capture.logger)
        }

        /// Scans (now) and reads one batch; returns messages with offsets, and the batch.
        private var clock = ContinuousClock.now

        func read(limit: Int = 1000) throws -> (lines: [String], batch: Batch) {
            clock += .seconds(3600)  // every read is a scan: the scan interval has always passed
            crawler.scanIfDue(now: clock)
            var batch = Batch()
            crawler.fill(&batch, limit: limit, now: .now)
            let text = String(decoding: batch.body, as: UTF8.self)
            let docs = text.split(separator: "\n").enumerated().filter { $0.offset % 2 == 1 }.map { try! JSON(parsing: String($0.element)) }
            return (docs.map { "\($0["log"]!["offset"]!.intValue!):\($0["message"]!.stringValue!)" }, batch)
        }

        func acknowledge(_ batch: Batch) {
            for progress in batch.progress.values { registry.acknowledge(progress) }
        }
    }

    @Test func partialLastLineWaitsForItsNewline() throws {
        let directory = try TemporaryDirectory()
        try directory.append("first\nsecond\r\nthi", to: "app.log")
        let rig = try Rig(directory)
        #expect(try rig.read().lines == ["0:first", "6:second"])
        #expect(try rig.read().lines == [])
        try directory.append("rd\n", to: "app.log")
        let (lines, batch) = try rig.read()
        #expect(lines == ["14:third"])
        #expect(batch.progress.values.first?.offset == 20)
    }

    @Test func truncationRestartsAtZeroWithANewGeneration() throws {
        let directory = try TemporaryDirectory()
        try directory.append("one\ntwo\nthree\n", to: "app.log")
        let rig = try Rig(directory)
        let first = try rig.read()
        #expect(first.lines == ["0:one", "4:two", "8:three"])
        let oldGeneration = try #require(first.batch.progress.values.first?.generation)
        try Data("new\n".utf8).write(to: URL(fileURLWithPath: directory.logs + "/app.log"))
        let second = try rig.read()
        #expect(second.lines == ["0:new"])
        #expect(second.batch.progress.values.first?.generation != oldGeneration)
        #expect(rig.capture.contains("File was truncated. Begin reading file from offset 0."))
        // An ack of the old generation arriving late must not move the new one.
        rig.acknowledge(first.batch)
        rig.acknowledge(second.batch)
        #expect(rig.registry.states.values.first?.offset == 4)
    }

    @Test func rotationKeepsReadingTheRenamedFileAndPicksUpTheNewOne() throws {
        let directory = try TemporaryDirectory()
        try directory.append("a1\n", to: "app.log")
        let rig = try Rig(directory)
        #expect(try rig.read().lines == ["0:a1"])
        try directory.append("a2\n", to: "app.log")
        try FileManager.default.moveItem(atPath: directory.logs + "/app.log", toPath: directory.logs + "/app.1.log")
        try directory.append("b1\n", to: "app.log")
        let lines = try rig.read().lines
        #expect(lines.sorted() == ["0:b1", "3:a2"])
        #expect(rig.registry.states.count == 2)
        #expect(Set(rig.registry.states.values.map(\.source)) == [directory.logs + "/app.1.log", directory.logs + "/app.log"])
    }

    @Test func includeThenExcludeLines() throws {
        let directory = try TemporaryDirectory()
        try directory.append("ERR disk\nINFO ok\nERR DEBUG noise\nWARN low\n", to: "app.log")
        let rig = try Rig(directory, input: "    include_lines: ['^ERR', '^WARN']\n    exclude_lines: ['DEBUG']")
        let (lines, batch) = try rig.read()
        #expect(lines == ["0:ERR disk", "33:WARN low"])
        #expect(batch.progress.values.first?.offset == 42)
    }

    @Test func ignoreOlderSkipsOldContentButShipsNewLines() throws {
        let directory = try TemporaryDirectory()
        try directory.append("old line\n", to: "app.log")
        let past = Date(timeIntervalSinceNow: -7200)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: directory.logs + "/app.log")
        let rig = try Rig(directory, input: "    ignore_older: 1h")
        #expect(try rig.read().lines == [])
        #expect(rig.registry.states.values.first?.offset == 9)
        try directory.append("new line\n", to: "app.log")
        #expect(try rig.read().lines == ["9:new line"])
    }

    @Test func closeInactiveClosesAndAGrowingFileIsReopenedWhereReadingStopped() throws {
        let directory = try TemporaryDirectory()
        try directory.append("x\n", to: "app.log")
        let rig = try Rig(directory, input: "    close_inactive: 10ms")
        #expect(try rig.read().lines == ["0:x"])
        Thread.sleep(forTimeInterval: 0.05)
        _ = try rig.read()
        #expect(rig.crawler.openHarvesters == 0)
        #expect(rig.capture.contains("close_inactive"))
        try directory.append("y\n", to: "app.log")
        #expect(try rig.read().lines == ["2:y"])
        #expect(rig.crawler.openHarvesters == 1)
    }

    @Test func batchesStopAtTheLimitAndContinue() throws {
        let directory = try TemporaryDirectory()
        try directory.append((0 ..< 25).map { "line \($0)\n" }.joined(), to: "app.log")
        let rig = try Rig(directory)
        #expect(try rig.read(limit: 10).lines.count == 10)
        #expect(try rig.read(limit: 10).lines.first == "70:line 10")
        #expect(try rig.read(limit: 10).lines.count == 5)
    }

    @Test func removedFileIsClosedAndForgottenOnceRead() throws {
        let directory = try TemporaryDirectory()
        try directory.append("gone\n", to: "app.log")
        let rig = try Rig(directory)
        let (_, batch) = try rig.read()
        rig.acknowledge(batch)
        try FileManager.default.removeItem(atPath: directory.logs + "/app.log")
        _ = try rig.read()
        #expect(rig.crawler.openHarvesters == 0)
        _ = try rig.read()
        #expect(rig.registry.states.isEmpty)
    }

    @Test func overlongLinesAreCutAtMaxBytesAndTheRestDropped() throws {
        let directory = try TemporaryDirectory()
        try directory.append("0123456789ABCDEFGHIJ\nok\nxy", to: "app.log")
        let path = directory.logs + "/app.log"
        let status = try #require(FileStatus.of(path: path))
        let harvester = try #require(Harvester(path: path, key: status.key, inputIndex: 0,
                                               state: FileState(key: status.key, source: path, generation: 1, offset: 0),
                                               bufferSize: 4, maxLineBytes: 8))
        var lines: [String] = []
        var outcomes: [Harvester.Outcome] = []
        for _ in 0 ..< 6 {
            let outcome = harvester.nextLine { line, offset in lines.append("\(offset):" + String(decoding: line, as: UTF8.self)) }
            outcomes.append(outcome)
            if outcome == .endOfFile { break }
        }
        #expect(lines == ["0:01234567", "21:ok"])
        #expect(harvester.offset == 24)
        #expect(outcomes.last == .endOfFile)
    }
}
