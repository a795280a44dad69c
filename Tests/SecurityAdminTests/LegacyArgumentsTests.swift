import SecurityAdmin
import Testing

/// securityadmin's single-dash flags as people type them (reference §8).
@Suite struct LegacyArgumentsTests {
    @Test func parsesTheUsualUploadLine() throws {
        let parsed = try LegacyArguments(parsing: ["-cd", "conf/", "-icl", "-nhnv", "-cacert", "ca.pem", "-cert", "admin.pem",
                                                   "-key", "admin-key.pem", "-h", "search-node", "-p", "9201"])
        var expected = LegacyArguments()
        expected.configDirectory = "conf/"
        expected.ignoreClusterName = true
        expected.noHostnameVerification = true
        expected.cacert = "ca.pem"
        expected.cert = "admin.pem"
        expected.key = "admin-key.pem"
        expected.host = "search-node"
        expected.port = 9201
        #expect(parsed == expected)
    }

    @Test func longFormsAndOptionalValidateVersion() throws {
        let parsed = try LegacyArguments(parsing: ["--configdir", "c", "--validate-configs"])
        #expect(parsed.configDirectory == "c")
        #expect(parsed.validateVersion == 7)
        #expect(try LegacyArguments(parsing: ["-vc", "6", "-cd", "c"]).validateVersion == 6)
        #expect(try LegacyArguments(parsing: ["-f", "r.yml", "-t", "roles", "-r"]).retrieve)
    }

    @Test func badLinesNameTheProblem() {
        func message(_ arguments: [String]) -> String {
            do { _ = try LegacyArguments(parsing: arguments); return "" } catch { return error.description }
        }
        #expect(message(["-f", "roles.yml"]) == "ERR: -f requires -t <type> (config, roles, rolesmapping, internalusers, actiongroups, tenants, nodesdn, whitelist, allowlist, audit)")
        #expect(message(["-cd"]) == "ERR: Missing argument for option: -cd")
        #expect(message(["-cd", "c", "-p", "http"]) == "ERR: -p expects a port number, found 'http'")
        #expect(message(["-nhnv"]).hasPrefix("ERR: nothing to do: give -cd DIR, -f FILE -t TYPE, -r, -backup DIR, -rl, -w or -dg\nSupported options: "))
        #expect(message(["-cd", "c", "--verbose"]).hasPrefix("ERR: Unrecognized option: --verbose\nSupported options: -cd/--configdir <value>"))
    }
}
