import Foundation
import JSONValue
import LabTestSupport
import Testing

/// Issue 9 "Faults": `kill -9` the node again and again while two clients post `_bulk` over
/// mTLS, restarting it each time on the same data path. Every item the node acknowledged
/// (201/200) must be there afterwards, exactly as sent and exactly once (`_version` 1: each id
/// is sent once), and the database must pass `PRAGMA integrity_check`.
///
/// Why it holds: the node's SQLite database is in WAL mode with `synchronous=NORMAL` and each
/// bulk is one transaction, answered only after COMMIT returned; a committed transaction is in
/// the WAL file (the OS page cache) before the answer leaves, and a process crash does not lose
/// the page cache (NodeStorage; only an OS crash or power loss could drop the WAL tail).
@Suite(.serialized) struct NodeKillTests {
    static let index = "faults-bulk"
    static let bulkSize = 100

    /// What the writers learnt: ids the node acknowledged, everything sent, bulks cut by a kill.
    actor Ledger {
        var acknowledged: [String: Int] = [:]  // id → the "n" in its source
        var sent = 0
        var interrupted = 0
        var rejected: [String] = []

        func record(_ ids: [(String, Int)]) { for (id, n) in ids { acknowledged[id] = n } }
        func didSend(_ count: Int) { sent += count }
        func didLose() { interrupted += 1 }
        func reject(_ reason: String) { rejected.append(reason) }
    }

    /// Posts bulks of new ids until the node stops answering; records each acknowledged item.
    static func write(_ client: NodeClient, url: String, round: Int, writer: Int, ledger: Ledger, counter: Int) async {
        var batch = 0
        while !Task.isCancelled {
            var body = ""
            var ids: [(String, Int)] = []
            for item in 0 ..< bulkSize {
                let n = counter + batch * bulkSize + item
                let id = "r\(round)-w\(writer)-b\(batch)-\(item)"
                ids.append((id, n))
                body += "{\"index\":{\"_index\":\"\(index)\",\"_id\":\"\(id)\"}}\n"
                body += "{\"n\":\(n),\"round\":\(round),\"message\":\"bulk item \(n) of writer \(writer)\"}\n"
            }
            await ledger.didSend(ids.count)
            guard let answer = try? await client.send("POST", url + "/_bulk", body: body, contentType: "application/x-ndjson") else {
                await ledger.didLose()
                return
            }
            guard answer.status == 200, let items = answer.body["items"]?.arrayValue, items.count == ids.count else {
                await ledger.reject("bulk answered \(answer.status): \(answer.body.serialized().prefix(300))")
                return
            }
            var acknowledged: [(String, Int)] = []
            for (item, sent) in zip(items, ids) {
                let result = item["index"]
                let status = result?["status"]?.intValue ?? 0
                if (status == 201 || status == 200), result?["_id"]?.stringValue == sent.0 { acknowledged.append(sent) }
            }
            await ledger.record(acknowledged)
            batch += 1
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func killNineDuringBulkLosesNoAcknowledgedItem() async throws {
        let kills = FaultScale.nodeKills
        let files = try LabFiles()
        let client = try NodeClient(files, as: "admin")
        let ledger = Ledger()
        let started = ContinuousClock.now
        for round in 0 ..< kills {
            let node = try await NodeProcess(files)
            // Something from the previous rounds must be readable right after a restart.
            if round > 0 {
                let count = try await client.send("GET", node.url + "/\(Self.index)/_count")
                let acknowledgedSoFar = await ledger.acknowledged.count
                #expect(count.status == 200)
                #expect((count.body["count"]?.intValue).map { Int($0) >= acknowledgedSoFar } == true,
                        "round \(round): count \(count.body.serialized()) after restart, \(acknowledgedSoFar) acknowledged")
            }
            let before = await ledger.acknowledged.count
            let writers = (0 ..< 2).map { writer in
                Task { await Self.write(client, url: node.url, round: round, writer: writer, ledger: ledger, counter: (round * 2 + writer) * 10_000_000) }
            }
            // Let at least one bulk through, then kill at a random moment of the stream.
            let deadline = ContinuousClock.now + .seconds(30)
            while await ledger.acknowledged.count == before, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await randomPause(200 ... 1_200)
            node.signal(SIGKILL)
            #expect(await node.wait() == SIGKILL, "the node ended by SIGKILL")
            for writer in writers { await writer.value }
        }
        let acknowledged = await ledger.acknowledged
        let sent = await ledger.sent
        let rejected = await ledger.rejected
        #expect(rejected.isEmpty, "bulks the node refused: \(rejected.prefix(3))")
        #expect(acknowledged.count >= kills * Self.bulkSize)

        // The final restart: every acknowledged item is there, as sent, once.
        let node = try await NodeProcess(files)
        let found = try await client.documents(node.url, index: Self.index, ids: Array(acknowledged.keys))
        let missing = acknowledged.keys.filter { found[$0] == nil }
        let altered = acknowledged.filter { id, n in found[id].map { $0.source["n"]?.intValue != Int64(n) || $0.version != 1 } ?? false }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.count), e.g. \(missing.sorted().prefix(5))")
        #expect(altered.isEmpty, "acknowledged items changed or applied twice: \(altered.keys.sorted().prefix(5))")
        let count = try await client.send("GET", node.url + "/\(Self.index)/_count")
        let stored = Int(count.body["count"]?.intValue ?? -1)
        #expect(stored >= acknowledged.count && stored <= sent, "stored \(stored): acknowledged \(acknowledged.count), sent \(sent)")
        // A torn bulk never shows half: each stored item belongs to a bulk whose items are all stored.
        #expect(stored % Self.bulkSize == 0, "a bulk was half applied: \(stored) items stored")
        // The node keeps writing after all that.
        let after = try await client.send("PUT", node.url + "/\(Self.index)/_doc/after-the-kills", body: #"{"n":-1}"#)
        #expect(after.status == 201)
        node.signal(SIGTERM)
        #expect(await node.wait() == 0)
        #expect(try integrityCheck(dataPath: files.dataPath) == ["ok", "ok"])
        await client.shutdown()
        let interrupted = await ledger.interrupted
        report("node kill -9 during _bulk: \(kills) kills, \(sent) items sent, \(acknowledged.count) acknowledged, \(missing.count) lost, \(stored) stored, \(interrupted) bulks cut by a kill, \(ContinuousClock.now - started)")
    }
}
