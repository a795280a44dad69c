import JSONValue
import SecurityAdmin
import SecurityEngine
import Testing

/// `diff` and the serve log summary compare entries as JSON; the YAML written by `retrieve`
/// reads back to the same values.
@Suite struct ConfigDiffTests {
    @Test func listsAddedChangedAndRemovedEntriesPerType() {
        let meta: JSON = ["type": "rolesmapping", "config_version": 2]
        let local: [ConfigType: JSON] = [
            .rolesmapping: ["_meta": meta, "a": ["users": ["x"]], "b": ["users": ["y"]], "new": ["hosts": ["h"]]],
            .tenants: ["_meta": ["type": "tenants", "config_version": 2], "t": ["description": "same"]],
        ]
        let remote: [ConfigType: JSON] = [
            .rolesmapping: ["_meta": meta, "b": ["users": ["y"]], "a": ["users": ["z"]], "gone": ["users": ["q"]]],
            .tenants: ["t": ["description": "same"], "_meta": ["type": "tenants", "config_version": 2]],
        ]
        let diff = ConfigDiff(local: local, remote: remote)
        #expect(diff.listing == ["+ rolesmapping/new", "~ rolesmapping/a", "- rolesmapping/gone"])
        #expect(diff.summary == "rolesmapping +1 ~1 -1 (added: new; changed: a; removed: gone)")
        #expect(ConfigDiff(local: remote, remote: remote).summary == "no changes")
    }

    @Test func retrievedYAMLKeepsTypesMetaAndOrder() throws {
        let document: JSON = ["_meta": ["type": "internalusers", "config_version": 2],
                              "u": ["hash": "$2y$12$abc", "reserved": false, "backend_roles": [],
                                    "attributes": ["n": "1", "t": "true", "e": "", "q": "say \"hi\"\nbye"],
                                    "description": nil, "size": 3]]
        let yaml = try YAMLDocumentWriter.render(document)
        #expect(yaml.hasPrefix("_meta:\n  type: \"internalusers\"\n  config_version: 2\nu:\n"), "\(yaml)")
        let back = try SourceDocument(yaml: yaml, file: "internal_users.yml")
        #expect(back.root == document)
    }
}
