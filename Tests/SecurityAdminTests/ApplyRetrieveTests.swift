import Foundation
import LabTestSupport
import SecurityEngine
import Testing

/// securityadmin's upload and download against a real node (issue 6 tests: apply → retrieve
/// gives equivalent YAML for every type; `diff` is empty afterwards).
@Suite struct ApplyRetrieveTests {
    @Test func uploadPrintsTheFamiliarStepsThenRetrieveAndDiffAgree() async throws {
        try await AdminLab.with { lab in
            let source = try AdminLab.copyOfSecurityConfig()
            let versionBefore = try await lab.configVersion()
            let applied = try await securityAdmin(["-cd", source.url.path] + lab.flags())
            #expect(applied.status == 0, "\(applied.output)")
            let types = ["config", "internalusers", "actiongroups", "roles", "rolesmapping", "tenants", "nodesdn", "audit"]
            let files = ["config.yml", "internal_users.yml", "action_groups.yml", "roles.yml", "roles_mapping.yml", "tenants.yml", "nodes_dn.yml", "audit.yml"]
            let expected = ["Open Distro Security Admin v7", "Will connect to localhost:\(lab.port) ... done", "Elasticsearch Version: 7.10.2",
                            "Connected as CN=admin,OU=lab,O=certlab", "Clustername: certlab", "Populate config from \(source.url.standardizedFileURL.path)"]
                + zip(types, files).map { "Will update '_doc/\($0)' with \(source.url.appendingPathComponent($1).path)" }
                + types.map { "   SUCC: Configuration for '\($0)' created or updated" } + ["Done with success"]
            #expect(applied.output.split(separator: "\n").map(String.init) == expected)
            // One atomic request: the store version moved by exactly one.
            #expect(try await lab.configVersion() == versionBefore + 1)

            let parent = try TemporaryDirectory()
            let retrieved = try await securityAdmin(["-r", "-cd", parent.url.path] + lab.flags())
            #expect(retrieved.status == 0, "\(retrieved.output)")
            let folders = try FileManager.default.contentsOfDirectory(atPath: parent.url.path)
            #expect(folders.count == 1)
            let folder = try #require(folders.first)
            #expect(folder.range(of: #"^securityconfig_\d{4}-[A-Z][a-z]{2}-\d{2}_\d{2}-\d{2}-\d{2}$"#, options: .regularExpression) != nil)
            for (type, file) in zip(types, files) {
                let path = parent.url.appendingPathComponent(folder).appendingPathComponent(file).path
                #expect(retrieved.output.contains("Will retrieve '_doc/\(type)' into \(path) ... OK"))
                let back = try SourceDocument(yaml: String(contentsOfFile: path, encoding: .utf8), file: file)
                let original = try SourceDocument(yaml: source.read(file), file: file)
                #expect(back.root == original.root, "\(file) differs after the round trip")
                #expect(back.root["_meta"] == ["type": .string(type), "config_version": 2])
            }

            let diff = try await securityAdmin(["diff", "--config-dir", source.url.path] + lab.options())
            #expect(diff.status == 0)
            #expect(diff.output == "no changes\n")
            let diffOfRetrieved = try await securityAdmin(["diff", "--config-dir", parent.path(folder)] + lab.options())
            #expect(diffOfRetrieved.output == "no changes\n")

            try source.write("roles_mapping.yml", source.read("roles_mapping.yml")
                .replacingOccurrences(of: "readall:\n  reserved: false\n  users: []", with: "readall:\n  reserved: false\n  users: [CLIENT1]")
                + "extra_role:\n  users: [someone]\n")
            let changed = try await securityAdmin(["diff", "--config-dir", source.url.path] + lab.options())
            #expect(changed.output == "+ rolesmapping/extra_role\n~ rolesmapping/readall\n")
        }
    }

    @Test func backupWritesStandardFileNamesThatUploadAgain() async throws {
        try await AdminLab.with { lab in
            let backup = try TemporaryDirectory()
            let saved = try await securityAdmin(["-backup", backup.url.path] + lab.flags())
            #expect(saved.status == 0, "\(saved.output)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: backup.url.path))
                    == ["config.yml", "internal_users.yml", "action_groups.yml", "roles.yml", "roles_mapping.yml", "tenants.yml", "nodes_dn.yml", "audit.yml"])
            let restored = try await securityAdmin(["apply", "--config-dir", backup.url.path] + lab.options())
            #expect(restored.status == 0, "\(restored.output)")
            #expect(restored.output.hasSuffix("   SUCC: Configuration for 'audit' created or updated\nDone with success\n"))

            let out = try TemporaryDirectory()
            let modern = try await securityAdmin(["retrieve", "--out", out.url.path] + lab.options())
            #expect(modern.status == 0, "\(modern.output)")
            #expect(modern.output.contains("Will retrieve '_doc/rolesmapping' into \(out.path("roles_mapping.yml")) ... OK\n"))
            #expect(try out.read("roles_mapping.yml") == backup.read("roles_mapping.yml"))

            let wrongCluster = try await securityAdmin(["-r", "-cn", "elasticsearch"] + lab.flags())
            #expect(wrongCluster.status == 1)
            #expect(wrongCluster.output.contains("ERR: the cluster is named 'certlab', not 'elasticsearch'; use -cn certlab or -icl to ignore the cluster name\n"))
        }
    }

    @Test func singleFileUploadReplacesOnlyThatType() async throws {
        try await AdminLab.with { lab in
            let dir = try TemporaryDirectory()
            try dir.write("mapping.yml", """
                _meta: {type: rolesmapping, config_version: 2}
                readall: {users: [CLIENT1]}
                all_access: {backend_roles: [admin]}
                """)
            #expect(try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1").body.contains(#""roles":["own_index"]"#))
            let result = try await securityAdmin(["-f", dir.path("mapping.yml"), "-t", "rolesmapping"] + lab.flags())
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Will update '_doc/rolesmapping' with \(dir.path("mapping.yml"))\n   SUCC: Configuration for 'rolesmapping' created or updated\nDone with success\n"))
            let info = try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1")
            #expect(info.body.contains(#""roles":["readall"]"#), "\(info.body)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: ApplyRetrieveTests.fixtures.path),
                   "skipped: ../shared/fixtures/odfe-1.13/securityconfig is absent"))
    func pluginShippedFilesUploadUnchanged() async throws {
        try await AdminLab.with { lab in
            let result = try await securityAdmin(["-cd", Self.fixtures.path] + lab.flags())
            #expect(result.status == 0, "\(result.output)")
            for type in ["config", "internalusers", "actiongroups", "roles", "rolesmapping", "tenants", "nodesdn", "whitelist", "audit"] {
                #expect(result.output.contains("   SUCC: Configuration for '\(type)' created or updated\n"), "\(type)")
            }
            let diff = try await securityAdmin(["diff", "--config-dir", Self.fixtures.path] + lab.options())
            #expect(diff.output == "no changes\n")
        }
    }

    static let fixtures = LabFiles.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/odfe-1.13/securityconfig")
}
