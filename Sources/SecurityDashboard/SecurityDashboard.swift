import Foundation

/// The security dashboard page at `/_dashboards/security/` (issue #10): the part of
/// Kibana/OpenSearch Dashboards' security plugin a lab needs, as static files.
///
/// Only the files (and `connection.json`, the caller's own certificate DN) are served here, and
/// without authentication, as Kibana serves its login page: they contain no data. Everything the page shows or changes goes through the security REST
/// API as the signed-in user (client certificate or basic credentials), so the page can do
/// exactly what that user may do with curl and nothing more.
public enum SecurityDashboard {
    /// The page's URL; assets are resolved relative to it.
    public static let pagePath = "/_dashboards/security/"

    /// Whether the node should hand the request to `respond` (everything under `/_dashboards`).
    public static func handles(path: String) -> Bool {
        path == "/_dashboards" || path.hasPrefix("/_dashboards/")
    }

    /// Names of every static file, for tests and the size budget.
    public static var assetNames: [String] { DashboardAssets.all.map(\.name) }

    /// The answer to a request under `/_dashboards`.
    ///
    /// - `GET`/`HEAD` of a file: 200 with its content type and ETag, or 304 when `If-None-Match`
    ///   names the current ETag. `Cache-Control: no-cache` makes browsers revalidate, so a new
    ///   binary's files are picked up at once while an unchanged page costs only 304s.
    /// - The folder without its slash (and `/_dashboards` itself): 301 to `pagePath`, so the
    ///   page's relative module URLs resolve under it.
    /// - Other methods: 405 with `Allow`, in Elasticsearch's words for a known path.
    /// - `connection.json`: see `connection(principal:)`; `principal` is the TLS client
    ///   certificate's DN on this connection, nil when none was presented.
    public static func respond(method: String, path: String, ifNoneMatch: String?, principal: String?) -> DashboardResponse {
        if path == "/_dashboards" || path == "/_dashboards/" || path == "/_dashboards/security" {
            return DashboardResponse(status: 301, headers: [("Location", pagePath)], body: [], contentType: nil)
        }
        let name = path.hasPrefix(pagePath) ? String(path.dropFirst(pagePath.count)) : nil
        let asset = name.flatMap { DashboardAssets.byName[$0.isEmpty ? "index.html" : $0] }
        guard asset != nil || name == connectionFile else {
            return DashboardResponse(status: 404, headers: [], body: Array("no dashboard file at [\(path)]\n".utf8),
                                     contentType: "text/plain; charset=UTF-8")
        }
        guard method == "GET" || method == "HEAD" else {
            let message = #"{"error":"Incorrect HTTP method for uri [\#(path)] and method [\#(method)], allowed: [HEAD, GET]","status":405}"#
            return DashboardResponse(status: 405, headers: [("Allow", "HEAD,GET")], body: Array(message.utf8),
                                     contentType: "application/json; charset=UTF-8")
        }
        guard let asset else { return connection(principal: principal) }
        let headers = [("ETag", asset.etag), ("Cache-Control", "no-cache")] + securityHeaders
        if let ifNoneMatch, matches(ifNoneMatch, asset.etag) {
            return DashboardResponse(status: 304, headers: headers, body: [], contentType: nil)
        }
        return DashboardResponse(status: 200, headers: headers, body: asset.bytes, contentType: asset.contentType)
    }

    static let connectionFile = "connection.json"

    /// `{"principal":"CN=..."}` or `{"principal":null}`: whether this TLS connection carries a
    /// client certificate, so the page knows which sign-in to use before calling the API.
    ///
    /// The page cannot find out otherwise without a browser prompt: asking `authinfo` without a
    /// certificate earns the basic domain's 401 challenge, on which browsers open their own
    /// password dialog for any request that may carry credentials (Fetch standard, HTTP-network-
    /// or-cache fetch, 401 handling), and a certificate can only be sent by such a request. The
    /// answer holds nothing the caller's own TLS stack does not already know.
    static func connection(principal: String?) -> DashboardResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let value = principal.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return DashboardResponse(status: 200, headers: [("Cache-Control", "no-store")] + securityHeaders,
                                 body: Array(#"{"principal":\#(value)}"#.utf8), contentType: "application/json; charset=UTF-8")
    }

    /// The page loads only its own files and talks only to this origin; no inline script or
    /// style is used, so the policy needs no exceptions.
    static let securityHeaders = [
        ("Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// `If-None-Match` is a list of entity tags or `*` (RFC 9110 §13.1.2; weak comparison).
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}

/// What the node sends for a dashboard request; `contentType` is nil when there is no body.
public struct DashboardResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var contentType: String?
}
