import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// The authorization matrix (issue 4): 15 users × 30 probes = 450 (user, action, indices) cases,
/// expectations written by hand from reference §2.7, §4 and §5.
@Suite struct AuthorizationMatrixTests {
    static let service: SecurityService = {
        let configuration = try! TestSupport.configuration([
            .roles: """
            logs_reader:
              index_permissions:
                - index_patterns: ["logs-*", "arch?ve"]
                  allowed_actions: [read]
            team_writer:
              cluster_permissions: ["indices:data/write/bulk"]
              index_permissions:
                - index_patterns: ['/team-(dev|prod)-\\d+/']
                  allowed_actions: [crud, create_index]
            placeholder_role:
              index_permissions:
                - index_patterns: ["${user.name}-*"]
                  allowed_actions: [indices_all]
                - index_patterns: ["dept-${attr.internal.dept}", "${attr_internal_dept}-data"]
                  allowed_actions: [read]
            monitor_role:
              cluster_permissions: [cluster_monitor]
            bulk_only:
              cluster_permissions: ["indices:data/write/bulk"]
              index_permissions:
                - index_patterns: [bulkidx]
                  allowed_actions: ["indices:data/write/index"]
            """,
            .rolesmapping: """
            all_access:
              backend_roles: [admin]
            logs_reader:
              users: [CLIENT1]
              backend_roles: [readers]
            team_writer:
              and_backend_roles: [team, writer]
            placeholder_role:
              backend_roles: [ph]
            monitor_role:
              hosts: ["192.0.2.*"]
            readall:
              backend_roles: [readall, opendistro_security_anonymous_backendrole]
            kibana_user:
              backend_roles: [kibanauser]
            logstash:
              users: ["/.*logstash/"]
            bulk_only:
              users: [bulker]
            """,
        ])
        return SecurityService(settings: try! TestSupport.settings(), configuration: configuration)
    }()

    /// (id, action, requested indices, existing indices)
    static let probes: [(Int, String, [String], [String])] = [
        (1, "cluster:monitor/health", [], []), (2, "cluster:monitor/main", [], []),
        (3, "indices:data/read/mget", [], []), (4, "indices:data/write/bulk", [], []),
        (5, "indices:data/read/scroll", [], []), (6, "cluster:admin/snapshot/create", [], []),
        (7, "indices:data/read/search", ["logs-2026.11.29"], []), (8, "indices:data/read/get", ["logs-a"], []),
        (9, "indices:data/write/index", ["logs-a"], []), (10, "indices:data/read/search", ["team-dev-1"], []),
        (11, "indices:data/write/index", ["team-prod-22"], []), (12, "indices:data/write/delete", ["team-prod-22"], []),
        (13, "indices:data/read/search", ["team-qa-1"], []), (14, "indices:admin/create", ["team-dev-9"], []),
        (15, "indices:data/read/search", [".kibana"], []), (16, "indices:admin/mappings/get", [".kibana_1"], []),
        (17, "indices:data/read/search", ["phil-x"], []), (18, "indices:data/read/search", ["dept-ops"], []),
        (19, "indices:data/read/search", ["ops-data"], []), (20, "indices:data/write/index", ["logstash-2026"], []),
        (21, "indices:admin/create", ["filebeat-7"], []), (22, "indices:data/read/search", ["secret"], []),
        (23, "indices:data/read/search", ["logs-*"], ["logs-a", "logs-b", "secret"]),
        (24, "indices:data/read/search", ["*"], ["logs-a", "secret"]),
        (25, "indices:data/read/search", ["_all"], []), (26, "indices:data/read/search", ["<logs-{now/d}>"], []),
        (27, "indices:data/read/search", ["archive"], []), (28, "indices:data/read/search", ["archXXve"], []),
        (29, "indices:admin/delete", ["logs-a"], []), (30, "indices:data/read/search", ["logs-a", "team-dev-1"], []),
    ]

