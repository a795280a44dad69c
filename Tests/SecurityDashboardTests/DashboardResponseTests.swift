import Testing
@testable import SecurityDashboard

/// `SecurityDashboard.respond`: the HTTP answers for the page's URLs.
struct DashboardResponseTests {
    func header(_ response: DashboardResponse, _ name: String) -> String? {
        response.headers.first { $0.0 == name }?.1
    }

    @Test func folderURLServesIndexWithValidatorsAndPolicy() {
        let response = SecurityDashboard.respond(method: "GET", path: "/_dashboards/security/", ifNoneMatch: nil, principal: nil)
        let index = DashboardAssets.byName["index.html"]!
        #expect(response.status == 200)
        #expect(response.body == index.bytes)
        #expect(response.contentType == "text/html; charset=utf-8")
        #expect(header(response, "ETag") == index.etag)
        #expect(header(response, "Cache-Control") == "no-cache")
        #expect(header(response, "X-Content-Type-Options") == "nosniff")
        #expect(header(response, "Content-Security-Policy")?.hasPrefix("default-src 'none'; script-src 'self'; ") == true)
        #expect(SecurityDashboard.respond(method: "HEAD", path: "/_dashboards/security/index.html", ifNoneMatch: nil, principal: nil).body == index.bytes)
    }

    @Test func matchingIfNoneMatchAnswers304WithoutBody() {
        let etag = DashboardAssets.byName["app.js"]!.etag
        for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let response = SecurityDashboard.respond(method: "GET", path: "/_dashboards/security/app.js", ifNoneMatch: header, principal: nil)
            #expect(response.status == 304, "\(header)")
            #expect(response.body.isEmpty && response.contentType == nil)
            #expect(self.header(response, "ETag") == etag)
        }
        #expect(SecurityDashboard.respond(method: "GET", path: "/_dashboards/security/app.js", ifNoneMatch: "\"stale\"", principal: nil).status == 200)
    }

    @Test func folderWithoutSlashRedirects() {
        for path in ["/_dashboards", "/_dashboards/", "/_dashboards/security"] {
            let response = SecurityDashboard.respond(method: "GET", path: path, ifNoneMatch: nil, principal: nil)
            #expect(response.status == 301)
            #expect(header(response, "Location") == "/_dashboards/security/")
        }
    }

    @Test func unknownFilesAreNotFoundAndNeverReadFromDisk() {
        for path in ["/_dashboards/security/nope.js", "/_dashboards/security/../../etc/passwd", "/_dashboards/other", "/_dashboards/security/Assets/app.js"] {
            let response = SecurityDashboard.respond(method: "GET", path: path, ifNoneMatch: nil, principal: nil)
            #expect(response.status == 404)
            #expect(String(decoding: response.body, as: UTF8.self) == "no dashboard file at [\(path)]\n")
        }
    }

    @Test func writesAreMethodNotAllowedInElasticsearchsWords() {
        let response = SecurityDashboard.respond(method: "POST", path: "/_dashboards/security/", ifNoneMatch: nil, principal: nil)
        #expect(response.status == 405)
        #expect(header(response, "Allow") == "HEAD,GET")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"error":"Incorrect HTTP method for uri [/_dashboards/security/] and method [POST], allowed: [HEAD, GET]","status":405}"#)
    }

    @Test func connectionTellsThePrincipalOfThisConnectionOnly() {
        let path = "/_dashboards/security/connection.json"
        let without = SecurityDashboard.respond(method: "GET", path: path, ifNoneMatch: nil, principal: nil)
        #expect(without.status == 200)
        #expect(String(decoding: without.body, as: UTF8.self) == #"{"principal":null}"#)
        #expect(without.contentType == "application/json; charset=UTF-8")
        #expect(header(without, "Cache-Control") == "no-store")
        let with = SecurityDashboard.respond(method: "GET", path: path, ifNoneMatch: "*", principal: #"CN=a\"b/c,OU=lab,O=certlab"#)
        #expect(with.status == 200)
        #expect(String(decoding: with.body, as: UTF8.self) == #"{"principal":"CN=a\\\"b/c,OU=lab,O=certlab"}"#)
        #expect(SecurityDashboard.respond(method: "PUT", path: path, ifNoneMatch: nil, principal: nil).status == 405)
    }

    @Test func onlyTheDashboardPrefixIsHandled() {
        #expect(SecurityDashboard.handles(path: "/_dashboards"))
        #expect(SecurityDashboard.handles(path: "/_dashboards/security/app.js"))
        #expect(!SecurityDashboard.handles(path: "/_dashboardsx"))
        #expect(!SecurityDashboard.handles(path: "/_opendistro/_security/authinfo"))
    }
}
