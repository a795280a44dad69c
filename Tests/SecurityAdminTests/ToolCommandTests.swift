import Foundation
import LabTestSupport
import SecurityEngine
import Testing

/// The smaller commands: `hash`, `-vc`/`validate`, `whoami`, `map-role`, `-rl`, `-dg`.
@Suite struct ToolCommandTests {
    @Test func hashPrintsAVerifiableCost12Hash() async throws {
        let result = try await securityAdmin(["hash", "-p", "s3cret"])
        #expect(result.status == 0)
        let hash = result.output.trimmingCharacters(in: .newlines)
        #expect(hash.range(of: #"^\$2[aby]\$12\$.{53}$"#, options: .regularExpression) != nil, "\(hash)")
        #expect(SecurityEngineTools.bcryptVerify("s3cret", hash: hash))
    }

    @Test func validateOnlyNeedsNoNode() async throws {
        let ok = try await securityAdmin(["-vc", "-cd", AdminLab.securityConfig.path])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.hasPrefix("Open Distro Security Admin v7\nValidate configuration for Version 7\n   OK: "))
        #expect(ok.output.hasSuffix("ALL CONFIGURATION FILES ARE VALID\nDone with success\n"))
        let v6 = try await securityAdmin(["-vc", "6", "-cd", AdminLab.securityConfig.path])
        #expect(v6.status == 1)
        #expect(v6.output.contains("ERR: config version 6 is not supported; certlab reads version 7 files (_meta.config_version: 2), use -vc 7"))
        let dir = try TemporaryDirectory()
        try dir.write("roles.yml", "my_role:\n  cluster_permissions: []\n")
        let missingMeta = try await securityAdmin(["validate", "--file", dir.path("roles.yml"), "--type", "roles"])
        #expect(missingMeta.status == 1)
        #expect(missingMeta.output == "ERR: Seems roles.yml is not in Security 7 format: roles.yml:1: missing _meta (expected _meta: {type: \"roles\", config_version: 2}); version 1 (ES6) files are not supported\n")
    }

    @Test func whoamiAndMapRoleGoThroughTheRestAPI() async throws {
        try await AdminLab.with { lab in
            let who = try await securityAdmin(["whoami"] + lab.options(as: "CLIENT1"))
            #expect(who.status == 0, "\(who.output)")
            #expect(who.output.contains(#""principal" : "CN=CLIENT1,OU=lab,O=certlab""#) || who.output.contains(#""principal": "CN=CLIENT1,OU=lab,O=certlab""#), "\(who.output)")
            let mapped = try await securityAdmin(["map-role", "readall", "--user", "CLIENT1"] + lab.options())
            #expect(mapped.output == "'readall' updated.\n")
            #expect(try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1").body.contains("readall"))
            let refused = try await securityAdmin(["map-role", "all_access", "--user", "CLIENT1"] + lab.options(as: "CLIENT1"))
            #expect(refused.status == 1)
            #expect(refused.output.hasPrefix("ERR: No permission to access REST API: User CLIENT1 with Open Distro Security Roles"), "\(refused.output)")
        }
    }

    @Test func reloadAndDiagnoseTalkToTheNode() async throws {
        try await AdminLab.with { lab in
            let before = try await lab.configVersion()
            let work = try TemporaryDirectory()
            let result = try await securityAdmin(["-rl", "-dg"] + lab.flags(), in: work.url)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Reload config on all nodes\n   SUCC: Reloaded configuration, version \(before + 1)\nDone with success\n"))
            let trace = try #require(try FileManager.default.contentsOfDirectory(atPath: work.url.path).first)
            #expect(result.output.contains("Diagnostic trace written to: \(work.path(trace))\n"))
            let text = try work.read(trace)
            #expect(text.contains("GET /_opendistro/_security/authinfo -> 200"))
            #expect(text.contains("principal: CN=admin,OU=lab,O=certlab"))
        }
    }
}
