import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// `_cluster/health[/{index}]` with `level` and the `wait_for_*` conditions: a wait that does
/// not hold ends at its timeout with 408 and `timed_out: true`, or as soon as an index change
/// makes it hold (ES 7.10's `TransportClusterHealthAction`).
@Suite(.serialized) struct ClusterHealthTests {
    @Test func indicesLevelsAndWaits() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies", as: "admin", body: #"{"settings":{"number_of_replicas":0}}"#).status == 200)
            let movies = try await lab.curl("GET", "/_cluster/health/movies?level=indices&filter_path=status,timed_out,indices", as: "admin")
            #expect(movies.status == 200)
            #expect(movies.body == #"{"status":"green","timed_out":false,"indices":{"movies":{"status":"green","number_of_shards":1,"number_of_replicas":0,"active_primary_shards":1,"active_shards":1,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0}}}"#)
            let shards = try await lab.curl("GET", "/_cluster/health?level=shards&filter_path=indices.movies.shards", as: "admin")
            #expect(shards.body == #"{"indices":{"movies":{"shards":{"0":{"status":"green","primary_active":true,"active_shards":1,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0}}}}}"#)

            // A named index that does not exist is red and waited for until the timeout.
            let missing = try await lab.curl("GET", "/_cluster/health/nope?timeout=200ms&filter_path=status,timed_out,active_shards", as: "admin")
            #expect(missing.status == 408)
            #expect(missing.body == #"{"status":"red","timed_out":true,"active_shards":0}"#)

            #expect(try await lab.curl("PUT", "/logs", as: "admin").status == 200)  // one replica: yellow
            let green = try await lab.curl("GET", "/_cluster/health?wait_for_status=green&timeout=200ms&filter_path=status,timed_out", as: "admin")
            #expect(green.status == 408 && green.body == #"{"status":"yellow","timed_out":true}"#)
            let yellow = try await lab.curl("GET", "/_cluster/health?wait_for_status=yellow&filter_path=status,timed_out", as: "admin")
            #expect(yellow.status == 200 && yellow.body == #"{"status":"yellow","timed_out":false}"#)
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_nodes=>=1&wait_for_active_shards=2", as: "admin").status == 200)
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_nodes=2&timeout=100ms", as: "admin").status == 408)
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_active_shards=all&timeout=100ms", as: "admin").status == 408)

            // A wait ends as soon as a change makes it hold.
            let started = ContinuousClock.now
            async let waited = lab.curl("GET", "/_cluster/health/later?wait_for_status=yellow&timeout=20s&filter_path=status,timed_out", as: "admin")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await lab.curl("PUT", "/later", as: "admin").status == 200)
            let answer = try await waited
            #expect(answer.status == 200 && answer.body == #"{"status":"yellow","timed_out":false}"#)
            #expect(ContinuousClock.now - started < .seconds(10))

            // `level` only shapes the response: anything but exactly indices/shards is the cluster level.
            for level in ["bogus", "INDICES"] {
                let answer = try await lab.curl("GET", "/_cluster/health?level=\(level)", as: "admin")
                #expect(answer.status == 200 && !answer.body.contains(#""indices""#), "\(level)")
            }
            // Yellow: active copies over every copy of the cluster (movies 1 of 1, logs and later 1 of 2 each).
            #expect(try await lab.curl("GET", "/_cluster/health/movies?filter_path=status,active_shards_percent_as_number", as: "admin").body
                    == #"{"status":"green","active_shards_percent_as_number":100.0}"#)
            #expect(try await lab.curl("GET", "/_cluster/health?filter_path=active_shards_percent_as_number", as: "admin").body
                    == #"{"active_shards_percent_as_number":60.0}"#)
            let status = try await lab.curl("GET", "/_cluster/health?wait_for_status=blue", as: "admin")
            #expect(status.status == 400 && status.body.contains("No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.BLUE"))
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_active_shards=default", as: "admin").body.contains("cannot parse ActiveShardCount[default]"))
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_active_shards=-1", as: "admin").body.contains("shard count cannot be a negative value"))
            #expect(try await lab.curl("GET", "/_cluster/health?wait_for_active_shards=0", as: "admin").status == 200)
            let nodes = try await lab.curl("GET", "/_cluster/health?wait_for_nodes=many", as: "admin")
            #expect(nodes.status == 400 && nodes.body.contains("failed to parse wait_for_nodes [many]"))
        }
    }
}
