import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer

/// `_cat/shards`, `_cat/master`, `_cat/allocation` and `GET /_cat` through the node.
@Suite(.serialized) struct CatShardsTests {
    @Test func shardsMasterAllocationAndTheIndex() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies", as: "admin", body: #"{"settings":{"number_of_replicas":0}}"#).status == 200)
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Heat"}"#).status == 201)
            #expect(try await lab.curl("PUT", "/logs", as: "admin").status == 200)

            let shards = try await lab.curl("GET", "/_cat/shards?v&h=index,shard,prirep,state,docs,node", as: "admin")
            // Every cell is padded to its column's width, the last one too, as ES's RestTable pads.
            #expect(shards.body == ["index  shard prirep state      docs node       ",
                                    "logs       0 p      STARTED       0 search-node",
                                    "logs       0 r      UNASSIGNED                 ",
                                    "movies     0 p      STARTED       1 search-node", ""].joined(separator: "\n"))
            let movies = try await lab.curl("GET", "/_cat/shards/movies?format=json", as: "admin")
            #expect(movies.body == #"[{"index":"movies","shard":"0","prirep":"p","state":"STARTED","docs":"1","store":"16b","ip":"127.0.0.1","node":"search-node"}]"#)

            // bytes= prints sizes as whole numbers of a unit, as RestTable does.
            #expect(try await lab.curl("GET", "/_cat/shards/movies?h=store&bytes=b", as: "admin").body == "16\n")
            #expect(try await lab.curl("GET", "/_cat/indices/movies?h=index,store.size&bytes=kb&format=json", as: "admin").body
                    == #"[{"index":"movies","store.size":"0"}]"#)
            #expect(try await lab.curl("GET", "/_cat/shards/movies?h=store&bytes=parsecs", as: "admin").body == "16b\n")
            // No aliases can exist here; cluster settings cannot be set, so none are set.
            #expect(try await lab.curl("GET", "/_cat/aliases?format=json", as: "admin").body == "[]")
            #expect(try await lab.curl("GET", "/_cluster/settings", as: "admin").body == #"{"persistent":{},"transient":{}}"#)
            #expect(try await lab.curl("GET", "/_cluster/settings?include_defaults=true", as: "admin").status == 400)

            let nodes = try JSON(parsing: try await lab.curl("GET", "/_nodes/_local/http", as: "admin").body)
            let id = try #require(nodes["nodes"]?.objectValue?.keys.first)
            #expect(try await lab.curl("GET", "/_cat/master?format=json", as: "admin").body
                    == #"[{"id":"\#(id)","host":"127.0.0.1","ip":"127.0.0.1","node":"search-node"}]"#)

            let allocation = try await lab.curl("GET", "/_cat/allocation?format=json&h=shards,disk.indices,node", as: "admin")
            #expect(allocation.body == #"[{"shards":"2","disk.indices":"16b","node":"search-node"},{"shards":"1","disk.indices":null,"node":"UNASSIGNED"}]"#)
            let disk = try await lab.curl("GET", "/_cat/allocation?h=disk.percent", as: "admin")
            #expect(disk.body.split(separator: "\n").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { (0...100).contains($0) } == true)

            let index = try await lab.curl("GET", "/_cat", as: "admin")
            #expect(index.body.hasPrefix("=^.^=\n/_cat/allocation\n/_cat/shards\n/_cat/shards/{index}\n/_cat/master\n"))

            // `GET /_cat` calls no action; the others are checked as ES's REST actions call theirs.
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            #expect(try await lab.curl("GET", "/_cat", as: "CLIENT1").status == 200)
            let refused = try await lab.curl("GET", "/_cat/master", as: "CLIENT1")
            #expect(refused.status == 403 && refused.body.contains("no permissions for [cluster:monitor/state] and User [name=CLIENT1"))
        }
    }
}
