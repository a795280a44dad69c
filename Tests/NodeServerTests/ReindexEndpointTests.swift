import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// `_reindex` through the node: the cluster action, then the search on the source and the
/// writes into the destination checked as the reindex module's child requests.
@Suite(.serialized) struct ReindexEndpointTests {
    @Test func reindexChecksItsChildRequests() async throws {
        try await LabNode.with { lab in
            for id in 1...3 { #expect(try await lab.curl("PUT", "/movies/_doc/\(id)", as: "admin", body: "{\"n\":\(id)}").status == 201) }
            let body = #"{"source":{"index":"movies","query":{"range":{"n":{"gte":2}}}},"dest":{"index":"movies-copy"}}"#
            let copied = try await lab.curl("POST", "/_reindex?filter_path=total,created,failures", as: "admin", body: body)
            #expect(copied.status == 200 && copied.body == #"{"total":2,"created":2,"failures":[]}"#)
            #expect(try await lab.curl("GET", "/movies-copy/_doc/3?filter_path=_source", as: "admin").body == #"{"_source":{"n":3}}"#)

            // CLIENT1 holds the cluster action (own_index's cluster_composite_ops) but may not read movies.
            let unread = try await lab.curl("POST", "/_reindex", as: "CLIENT1", body: body)
            #expect(unread.status == 403 && unread.body.contains("no permissions for [indices:data/read/search] and User [name=CLIENT1"))
            // With readall it reads, but every write of the first batch is refused, and nothing is written.
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let unwritten = try await lab.curl("POST", "/_reindex?filter_path=total,created,failures.id,failures.status,failures.cause.type", as: "CLIENT1",
                                              body: #"{"source":{"index":"movies"},"dest":{"index":"stolen"}}"#)
            #expect(unwritten.status == 403)
            #expect(unwritten.body == #"{"total":3,"created":0,"failures":[{"id":"1","cause":{"type":"security_exception"},"status":403},{"id":"2","cause":{"type":"security_exception"},"status":403},{"id":"3","cause":{"type":"security_exception"},"status":403}]}"#)
            #expect(try await lab.curl("HEAD", "/stolen", as: "admin").status == 404)
        }
    }
}
