import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// `?refresh=` on writes (`RefreshPolicy`): what each value answers, as ES 7.10 answers it.
@Suite(.serialized) struct RefreshPolicyTests {
    @Test func trueForcesARefreshAndSaysSoWaitForAndFalseDoNot() async throws {
        try await LabNode.with { lab in
            let forced = try await lab.curl("PUT", "/r/_doc/1?refresh=true", as: "admin", body: #"{"n":1}"#)
            #expect(forced.status == 201)
            #expect(forced.body == #"{"_index":"r","_type":"_doc","_id":"1","_version":1,"result":"created","forced_refresh":true,"_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1}"#)
            let empty = try await lab.curl("PUT", "/r/_doc/2?refresh", as: "admin", body: #"{"n":2}"#)
            #expect(empty.body.contains(#""result":"created","forced_refresh":true,"_shards""#))
            let waited = try await lab.curl("PUT", "/r/_doc/3?refresh=wait_for", as: "admin", body: #"{"n":3}"#)
            #expect(waited.status == 201 && !waited.body.contains("forced_refresh"))
            let plain = try await lab.curl("PUT", "/r/_doc/4?refresh=false", as: "admin", body: #"{"n":4}"#)
            #expect(plain.status == 201 && !plain.body.contains("forced_refresh"))
            let updated = try await lab.curl("POST", "/r/_update/1?refresh=true", as: "admin", body: #"{"doc":{"n":10}}"#)
            #expect(updated.body.contains(#""result":"updated","forced_refresh":true,"_shards""#))
            // A no-op update never reaches the shard, so nothing was refreshed for it.
            let noop = try await lab.curl("POST", "/r/_update/1?refresh=true", as: "admin", body: #"{"doc":{"n":10}}"#)
            #expect(noop.body.contains(#""result":"noop""#) && !noop.body.contains("forced_refresh"))
            let deleted = try await lab.curl("DELETE", "/r/_doc/4?refresh=true", as: "admin")
            #expect(deleted.status == 200 && deleted.body.contains(#""result":"deleted","forced_refresh":true,"_shards""#))
        }
    }

    @Test func bulkMarksEverySuccessfulItemAndNoFailedOne() async throws {
        try await LabNode.with { lab in
            let body = #"{"create":{"_index":"r","_id":"a"}}"# + "\n" + #"{"n":1}"# + "\n"
                + #"{"create":{"_index":"r","_id":"a"}}"# + "\n" + #"{"n":2}"# + "\n"
            let bulk = try await lab.curl("POST", "/_bulk?refresh=true&filter_path=items.*.result,items.*.forced_refresh,items.*.status",
                                          as: "admin", body: body, contentType: "application/x-ndjson")
            #expect(bulk.status == 200)
            #expect(bulk.body == #"{"items":[{"create":{"result":"created","forced_refresh":true,"status":201}},{"create":{"status":409}}]}"#)
        }
    }

    @Test func anUnknownValueIsRefusedBeforeTheWrite() async throws {
        try await LabNode.with { lab in
            let refused = try await lab.curl("PUT", "/r/_doc/1?refresh=yes", as: "admin", body: #"{"n":1}"#)
            #expect(refused.status == 400)
            #expect(refused.body == #"{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"Unknown value for refresh: [yes]."}],"type":"illegal_argument_exception","reason":"Unknown value for refresh: [yes]."},"status":400}"#)
            #expect(try await lab.curl("GET", "/r/_doc/1", as: "admin").status == 404)
            let bulk = try await lab.curl("POST", "/_bulk?refresh=later", as: "admin",
                                          body: #"{"index":{"_index":"r","_id":"2"}}"# + "\n" + #"{"n":2}"# + "\n", contentType: "application/x-ndjson")
            #expect(bulk.status == 400 && bulk.body.contains("Unknown value for refresh: [later]."))
            #expect(try await lab.curl("GET", "/r/_doc/2", as: "admin").status == 404)
        }
    }
}
