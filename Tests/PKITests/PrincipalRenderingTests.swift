import Foundation
import PKI
import Testing
import X509

/// The principal string of certificates made by openssl itself, compared with
/// `openssl x509 -noout -subject -nameopt RFC2253` (reference §1.6 says users copy that output).
///
/// Where the JVM rendering legitimately differs from OpenSSL's, the case lists both strings:
/// OpenSSL says `emailAddress`, `street`, `title`, `serialNumber`; the JDK says `EMAILADDRESS`,
/// `STREET`, `T`, `SERIALNUMBER`. OpenSSL prints unknown OIDs as `1.2.3.4=#<DER hex>`, the JDK as
/// `OID.1.2.3.4=<text>`. `javax.naming.ldap.Rdn` also escapes `=` and `#` anywhere in a value.
/// OpenSSL's RFC2253 option escapes non-ASCII bytes (`\C3\BC`); the JDK prints the characters.
/// OpenSSL prints the values of a multi-valued RDN in reverse SET order; `Rdn` sorts them by type.
/// (`labAttribute` is declared as OID 1.2.3.4 in the openssl config used to make the certificates.)
struct PrincipalRenderingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// openssl `-subj`, DER order.
        let subj: String
        let jvm: String
        /// nil when OpenSSL prints exactly the JVM string.
        let openssl: String?
        var multiValued = false
        var testDescription: String { subj }
    }

    static let cases: [Case] = [
        Case(subj: "/C=de/L=test/O=client/OU=client/CN=kirk", jvm: "CN=kirk,OU=client,O=client,L=test,C=de", openssl: nil),
        Case(subj: "/DC=de/L=test/O=node/OU=node/CN=node-0.example.com", jvm: "CN=node-0.example.com,OU=node,O=node,L=test,DC=de", openssl: nil),
        Case(subj: "/CN=ADMIN/ST=Organisation Opensearch/L=Graz", jvm: "L=Graz,ST=Organisation Opensearch,CN=ADMIN", openssl: nil),
        Case(subj: "/DC=com/DC=example/O=Example Com Inc./OU=Example Com Inc. Root CA/CN=Example Com Inc. Root CA",
             jvm: "CN=Example Com Inc. Root CA,OU=Example Com Inc. Root CA,O=Example Com Inc.,DC=example,DC=com", openssl: nil),
        Case(subj: "/O=My, Test/CN=node", jvm: #"CN=node,O=My\, Test"#, openssl: nil),
        Case(subj: #"/O=lab/CN=a\+b"#, jvm: #"CN=a\+b,O=lab"#, openssl: nil),
        Case(subj: #"/CN=say "hi""#, jvm: #"CN=say \"hi\""#, openssl: nil),
        Case(subj: #"/CN=back\\slash"#, jvm: #"CN=back\\slash"#, openssl: nil),
        Case(subj: "/CN=semi;colon <x>", jvm: #"CN=semi\;colon \<x\>"#, openssl: nil),
        Case(subj: "/CN=#hash", jvm: ##"CN=\#hash"##, openssl: nil),
        Case(subj: "/O=lab/OU=ops+CN=bob", jvm: "CN=bob+OU=ops,O=lab", openssl: "OU=ops+CN=bob,O=lab", multiValued: true),
        Case(subj: "/O=lab/CN=alice+UID=a1", jvm: "CN=alice+UID=a1,O=lab", openssl: "UID=a1+CN=alice,O=lab", multiValued: true),
        Case(subj: "/UID=jdoe/CN=j", jvm: "CN=j,UID=jdoe", openssl: nil),
        Case(subj: "/emailAddress=kirk@example.com/CN=kirk", jvm: "CN=kirk,EMAILADDRESS=kirk@example.com",
             openssl: "CN=kirk,emailAddress=kirk@example.com"),
        Case(subj: "/C=US/ST=CA/street=1 Main St/CN=s", jvm: "CN=s,STREET=1 Main St,ST=CA,C=US", openssl: "CN=s,street=1 Main St,ST=CA,C=US"),
        Case(subj: "/serialNumber=1234/title=Ops/CN=t", jvm: "CN=t,T=Ops,SERIALNUMBER=1234", openssl: "CN=t,title=Ops,serialNumber=1234"),
        Case(subj: "/labAttribute=custom/CN=x", jvm: "CN=x,OID.1.2.3.4=custom", openssl: "CN=x,1.2.3.4=#0C06637573746F6D"),
        Case(subj: "/CN=a=b", jvm: #"CN=a\=b"#, openssl: "CN=a=b"),
        Case(subj: "/CN=hash#inside", jvm: ##"CN=hash\#inside"##, openssl: "CN=hash#inside"),
        Case(subj: "/O=Müller GmbH/CN=Jürgen", jvm: "CN=Jürgen,O=Müller GmbH", openssl: #"CN=J\C3\BCrgen,O=M\C3\BCller GmbH"#),
    ]

    @Test(arguments: cases)
    func principalOfAnOpenSSLCertificate(_ testCase: Case) throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let file = try OpenSSL.selfSigned(subject: testCase.subj, multiValued: testCase.multiValued, in: directory)
            #expect(try OpenSSL.subject(of: file) == (testCase.openssl ?? testCase.jvm))
            let certificate = try #require(try PEMFile.readCertificates(at: file.path).first)
            #expect(certificate.principal == testCase.jvm)
            // The principal parses back (LdapName) to the same name, and re-encodes to the same subject.
            let parsed = try DistinguishedName(parsing: certificate.principal)
            #expect(parsed == DistinguishedName(certificate.subject))
            #expect(DistinguishedName(try parsed.x509Name()).description == testCase.jvm)
        }
    }

    @Test func nonASCIIMatchesOpenSSLWhenItDoesNotEscapeUTF8() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let file = try OpenSSL.selfSigned(subject: "/O=Müller GmbH/CN=Jürgen", in: directory)
            #expect(try OpenSSL.subject(of: file, nameopt: "RFC2253,-esc_msb") == "CN=Jürgen,O=Müller GmbH")
        }
    }

    @Test func demoPrincipalMatchesTheShippedAdminDN() throws {
        let principal = try DistinguishedName(parsing: "CN=kirk,OU=client,O=client,L=test,C=de")
        #expect(principal == (try DistinguishedName(parsing: "CN=kirk,OU=client,O=client,l=tEst, C=De")))
        let subject = try principal.x509Name()
        #expect(subject.description == "CN=kirk,OU=client,O=client,L=test,C=de")
        #expect(Array(subject).first.map { "\($0)" } == "C=de")
    }
}