    static let everything = Set(1...30)
    static let readall: Set<Int> = [3, 5, 7, 8, 10, 13, 15, 17, 18, 19, 22, 23, 24, 25, 26, 27, 28, 30]

    /// (description, user, allowed probe ids)
    static let users: [(String, User, Set<Int>)] = [
        ("admin certificate", User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true), everything),
        ("all_access by backend role", User(name: "boss", backendRoles: ["admin"]), everything),
        ("clientcert CN mapped by users", User(name: "CLIENT1"), [7, 8, 23, 27]),
        ("clientcert OU mapped by backend_roles", User(name: "CLIENT2", backendRoles: ["readers"]), [7, 8, 23, 27]),
        ("kibanaro", User(name: "kibanaro", backendRoles: ["kibanauser", "readall"]),
         readall.union([4, 16])),
        ("and_backend_roles complete", User(name: "tw", backendRoles: ["team", "writer", "other"]), [4, 10, 11, 12, 14]),
        ("and_backend_roles incomplete", User(name: "t", backendRoles: ["team"]), []),
        ("placeholders", User(name: "phil", backendRoles: ["ph"], attributes: ["attr.internal.dept": "ops"]), [17, 18, 19]),
        ("hosts mapping", User(name: "mon", remoteAddress: "192.0.2.5"), [1, 2]),
        ("hosts mapping other address", User(name: "mon", remoteAddress: "198.51.100.5"), []),
        ("anonymous", User(name: User.anonymousName, backendRoles: [User.anonymousBackendRole]), readall),
        ("regex users mapping", User(name: "mylogstash"), [1, 2, 3, 4, 5, 20, 21]),
        ("regex users mapping no full match", User(name: "logstasher"), []),
        ("bulk-only user", User(name: "bulker"), [4]),
        ("unmapped user", User(name: "nobody", backendRoles: ["guests"]), []),
    ]

    static let cases: [(String, Int, Bool)] = users.flatMap { user in
        probes.map { probe in (user.0, probe.0, user.2.contains(probe.0)) }
    }

    @Test(arguments: cases)
    func decision(userLabel: String, probe: Int, allowed: Bool) throws {
        let user = try #require(Self.users.first { $0.0 == userLabel }?.1)
        let (_, action, indices, existing) = Self.probes[probe - 1]
        let decision = Self.service.authorize(user, action: action, indices: indices, existingIndices: existing)
        #expect(decision.isAllowed == allowed, "\(userLabel): \(action) on \(indices)")
    }

    @Test func matrixHasAtLeast300Cases() {
        #expect(Self.cases.count == 450)
    }

    @Test func denialBodyIsTheSecurityException() throws {
        let decision = Self.service.authorize(User(name: "CLIENT1"), action: "indices:data/read/search", indices: ["secret"])
        let response = try #require(decision.response)
        #expect(response.status == 403)
        #expect(response.bodyText == #"{"error":{"root_cause":[{"type":"security_exception","reason":"no permissions for [indices:data/read/search] and User [name=CLIENT1, backend_roles=[], requestedTenant=null]"}],"type":"security_exception","reason":"no permissions for [indices:data/read/search] and User [name=CLIENT1, backend_roles=[], requestedTenant=null]"},"status":403}"#)
        #expect(response.contentType == "application/json; charset=UTF-8")
    }

    @Test func bulkChecksClusterThenItems() {
        let client = Self.service.authorizeBulk(User(name: "CLIENT1", backendRoles: ["readers"]), items: [BulkItem(.index, index: "logs-a")])
        #expect(client.request == .denied(missing: ["indices:data/write/bulk"],
                                          reason: "no permissions for [indices:data/write/bulk] and User [name=CLIENT1, backend_roles=[readers], requestedTenant=null]"))
        let bulker = User(name: "bulker")
        let result = Self.service.authorizeBulk(bulker, items: [BulkItem(.index, index: "bulkidx"), BulkItem(.create, index: "other")])
        #expect(result.request == .allowed)
        #expect(result.items == [
            .denied(missing: ["indices:data/write/bulk[s]"], reason: "no permissions for [indices:data/write/bulk[s]] and User [name=bulker, backend_roles=[], requestedTenant=null]"),
            .denied(missing: ["indices:data/write/index", "indices:data/write/bulk[s]"],
                    reason: "no permissions for [indices:data/write/index, indices:data/write/bulk[s]] and User [name=bulker, backend_roles=[], requestedTenant=null]"),
        ])
        let writer = User(name: "tw", backendRoles: ["team", "writer"])
        let mixed = Self.service.authorizeBulk(writer, items: [BulkItem(.index, index: "team-dev-1"), BulkItem(.delete, index: "team-prod-2"),
                                                              BulkItem(.update, index: "team-qa-1")])
        #expect(mixed.items.map(\.isAllowed) == [true, true, false])
        #expect(Self.service.authorizeBulk(User(name: "x", isSuperAdmin: true), items: [BulkItem(.delete, index: "any")]).items == [.allowed])
    }

    @Test func configurationChangeInvalidatesCachedPermissions() throws {
        let service = SecurityService(settings: try TestSupport.settings(),
                                      configuration: try TestSupport.configuration([.rolesmapping: "readall:\n  users: [CLIENT1]\n"]))
        let user = User(name: "CLIENT1")
        #expect(service.authorize(user, action: "indices:data/read/search", indices: ["x"]).isAllowed)
        service.install(try TestSupport.configuration([.rolesmapping: "readall:\n  users: [someone-else]\n"]))
        #expect(!service.authorize(user, action: "indices:data/read/search", indices: ["x"]).isAllowed)
    }

    @Test func backendRolesResolutionModes() throws {
        let configuration = try TestSupport.configuration([.rolesmapping: "readall:\n  users: [u]\n"])
        let user = User(name: "u", backendRoles: ["kibana_user"])
        for (mode, expected) in [(RolesMappingResolution.mappingOnly, ["readall"]), (.backendRolesOnly, ["kibana_user"]), (.both, ["kibana_user", "readall"])] {
            var settings = try TestSupport.settings()
            settings.rolesMappingResolution = mode
            #expect(SecurityService(settings: settings, configuration: configuration).resolveRoles(user).securityRoles == expected)
        }
    }
}

