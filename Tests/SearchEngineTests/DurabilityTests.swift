import Foundation
import GRDB
import Testing
import JSONValue
@testable import SearchEngine

/// Issue 3: "an acknowledged write survives kill -9". A child process (`bench-search
/// crash-writer`) indexes in a loop and prints each id after its bulk returned; we SIGKILL it
/// mid-stream, reopen the data path and require every printed id.
@Suite struct DurabilityTests {
    static func crashWriterBinary() -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        for directory in candidates {
            for base in [directory, directory.deletingLastPathComponent(), directory.deletingLastPathComponent().deletingLastPathComponent()] {
                let url = base.appendingPathComponent("bench-search")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }

    @Test(.timeLimit(.minutes(2)))
    func acknowledgedWritesSurviveKill9() throws {
        let binary = try #require(Self.crashWriterBinary(), "bench-search must be built next to the test bundle")
        let directory = temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["crash-writer", directory]
        let output = Pipe()
        process.standardOutput = output
        try process.run()

        var received = Data()
        let reader = output.fileHandleForReading
        while received.filter({ $0 == UInt8(ascii: "\n") }).count < 500 {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        received.append(reader.readDataToEndOfFile())

        // Only complete lines were acknowledged; a torn last line is not.
        let text = String(decoding: received, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if !text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        #expect(lines.count >= 500)

        let engine = try SearchEngine(dataPath: directory)
        var missing: [String] = []
        for id in lines where !engine.exists("crash", id: id) { missing.append(id) }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(5))")
        let count = try engine.count("crash", body: nil).body["count"]?.intValue ?? 0
        #expect(count >= Int64(lines.count))
        #expect(count % 20 == 0, "bulks are atomic: a torn bulk must not be half-visible")
        // Their values too, though the last ones were only held in memory when the process died
        // (`Refresh`): every document is found by a range on a number and by its keyword.
        #expect(try engine.count("crash", body: json(#"{"query":{"range":{"batch":{"gte":0}}}}"#)).body["count"]?.intValue == count)
        for id in lines.suffix(3) {
            #expect(try engine.hitIds("crash", #"{"query":{"term":{"message.keyword":"acknowledged write \#(id)"}}}"#) == [id])
        }
        // The reopened node keeps working: seq_no continues and new writes are accepted.
        let next = try engine.put("crash", "after-restart", #"{"ok":true}"#)
        #expect(next.body["_seq_no"]?.intValue == count)
    }

    @Test func reopeningKeepsIndicesMappingsAndDocuments() throws {
        let directory = temporaryDirectory("reopen")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            _ = try engine.createIndex("movies", body: json(#"{"settings":{"number_of_replicas":0},"mappings":{"properties":{"genre":{"type":"keyword"}}}}"#))
            for (id, source) in movies { _ = try engine.put("movies", id, source) }
        }
        let engine = try SearchEngine(dataPath: directory)
        #expect(engine.indexNames == ["movies"])
        #expect(try engine.indexStats()[0].health == "green")
        #expect(try engine.matching(#"{"match":{"title":"quick"}}"#) == ["3", "1"])
        #expect(try engine.matching(#"{"term":{"genre":"drama"}}"#) == ["2", "4"])
        let next = try engine.put("movies", "6", #"{"title":"Six"}"#)
        #expect(next.body["_seq_no"] == 5)
        #expect(try engine.getMapping("movies").body["movies"]?["mappings"]?["properties"]?["genre"] == json(#"{"type":"keyword"}"#))
    }

    /// An index created by the bulk that first writes to it gets its dynamic mapping and its
    /// `_seq_no` counter in that same transaction; both must be stored with it (they once were
    /// not: after a restart the index had an empty mapping, and `message.keyword` no values).
    @Test func anIndexCreatedByItsFirstBulkKeepsItsMappingAndCounterAcrossARestart() throws {
        let directory = temporaryDirectory("auto-created")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            let body = #"{"index":{"_index":"auto","_id":"1"}}"# + "\n" + #"{"message":"first line","n":1}"# + "\n"
            #expect(try engine.bulk(BulkRequest.parse(Array(body.utf8), defaultIndex: nil)).body["errors"] == false)
        }
        let engine = try SearchEngine(dataPath: directory)
        #expect(try engine.getMapping("auto").body["auto"]?["mappings"]?["properties"] == json(#"""
            {"message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},"n":{"type":"long"}}
            """#))
        let second = try engine.put("auto", "2", #"{"message":"second line","n":2}"#)
        #expect(second.body["_seq_no"] == 1)
        #expect(try engine.hitIds("auto", #"{"query":{"term":{"message.keyword":"second line"}}}"#) == ["2"])
        #expect(try engine.hitIds("auto", #"{"query":{"term":{"message.keyword":"first line"}}}"#) == ["1"])
    }

    /// A data path written while that was so: its stored mapping lacks what the first bulk
    /// mapped. Reopening restores the fields from storage, multi-fields included.
    @Test func aMappingLostThatWayIsRestoredFromTheStoredFields() throws {
        let directory = temporaryDirectory("lost-mapping")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            let body = #"{"index":{"_index":"auto","_id":"1"}}"# + "\n" + #"{"message":"first line","host":{"name":"web-1","port":8080}}"# + "\n"
            #expect(try engine.bulk(BulkRequest.parse(Array(body.utf8), defaultIndex: nil)).body["errors"] == false)
        }
        let database = try DatabaseQueue(path: (directory as NSString).appendingPathComponent(NodeStorage.databaseFileName))
        try database.write { db in try db.execute(sql: "UPDATE indices SET mapping = '{}'") }
        try database.close()
        let engine = try SearchEngine(dataPath: directory)
        #expect(try engine.getMapping("auto").body["auto"]?["mappings"]?["properties"] == json(#"""
            {"host":{"properties":{"name":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},"port":{"type":"long"}}},
             "message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}}
            """#))
        _ = try engine.put("auto", "2", #"{"message":"second line","host":{"name":"web-2"}}"#)
        #expect(try engine.hitIds("auto", #"{"query":{"term":{"host.name.keyword":"web-2"}}}"#) == ["2"])
        #expect(try engine.hitIds("auto", #"{"query":{"term":{"message.keyword":"first line"}}}"#) == ["1"])
    }
}
