import Foundation
import LabTestSupport
import Testing

/// `security-admin serve` against a real node (issue 6 tests: an edit to roles_mapping.yml
/// takes effect within 2 seconds; a broken edit changes nothing; health only after an apply).
@Suite struct ServeTests {
    @Test func watchAppliesAnEditWithinTwoSecondsAndIgnoresABrokenOne() async throws {
        try await AdminLab.with { lab in
            let source = try AdminLab.copyOfSecurityConfig()
            #expect(try await lab.curl("PUT", "/movies/_doc/3?refresh=true", as: "admin", body: #"{"title":"Alien"}"#).status == 201)
            #expect(try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1").status == 403)

            let serve = try BackgroundAdmin(["serve", "--config-dir", source.url.path, "--watch", "--health-port", "0",
                                             "--health-host", "127.0.0.1"] + lab.options())
            let listening = try await serve.waitFor("health endpoint listening on port ")
            let healthPort = try #require(Int(listening.split(separator: " ").last ?? ""))
            let first = try await serve.waitFor("applied 8 types from \(source.url.path) as version ")
            #expect(first.hasSuffix("no changes"), "\(first)")
            _ = try await serve.waitFor("watching \(source.url.path) for changes")
            let health = try await run("curl", ["-sS", "http://127.0.0.1:\(healthPort)/health", "-w", "\n%{http_code}"])
            #expect(health.output.hasPrefix(#"{"status":"UP","version":"#), "\(health.output)")
            #expect(health.output.hasSuffix("\n200"))

            let mark = serve.output.count
            let edited = try source.read("roles_mapping.yml")
                .replacingOccurrences(of: "readall:\n  reserved: false\n  users: []", with: "readall:\n  reserved: false\n  users: [\"CLIENT1\"]")
            let start = ContinuousClock.now
            try source.write("roles_mapping.yml", edited)
            var status = 0
            while ContinuousClock.now - start < .seconds(2), status != 200 {
                status = try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1").status
                if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(status == 200, "CLIENT1 still denied 2 s after the edit; serve output:\n\(serve.output)")
            let applied = try await serve.waitFor("applied 8 types", after: mark)
            #expect(applied.hasSuffix(": rolesmapping +0 ~1 -0 (changed: readall)"), "\(applied)")

            let version = try await lab.configVersion()
            let brokenMark = serve.output.count
            try source.write("roles_mapping.yml", edited.replacingOccurrences(of: "users: [\"CLIENT1\"]", with: "userz: [\"CLIENT1\"]"))
            let rejected = try await serve.waitFor("invalid configuration", after: brokenMark, timeout: .seconds(2))
            #expect(rejected.contains("invalid configuration, not applied; the node keeps the last good configuration: roles_mapping.yml:"), "\(rejected)")
            #expect(rejected.contains("key 'readall.userz'"))
            #expect(try await lab.configVersion() == version)
            #expect(try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1").status == 200)
            #expect(await serve.stop() == 0)
        }
    }

    @Test func waitsForTheNodeAndIsUnhealthyUntilTheFirstApply() async throws {
        let lab = try await AdminLab.start()
        await lab.stop()
        let reserved = try ReservedPort()
        defer { withExtendedLifetime(reserved) {} }
        let port = reserved.port
        let serve = try BackgroundAdmin(["serve", "--config-dir", AdminLab.securityConfig.path, "--watch", "--health-port", "0",
                                         "--health-host", "127.0.0.1", "--url", "https://127.0.0.1:\(port)", "--cacert", lab.cert("root-ca"),
                                         "--cert", lab.cert("admin"), "--key", lab.key("admin")])
        let listening = try await serve.waitFor("health endpoint listening on port ")
        let healthPort = try #require(Int(listening.split(separator: " ").last ?? ""))
        let waiting = try await serve.waitFor("waiting for node at https://127.0.0.1:\(port): ")
        #expect(waiting.hasSuffix("; retrying in 0.25s"), "\(waiting)")
        let health = try await run("curl", ["-sS", "http://127.0.0.1:\(healthPort)/health", "-w", "\n%{http_code}"])
        #expect(health.output == "{\"status\":\"DOWN\",\"message\":\"waiting for the first successful apply\",\"last_error\":null}\n503")
        #expect(await serve.stop() == 0)
    }

    @Test func oneShotServeExitsNonZeroOnAnInvalidDirectory() async throws {
        try await AdminLab.with { lab in
            let source = try AdminLab.copyOfSecurityConfig()
            try source.write("tenants.yml", "_meta: {type: tenants, config_version: 2}\nglobal_tenant: {description: mine}\n")
            let result = try await securityAdmin(["serve", "--config-dir", source.url.path] + lab.options())
            #expect(result.status == 1)
            #expect(result.output.contains("invalid configuration, not applied; the node keeps the last good configuration: tenants.yml:2: key 'global_tenant': Cannot override static tenants"), "\(result.output)")
        }
    }

    @Test func watchWithANonAdminCertificateStopsWithTheHint() async throws {
        try await AdminLab.with { lab in
            let result = try await securityAdmin(["serve", "--config-dir", AdminLab.securityConfig.path, "--watch", "--health-port", "0",
                                                  "--health-host", "127.0.0.1"] + lab.options(as: "CLIENT1"))
            #expect(result.status == 1)
            #expect(result.output.contains("connected to \(lab.url) as CN=CLIENT1,OU=lab,O=certlab\n"), "\(result.output)")
            #expect(result.output.contains("""
                ERR: CLIENT1 is not an admin user; only a certificate listed in opendistro_security.authcz.admin_dn may read or replace the security configuration
                Seems you use a client certificate but this one is not registered as admin_dn
                """), "\(result.output)")
        }
    }
}