extension AuthorizationMatrixTests {
    /// Whole-route checks (reference §5, §11 item 9): a single-document write needs the index
    /// action, the cluster-level bulk permission and `bulk[s]` on the index.
    @Test func routeChecks() throws {
        let put = try #require(RestActionTable.lookup(method: "PUT", path: "/bulkidx/_doc/1"))
        #expect(Self.service.authorize(User(name: "bulker"), route: put)
                == .denied(missing: ["indices:data/write/bulk[s]"], reason: "no permissions for [indices:data/write/bulk[s]] and User [name=bulker, backend_roles=[], requestedTenant=null]"))
        let writer = User(name: "tw", backendRoles: ["team", "writer"])
        #expect(Self.service.authorize(writer, route: try #require(RestActionTable.lookup(method: "PUT", path: "/team-dev-1/_doc/1"))).isAllowed)
        #expect(Self.service.authorize(writer, route: try #require(RestActionTable.lookup(method: "POST", path: "/team-dev-1/_update/1"))).isAllowed)
        let cat = try #require(RestActionTable.lookup(method: "GET", path: "/_cat/indices"))
        #expect(Self.service.authorize(User(name: "kibanaro", backendRoles: ["readall"]), route: cat, existingIndices: ["logs-a"])
                == .denied(missing: ["indices:monitor/settings/get"], reason: "no permissions for [indices:monitor/settings/get] and User [name=kibanaro, backend_roles=[readall], requestedTenant=null]"))
        #expect(Self.service.authorize(User(name: "boss", backendRoles: ["admin"]), route: cat).isAllowed)
        let bulk = try #require(RestActionTable.lookup(method: "POST", path: "/_bulk"))
        #expect(!Self.service.authorize(User(name: "CLIENT1"), route: bulk).isAllowed)
        // `_msearch`: only the cluster-level action here; each search is its own route.
        let msearch = try #require(RestActionTable.lookup(method: "POST", path: "/secret/_msearch"))
        #expect(Self.service.authorize(User(name: "nobody"), route: msearch)
                == .denied(missing: ["indices:data/read/msearch"], reason: "no permissions for [indices:data/read/msearch] and User [name=nobody, backend_roles=[], requestedTenant=null]"))
        #expect(Self.service.authorize(User(name: "kibanaro", backendRoles: ["readall"]), route: msearch).isAllowed)
    }

    @Test func usernameFailureListenerBlocksTheName() throws {
        let service = try AuthenticationTests.labService(extraConfig: """
            auth_failure_listeners:
                  user_limit: {type: username, allowed_tries: 1, time_window_seconds: 60, block_expiry_seconds: 600}
            """)
        #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "bad")])).response?.status == 401)
        #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw")], remoteAddress: "192.0.2.77")).user == nil)
    }

    /// The security index guard comes before any role: only the super-admin may write, delete
    /// or change mappings and settings on `_all`, `*` or the plugin's index (by name or by a
    /// wildcard not taken back by an exclusion); other patterns are ordinary requests.
    @Test func destructiveRoutesOnEveryIndexAreForTheSuperAdminOnly() throws {
        let boss = User(name: "boss", backendRoles: ["admin"])
        let admin = User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true)
        let guarded = [("DELETE", "/_all"), ("DELETE", "/*"), ("PUT", "/_settings"), ("POST", "/*/_delete_by_query"), ("PUT", "/*/_mapping"),
                       ("POST", "/_all/_update_by_query"), ("DELETE", "/*,-logs-a"), ("PUT", "/.opendistro_security/_doc/x"),
                       ("DELETE", "/.opendistro*"), ("PUT", "/.opendistro_security/_settings")]
        let ordinary = [("DELETE", "/logs-*"), ("GET", "/_all"), ("POST", "/_refresh"), ("GET", "/_search"), ("POST", "/_bulk"), ("GET", "/*/_mapping"),
                        ("DELETE", "/*,-.opendistro_security"), ("GET", "/.opendistro_security/_search")]
        for (method, path) in guarded + ordinary {
            let route = try #require(RestActionTable.lookup(method: method, path: path), "\(method) \(path)")
            let decision = Self.service.authorize(boss, route: route, existingIndices: ["logs-a"])
            let isGuarded = guarded.contains { $0 == (method, path) }
            #expect(decision == (isGuarded ? .denied(missing: [], reason: "no permissions for [] and User [name=boss, backend_roles=[admin], requestedTenant=null]") : .allowed),
                    "\(method) \(path)")
            #expect(decision.isSecurityIndexAttempt == isGuarded)
            #expect(Self.service.authorize(admin, route: route).isAllowed, "\(method) \(path)")
        }
        let reader = try #require(RestActionTable.lookup(method: "DELETE", path: "/_all"))
        #expect(Self.service.authorize(User(name: "CLIENT1"), route: reader).isSecurityIndexAttempt)
        // A bulk with one item for the security index is refused whole.
        let bulk = Self.service.authorizeBulk(boss, items: [BulkItem(.index, index: "logs-a"), BulkItem(.delete, index: ".opendistro_security")])
        #expect(bulk.request.isSecurityIndexAttempt && bulk.items.allSatisfy(\.isSecurityIndexAttempt))
        #expect(Self.service.authorizeBulk(admin, items: [BulkItem(.index, index: ".opendistro_security")]).request.isAllowed)
    }
}
