import Foundation
import GRDB
import JSONValue
import LabClient
import LabTestSupport

/// Sizes of the fault-injection runs (issue 9 "Faults"). `make test` runs the quick subset;
/// `make reliability-faults` sets `CERTLAB_FAULTS=full` for the figures (20 kills,
/// 200,000 lines). Each figure can also be set on its own (`FAULT_NODE_KILLS=5`).
enum FaultScale {
    static let environment = ProcessInfo.processInfo.environment
    static var isFull: Bool { environment["CERTLAB_FAULTS"] == "full" }

    static func value(_ name: String, quick: Int, full: Int) -> Int {
        if let text = environment[name] {
            guard let number = Int(text), number > 0 else { fatalError("\(name) must be a positive integer, found \"\(text)\"") }
            return number
        }
        return isFull ? full : quick
    }

    /// Node `kill -9`s during `_bulk`.
    static var nodeKills: Int { value("FAULT_NODE_KILLS", quick: 3, full: 20) }
    /// Shipper `kill -9`s while shipping.
    static var shipperKills: Int { value("FAULT_SHIPPER_KILLS", quick: 3, full: 20) }
    /// Lines the shipper must deliver exactly once.
    static var shipperLines: Int { value("FAULT_SHIPPER_LINES", quick: 12_000, full: 200_000) }
}

/// Prints a measured figure; `make reliability-faults` shows these lines.
func report(_ line: String) {
    print("faults: \(line)")
}

/// An mTLS client speaking to a node as one of the lab's certificates, with JSON answers.
struct NodeClient: Sendable {
    let client: LabClient

    init(_ files: LabFiles, as name: String) throws {
        client = try LabClient(tls: ClientTLSOptions(certificateAuthorities: [files.cert("root-ca")], certificate: files.cert(name),
                                                     key: files.key(name), verification: .full),
                               timeout: .seconds(30))
    }

    /// One request; the status and the parsed body (JSON null when the body is not JSON).
    func send(_ method: String, _ url: String, body: String? = nil,
              contentType: String = "application/json") async throws -> (status: Int, body: JSON) {
        let response = try await client.send(method, url, headers: [("Content-Type", contentType)], body: body.map { Array($0.utf8) })
        return (response.status, (try? JSON(parsing: response.body)) ?? .null)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// `_mget` of `ids` in chunks; for each id found its `_version` and `_source`.
    func documents(_ url: String, index: String, ids: [String]) async throws -> [String: (version: Int64, source: JSON)] {
        var found: [String: (version: Int64, source: JSON)] = [:]
        var start = 0
        while start < ids.count {
            let chunk = ids[start ..< min(start + 1_000, ids.count)]
            start += chunk.count
            let body = JSON.object(["ids": .array(chunk.map { JSON.string($0) })]).serialized()
            let answer = try await send("POST", "\(url)/\(index)/_mget", body: body)
            guard answer.status == 200 else { throw FaultError("_mget answered \(answer.status): \(answer.body.serialized())") }
            for doc in answer.body["docs"]?.arrayValue ?? [] where doc["found"]?.boolValue == true {
                if let id = doc["_id"]?.stringValue { found[id] = (doc["_version"]?.intValue ?? 0, doc["_source"] ?? .null) }
            }
        }
        return found
    }
}

struct FaultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `PRAGMA integrity_check` of both databases of a node's data path (`indices/node.sqlite`,
/// `security.sqlite`; SearchNode's layout), run while no node has them open.
func integrityCheck(dataPath: String) throws -> [String] {
    try ["indices/node.sqlite", "security.sqlite"].flatMap { file in
        let queue = try DatabaseQueue(path: (dataPath as NSString).appendingPathComponent(file))
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
}

/// A random pause in milliseconds, so kills land at different points of the work.
func randomPause(_ range: ClosedRange<Int>) async throws {
    try await Task.sleep(for: .milliseconds(Int.random(in: range)))
}
