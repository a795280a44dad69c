import Foundation
import PKI
import Testing

/// `config/certs.yml` parsing: the default plan, and errors that name file, line and field.
struct CertificatePlanTests {
    static let repositoryPlan = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/certs.yml")

    @Test func defaultPlanDescribesTheLab() throws {
        let plan = try CertificatePlan.load(path: Self.repositoryPlan.path)
        #expect(plan.ca.dn == "CN=certlab root CA,OU=lab,O=certlab")
        #expect(plan.ca.validityDays == 3650)
        #expect(plan.intermediate == nil)
        #expect(plan.leaves.map(\.name) == ["search-node", "admin", "CLIENT1", "beats-shipper"])
        #expect(plan.leaves.map(\.profile) == [.node, .admin, .client, .client])
        #expect(plan.leaves[0] == CertificatePlan.Entry(
            name: "search-node", dn: "CN=search-node,OU=node,O=certlab", profile: .node, dns: ["search-node", "localhost"],
            ips: ["127.0.0.1"], oid: "1.2.3.4.5.5", validityDays: 825, keyType: .ecP256))
        #expect(plan.leaves[1].dn == "CN=admin,OU=lab,O=certlab")
        #expect(plan.crlValidityDays == 30)
    }

    @Test(arguments: [
        ("ca:\n  dn: CN=x\nnodes:\n  - name: n\n    dn: CN=n\n    ips: [127.0.0.1, not-an-ip]\n",
         "plan.yml:6: field nodes[0].ips[1]: \"not-an-ip\" is not an IPv4 or IPv6 address"),
        ("ca:\n  dn: CN=x\nclients:\n  - name: c\n    dn: CN=c\n    colour: blue\n",
         "plan.yml:6: field clients[0].colour: unknown field; expected one of admin, dn, dns, ips, key_type, name, validity_days"),
        ("ca:\n  dn: CN=x\n  key_type: dsa-1024\n",
         "plan.yml:3: field ca.key_type: unknown key type \"dsa-1024\": expected one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096"),
        ("ca:\n  dn: CN=x\nclients:\n  - name: c\n    dn: \"CN=c,\"\n",
         "plan.yml:5: field clients[0].dn: invalid distinguished name \"CN=c,\" at position 6: expected an attribute type (letters, digits, '.', '-') but found the end of the string"),
        ("ca:\n  dn: CN=x\nclients:\n  - dn: CN=c\n", "plan.yml:4: field clients[0].name: missing: every certificate needs a name"),
        ("ca:\n  dn: CN=x\nclients:\n  - name: c\n    dn: CN=c\n  - name: c\n    dn: CN=d\n",
         "plan.yml:6: field name: duplicate certificate name \"c\": names become file names and must be unique"),
        ("ca:\n  dn: CN=x\n  validity_days: -3\n", "plan.yml:3: field ca.validity_days: expected a positive whole number of days"),
        ("nodes: []\n", "plan.yml:1: field ca: missing: the plan needs a ca section with a dn"),
        ("ca:\n  dn: CN=x\nclients:\n  - name: ../evil\n    dn: CN=c\n",
         "plan.yml:4: field clients[0].name: \"../evil\" is not a safe file name (letters, digits, - _ . only)"),
        ("ca:\n  dn: CN=x\nclients:\n  - name: c\n    dn: CN=c\n    admin: maybe\n", "plan.yml:6: field clients[0].admin: expected true or false"),
    ])
    func malformedPlanNamesLineAndField(yaml: String, message: String) {
        #expect(pkiError { _ = try CertificatePlan.parse(yaml, source: "plan.yml") } == PKIError(.plan, message))
    }

    @Test func yamlSyntaxErrorNamesTheFile() {
        let error = pkiError { _ = try CertificatePlan.parse("ca: [unclosed\n", source: "plan.yml") }
        #expect(error?.message.hasPrefix("plan.yml: YAML syntax error:") == true)
    }

    @Test func intermediateAndDefaultsApply() throws {
        let plan = try CertificatePlan.parse(
            "ca:\n  dn: CN=root\nintermediate:\n  dn: CN=issuing\ndefaults:\n  key_type: rsa-2048\n  validity_days: 90\nclients:\n  - name: c\n    dn: CN=c\n    key_type: ec-p384\n",
            source: "p.yml")
        #expect(plan.intermediate?.name == "intermediate-ca")
        #expect(plan.intermediate?.keyType == .rsa2048)
        #expect(plan.leaves[0].keyType == .ecP384)
        #expect(plan.leaves[0].validityDays == 90)
    }
}
