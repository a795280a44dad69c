import Foundation
import LabTestSupport
import SecurityDashboard
import Testing

/// `/_dashboards/security/` on a real node (issue #10): the page's files need no credentials,
/// come with their types and validators, and the REST API the page calls stays guarded.
@Suite(.serialized) struct SecurityDashboardRouteTests {
    /// curl's `-i` output split into status line, headers (lower-cased names) and body.
    struct Answer {
        var status = 0
        var headers: [String: String] = [:]
        var body = ""
    }

    func fetch(_ lab: LabNode, _ path: String, _ extra: [String] = []) async throws -> Answer {
        let result = try await run("curl", ["-sS", "-i", "--cacert", lab.cert("root-ca")] + extra + [lab.url + path])
        guard let split = result.output.range(of: "\r\n\r\n") else { return Answer(body: result.output) }
        var lines = result.output[..<split.lowerBound].components(separatedBy: "\r\n")
        var answer = Answer(body: String(result.output[split.upperBound...]))
        answer.status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            answer.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return answer
    }

    @Test func pageAndModulesNeedNoCredentialsAndCarryTypesAndValidators() async throws {
        try await LabNode.with { lab in
            let page = try await fetch(lab, "/_dashboards/security/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["cache-control"] == "no-cache")
            #expect(page.body.hasPrefix("<!doctype html>\n"))
            #expect(page.body.contains("<script type=\"module\" src=\"app.js\"></script>"))

            let module = try await fetch(lab, "/_dashboards/security/app.js")
            #expect(module.status == 200)
            #expect(module.headers["content-type"] == "text/javascript; charset=utf-8")
            let etag = try #require(module.headers["etag"])
            let revalidated = try await fetch(lab, "/_dashboards/security/app.js", ["-H", "If-None-Match: \(etag)"])
            #expect(revalidated.status == 304)
            #expect(revalidated.body.isEmpty)

            let head = try await fetch(lab, "/_dashboards/security/dashboard.css", ["-I"])
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/css; charset=utf-8")
            #expect(head.headers["content-length"].flatMap(Int.init) ?? 0 > 1000)

            let redirect = try await fetch(lab, "/_dashboards/security")
            #expect(redirect.status == 301)
            #expect(redirect.headers["location"] == "/_dashboards/security/")
            #expect(try await fetch(lab, "/_dashboards/security/missing.js").status == 404)
            let post = try await fetch(lab, "/_dashboards/security/", ["-X", "POST"])
            #expect(post.status == 405)
        }
    }

    /// The page's one dynamic file: the principal of the caller's own client certificate.
    @Test func connectionNamesThisConnectionsCertificate() async throws {
        try await LabNode.with { lab in
            let anonymous = try await lab.curl("GET", "/_dashboards/security/connection.json")
            #expect(anonymous.status == 200)
            #expect(anonymous.body == #"{"principal":null}"#)
            let client = try await lab.curl("GET", "/_dashboards/security/connection.json", as: "CLIENT1")
            #expect(client.body == #"{"principal":"CN=CLIENT1,OU=lab,O=certlab"}"#)
            let headers = try await fetch(lab, "/_dashboards/security/connection.json")
            #expect(headers.headers["cache-control"] == "no-store")
            #expect(headers.headers["content-type"] == "application/json; charset=UTF-8")
        }
    }

    @Test func theRESTAPIThePageCallsStaysGuarded() async throws {
        try await LabNode.with { lab in
            let anonymous = try await lab.curl("GET", "/_opendistro/_security/api/rolesmapping/")
            #expect(anonymous.status == 401)
            #expect(anonymous.body == "Unauthorized")

            let readOnly = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", basic: "kibanaro:kibanaro",
                                              body: #"{"users":["CLIENT1"]}"#)
            #expect(readOnly.status == 403)
            #expect(readOnly.body.hasPrefix(#"{"status":"FORBIDDEN","message":"No permission to access REST API: User kibanaro with Open Distro Security Roles ["#))

            let admin = try await lab.curl("GET", "/_opendistro/_security/api/rolesmapping/readall", basic: "admin:admin")
            #expect(admin.status == 200)
            #expect(admin.body.contains(#""users":[]"#))
            // The page is served to a revoked certificate no more than the API is.
            let revoked = try await lab.curl("GET", "/_dashboards/security/", as: "revoked")
            #expect(revoked.status == 403)
        }
    }
}
