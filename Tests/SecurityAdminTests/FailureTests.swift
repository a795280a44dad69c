import Foundation
import LabTestSupport
import Testing

/// Each way a run can go wrong ends with a clear message and a non-zero exit, and nothing is
/// half-applied (issue 6 tests: non-admin cert, wrong CA, node down, unreachable host,
/// malformed YAML).
@Suite struct FailureTests {
    @Test func nonAdminCertificateShowsTheDNTheNodeSawAndTheAdminDNHint() async throws {
        try await AdminLab.with { lab in
            let before = try await lab.configVersion()
            let result = try await securityAdmin(["-cd", AdminLab.securityConfig.path] + lab.flags(as: "CLIENT1"))
            #expect(result.status == 1)
            #expect(result.output.contains("Connected as CN=CLIENT1,OU=lab,O=certlab\n"))
            #expect(result.output.contains("""
                ERR: CLIENT1 is not an admin user; only a certificate listed in opendistro_security.authcz.admin_dn may read or replace the security configuration
                Seems you use a client certificate but this one is not registered as admin_dn
                Make sure the node's settings (elasticsearch.yml) contain:
                  opendistro_security.authcz.admin_dn:
                    - "CN=CLIENT1,OU=lab,O=certlab"

                """), "\(result.output)")
            #expect(!result.output.contains("SUCC"))
            #expect(!result.output.contains("Done with success"))
            #expect(try await lab.configVersion() == before)
        }
    }

    @Test func wrongCAIsATLSFailureWithAHint() async throws {
        try await AdminLab.with { lab in
            let result = try await securityAdmin(["-cd", AdminLab.securityConfig.path] + lab.flags(ca: "other-ca"))
            #expect(result.status == 1)
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(Array(lines.prefix(3)) == ["Open Distro Security Admin v7", "Will connect to localhost:\(lab.port)",
                                               "ERR: Seems there is no Elasticsearch running on localhost:\(lab.port) - Will exit"])
            #expect(result.output.contains("reason: TLS handshake failed"), "\(result.output)")
            #expect(result.output.contains("Check that -cacert is the CA that signed the node's certificate; use -nhnv to disable host name verification"))
        }
    }

    @Test func nodeDownNamesTheEndpoint() async throws {
        let (lab, certs) = try await certificatesOnly()
        defer { withExtendedLifetime(lab) {} }
        let reserved = try ReservedPort()
        defer { withExtendedLifetime(reserved) {} }
        let port = reserved.port
        let result = try await securityAdmin(["-cd", AdminLab.securityConfig.path, "-h", "127.0.0.1", "-p", String(port)] + certs)
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("Open Distro Security Admin v7\nWill connect to 127.0.0.1:\(port)\nERR: Seems there is no Elasticsearch running on 127.0.0.1:\(port) - Will exit\n       reason: "), "\(result.output)")
        #expect(result.output.lowercased().contains("connection refused"), "\(result.output)")
    }

    @Test func unreachableHostNamesTheEndpoint() async throws {
        let (lab, certs) = try await certificatesOnly()
        defer { withExtendedLifetime(lab) {} }
        let result = try await securityAdmin(["-cd", AdminLab.securityConfig.path, "-h", "no-such-host.invalid", "-p", "9200"] + certs)
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("Open Distro Security Admin v7\nWill connect to no-such-host.invalid:9200\nERR: Seems there is no Elasticsearch running on no-such-host.invalid:9200 - Will exit\n       reason: "), "\(result.output)")
    }

    @Test func malformedYAMLAbortsBeforeAnythingIsSent() async throws {
        try await AdminLab.with { lab in
            let source = try AdminLab.copyOfSecurityConfig()
            try source.write("roles.yml", "_meta: {type: roles, config_version: 2}\nmy_role:\n  cluster_permissions: [\"a\"\n")
            let before = try await lab.configVersion()
            let result = try await securityAdmin(["-cd", source.url.path] + lab.flags())
            #expect(result.status == 1)
            #expect(result.output.contains("\nERR: Seems roles.yml is not in Security 7 format: roles.yml:"), "\(result.output)")
            #expect(result.output.contains("invalid YAML"))
            #expect(!result.output.contains("Will update"))
            #expect(try await lab.configVersion() == before)
        }
    }

    @Test func invalidKeyIsNamedWithFileLineAndKeyAndNothingIsApplied() async throws {
        try await AdminLab.with { lab in
            let source = try AdminLab.copyOfSecurityConfig()
            try source.write("roles_mapping.yml", "_meta:\n  type: rolesmapping\n  config_version: 2\nreadall:\n  userz: [CLIENT1]\n")
            let before = try await lab.configVersion()
            let result = try await securityAdmin(["-cd", source.url.path] + lab.flags())
            #expect(result.status == 1)
            #expect(result.output.contains("ERR: Seems roles_mapping.yml is not in Security 7 format: roles_mapping.yml:5: key 'readall.userz': "), "\(result.output)")
            #expect(try await lab.configVersion() == before)
        }
    }

    @Test func unknownFlagListsTheSupportedOnes() async throws {
        let result = try await securityAdmin(["-cd", "x", "-foo"])
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("ERR: Unrecognized option: -foo\nSupported options: -cd/--configdir <value>, -f/--file <value>, -t/--type <value>, -h/--hostname <value>, -p/--port <value>,"))
        #expect(result.output.contains("-vc/--validate-configs [6|7]"))
    }

    @Test func missingCertificateIsAUsageError() async throws {
        let result = try await securityAdmin(["-cd", AdminLab.securityConfig.path, "-cacert", "ca.pem"])
        #expect(result.status == 1)
        #expect(result.output.contains("ERR: the admin certificate is required: give -cert <pem> and -key <pkcs8 pem> (--cert/--key)"))
    }

    /// Admin flags of a freshly issued, already stopped lab, for runs that never reach a node;
    /// the lab must stay alive while its certificate files are used.
    private func certificatesOnly() async throws -> (AdminLab, [String]) {
        let lab = try await AdminLab.start()
        await lab.stop()
        return (lab, ["-cacert", lab.cert("root-ca"), "-cert", lab.cert("admin"), "-key", lab.key("admin")])
    }
}
