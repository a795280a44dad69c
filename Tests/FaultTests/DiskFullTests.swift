import Foundation
import JSONValue
import LabTestSupport
import Testing

/// Issue 9 "Faults": the node's data path on a small tmpfs that runs full. Writes must fail
/// with a clear 5xx — Elasticsearch's `i_o_exception` "No space left on device", naming the data
/// path — while reads keep working and nothing written earlier is damaged; once space returns,
/// writes succeed again without a restart.
///
/// Needs root (mount); skipped with a visible reason otherwise.
@Suite(.serialized) struct DiskFullTests {
    static let isRoot = getuid() == 0
    static let index = "faults-disk"

    /// Mounts an 8 MiB tmpfs at `path` for the duration of `body`, unmounting it afterwards.
    func withTmpfs(at path: String, _ body: () async throws -> Void) async throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try runBlocking("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", path])
        try #require(mounted.status == 0, "mount tmpfs: \(mounted.output)")
        // Lazy, so a node process still closing its files cannot keep the mount behind.
        defer { _ = try? runBlocking("/bin/umount", ["-l", path]) }
        try await body()
    }

    /// Fills the file system holding `directory` with `filler` until a write fails (ENOSPC).
    func fill(_ directory: String) throws -> Int {
        let path = (directory as NSString).appendingPathComponent("filler")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw FaultError("cannot create \(path)") }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x5A, count: 64 * 1024)
        var total = 0
        for size in [block.count, 4_096, 512, 1] {
            while true {
                let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
                if written <= 0 { break }
                total += written
            }
        }
        return total
    }

    func bulkBody(_ range: Range<Int>) -> String {
        range.map { n in
            "{\"index\":{\"_index\":\"\(Self.index)\",\"_id\":\"d\(n)\"}}\n{\"n\":\(n),\"message\":\"\(String(repeating: "payload ", count: 40))\(n)\"}\n"
        }.joined()
    }

    @Test(.enabled(if: isRoot, "disk-full test needs root to mount a tmpfs"), .timeLimit(.minutes(3)))
    func fullDataPathFailsWritesClearlyKeepsDataAndRecovers() async throws {
        let files = try LabFiles()
        try await withTmpfs(at: files.dataPath) {
            let node = try await NodeProcess(files)
            let client = try NodeClient(files, as: "admin")
            defer { if node.process.isRunning { node.signal(SIGKILL) } }
            // Written while there is space: 200 documents that must survive everything below.
            let first = try await client.send("POST", node.url + "/_bulk", body: bulkBody(0 ..< 200), contentType: "application/x-ndjson")
            #expect(first.status == 200)
            #expect(first.body["errors"]?.boolValue == false)

            let filled = try fill(files.dataPath)
            #expect(filled > 0)
            // Keep writing until the database needs a page the disk cannot give (the WAL may
            // have room left from earlier transactions); every bulk before that is acknowledged.
            var acknowledged = 200
            var failure: (status: Int, body: JSON)?
            for batch in 1 ... 400 {
                let answer = try await client.send("POST", node.url + "/_bulk", body: bulkBody(batch * 200 ..< batch * 200 + 200),
                                                   contentType: "application/x-ndjson")
                if answer.status == 200, answer.body["errors"]?.boolValue == false {
                    acknowledged += 200
                    continue
                }
                failure = answer
                break
            }
            let refused = try #require(failure, "400 bulks of 200 documents fitted on a full 8 MiB disk")
            #expect(refused.status == 500)
            #expect(refused.body["status"]?.intValue == 500)
            #expect(refused.body["error"]?["type"]?.stringValue == "i_o_exception")
            #expect(refused.body["error"]?["reason"]?.stringValue == "No space left on device: the data path [\(files.dataPath)/indices] is full")
            #expect(refused.body["error"]?["root_cause"]?[0]?["type"]?.stringValue == "i_o_exception")
            // A single-document write fails the same way.
            let single = try await client.send("PUT", node.url + "/\(Self.index)/_doc/while-full",
                                              body: #"{"n":-2,"message":"\#(String(repeating: "payload ", count: 400))"}"#)
            #expect(single.status == 500)
            #expect(single.body["error"]?["type"]?.stringValue == "i_o_exception")

            // Reads still work and see exactly what was acknowledged.
            let count = try await client.send("GET", node.url + "/\(Self.index)/_count")
            #expect(count.status == 200)
            #expect(count.body["count"]?.intValue == Int64(acknowledged))
            let sample = try await client.send("GET", node.url + "/\(Self.index)/_doc/d199")
            #expect(sample.status == 200)
            #expect(sample.body["_source"]?["n"]?.intValue == 199)
            let search = try await client.send("POST", node.url + "/\(Self.index)/_search", body: #"{"query":{"match":{"message":"199"}}}"#)
            #expect(search.body["hits"]?["hits"]?[0]?["_id"]?.stringValue == "d199")

            // Space returns: the same write now succeeds, without a restart.
            try FileManager.default.removeItem(atPath: (files.dataPath as NSString).appendingPathComponent("filler"))
            let retried = try await client.send("PUT", node.url + "/\(Self.index)/_doc/after-space-returned", body: #"{"n":-1}"#)
            #expect(retried.status == 201)
            let more = try await client.send("POST", node.url + "/_bulk", body: bulkBody(100_000 ..< 100_200), contentType: "application/x-ndjson")
            #expect(more.status == 200)
            #expect(more.body["errors"]?.boolValue == false)

            // Nothing earlier was damaged: a clean restart finds every document and a sound file.
            node.signal(SIGTERM)
            #expect(await node.wait() == 0)
            #expect(try integrityCheck(dataPath: files.dataPath) == ["ok", "ok"])
            let again = try await NodeProcess(files)
            defer { if again.process.isRunning { again.signal(SIGKILL) } }
            let ids = (0 ..< acknowledged).map { "d\($0)" } + (100_000 ..< 100_200).map { "d\($0)" } + ["after-space-returned"]
            let found = try await client.documents(again.url, index: Self.index, ids: ids)
            #expect(found.count == ids.count)
            #expect(found["d0"]?.source["n"]?.intValue == 0)
            await client.shutdown()
            again.signal(SIGTERM)
            #expect(await again.wait() == 0)
            report("disk full: 8 MiB tmpfs, filler \(filled) bytes, \(acknowledged) documents acknowledged before the first refusal, refusal \(refused.status) \(refused.body["error"]?["type"]?.stringValue ?? "?"), \(ids.count) documents intact after recovery")
        }
    }
}
