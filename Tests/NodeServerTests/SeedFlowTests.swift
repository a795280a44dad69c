import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// The walkthrough's core, end to end against a real node (issue 5 "The seed flow end to end").
@Suite(.serialized) struct SeedFlowTests {
    @Test func client1GainsReadAccessThroughTheRolesMappingAPI() async throws {
        try await LabNode.with { lab in
            let created = try await lab.curl("PUT", "/movies/_doc/3", as: "admin", body: #"{"title":"Moneyball","year":2011}"#)
            #expect(created.status == 201)

            let denied = try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1")
            #expect(denied.status == 403)
            #expect(denied.body == #"{"error":{"root_cause":[{"type":"security_exception","reason":"no permissions for [indices:data/read/get] and User [name=CLIENT1, backend_roles=[lab], requestedTenant=null]"}],"type":"security_exception","reason":"no permissions for [indices:data/read/get] and User [name=CLIENT1, backend_roles=[lab], requestedTenant=null]"},"status":403}"#)

            let mapped = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#)
            #expect(mapped.status == 200)
            #expect(mapped.body == #"{"status":"OK","message":"'readall' updated."}"#)

            let read = try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1")
            #expect(read.status == 200)
            #expect(read.body == #"{"_index":"movies","_type":"_doc","_id":"3","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Moneyball","year":2011}}"#)

            let write = try await lab.curl("PUT", "/movies/_doc/4", as: "CLIENT1", body: #"{"title":"x"}"#)
            #expect(write.status == 403)
            #expect(write.body.contains(#""reason":"no permissions for [indices:data/write/index] and User [name=CLIENT1, backend_roles=[lab], requestedTenant=null]""#))
            #expect(try await lab.curl("GET", "/movies/_doc/4", as: "admin").status == 404)
        }
    }

    @Test func pythonRequestsWithCertKeyAndCAWorksVerbatim() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/3", as: "admin", body: #"{"title":"Moneyball"}"#).status == 201)
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let script = """
                import requests
                r = requests.get("\(lab.url)/movies/_doc/3", cert=("\(lab.cert("CLIENT1"))", "\(lab.key("CLIENT1"))"), verify="\(lab.cert("root-ca"))")
                print(r.status_code, r.json()["_source"]["title"])
                """
            let result = try await run("python3", ["-c", script])
            #expect(result.output == "200 Moneyball\n")
        }
    }

    @Test func anonymousGetsTheBasicChallengeAndAdminWorksBeforeAnyMapping() async throws {
        try await LabNode.with { lab in
            let anonymous = try await run("curl", ["-sS", "-i", "--cacert", lab.cert("root-ca"), lab.url + "/"])
            #expect(anonymous.output.contains("HTTP/1.1 401 Unauthorized"))
            #expect(anonymous.output.contains("WWW-Authenticate: Basic realm=\"Open Distro Security\""))
            let root = try await lab.curl("GET", "/", as: "admin")
            #expect(root.status == 200)
            #expect(root.body.contains(#""build_flavor":"oss""#))
        }
    }
}
