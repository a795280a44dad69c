import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// Restarts, kill -9 and SIGTERM with the real executable (issue 5 tests): acknowledged writes
/// and the security configuration survive; SIGTERM ends the node cleanly.
@Suite(.serialized) struct NodeLifecycleTests {
    actor Acknowledged {
        var ids: [String] = []
        func add(_ more: [String]) { ids += more }
    }

    @Test func killNineDuringBulkLosesNoAcknowledgedItemAndRestartKeepsSecurityConfig() async throws {
        let files = try LabFiles()
        let first = try await NodeProcess(files)
        let mapped = try await files.curl("PUT", first.url + "/_opendistro/_security/api/rolesmapping/readall", as: "admin", basic: nil,
                                          body: #"{"users":["CLIENT1"]}"#, contentType: "application/json")
        #expect(mapped.status == 200)

        let acknowledged = Acknowledged()
        let writer = Task {
            for batch in 0..<10_000 {
                let ids = (0..<50).map { "b\(batch)-\($0)" }
                let body = ids.map { "{\"create\":{\"_index\":\"logs-kill\",\"_id\":\"\($0)\"}}\n{\"message\":\"line \($0)\"}\n" }.joined()
                guard let result = try? await files.curl("POST", first.url + "/_bulk", as: "admin", basic: nil, body: body,
                                                         contentType: "application/x-ndjson"),
                      result.status == 200, result.body.contains(#""errors":false"#) else { return }
                await acknowledged.add(ids)
            }
        }
        // Kill once some batches are acknowledged (not after a fixed delay: a loaded machine
        // may acknowledge fewer in it), while the writer keeps sending.
        let start = ContinuousClock.now
        while await acknowledged.ids.count < 100, ContinuousClock.now - start < .seconds(60) {
            try await Task.sleep(for: .milliseconds(50))
        }
        first.signal(SIGKILL)
        _ = await first.wait()
        await writer.value
        let written = await acknowledged.ids
        #expect(written.count >= 100, "the writer acknowledged \(written.count) items before the kill")

        let second = try await NodeProcess(files)
        defer { second.signal(SIGTERM) }
        let mget = "{\"ids\":[" + written.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        let found = try await files.curl("POST", second.url + "/logs-kill/_mget?_source=false", as: "admin", basic: nil, body: mget,
                                         contentType: "application/json")
        #expect(found.status == 200)
        #expect(!found.body.contains(#""found":false"#))
        #expect(found.body.components(separatedBy: #""found":true"#).count - 1 == written.count)
        let read = try await files.curl("GET", second.url + "/logs-kill/_count", as: "CLIENT1", basic: nil, body: nil, contentType: "")
        #expect(read.status == 200)
    }

    @Test func sigtermStopsTheNodeGracefully() async throws {
        let files = try LabFiles()
        let node = try await NodeProcess(files)
        #expect(try await files.curl("PUT", node.url + "/movies/_doc/1", as: "admin", basic: nil, body: "{}", contentType: "application/json").status == 201)
        node.signal(SIGTERM)
        #expect(await node.wait() == 0)
        let again = try await NodeProcess(files)
        defer { again.signal(SIGKILL) }
        #expect(try await files.curl("GET", again.url + "/movies/_doc/1", as: "admin", basic: nil, body: nil, contentType: "").status == 200)
    }
}
