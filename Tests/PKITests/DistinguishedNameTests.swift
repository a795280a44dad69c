import PKI
import Testing

/// `LdapName` parsing, rendering and equality (reference §1.6, §1.7).
struct DistinguishedNameTests {
    let demo = "CN=kirk,OU=client,O=client,L=test,C=de"

    @Test func demoAdminDNFromTheShippedExampleEqualsThePrincipal() throws {
        // elasticsearch.yml.example writes it with odd case and a blank; LdapName equality still matches.
        #expect(try DistinguishedName(parsing: "CN=kirk,OU=client,O=client,l=tEst, C=De") == DistinguishedName(parsing: demo))
        #expect(try DistinguishedName(parsing: " cn = kirk ; ou=CLIENT,o=client , L=TEST,c=DE ") == DistinguishedName(parsing: demo))
    }

    @Test func rdnOrderMatters() throws {
        #expect(try DistinguishedName(parsing: "C=de,L=test,O=client,OU=client,CN=kirk") != DistinguishedName(parsing: demo))
    }

    @Test func orderInsideAMultiValuedRDNDoesNotMatterAndRendersSorted() throws {
        let a = try DistinguishedName(parsing: "OU=ops+CN=bob,O=lab")
        let b = try DistinguishedName(parsing: "CN=bob+OU=ops,O=lab")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.description == "CN=bob+OU=ops,O=lab")
        #expect(a.rdns.map(\.count) == [2, 1])
    }

    /// Java compares the value strings by their UTF-16 units: `é` as one code point and as
    /// `e` + U+0301 are two names (Swift's `String` equality would call them one).
    @Test func canonicallyEquivalentValuesAreDifferentNames() throws {
        let composed = try DistinguishedName(parsing: "CN=\u{e9}mile,O=lab")
        let decomposed = try DistinguishedName(parsing: "CN=e\u{301}mile,O=lab")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(try DistinguishedName(parsing: "cn=\u{c9}MILE,o=LAB") == composed, "case still folds")
    }

    @Test func escapingFormsAreNormalised() throws {
        let forms = [#"O=My\, Test"#, #"O="My, Test""#, #"O=My\2C Test"#, #"o=my\2c test"#]
        let names = try forms.map(DistinguishedName.init(parsing:))
        #expect(Set(names).count == 1)
        #expect(names[1].description == #"O=My\, Test"#)
        #expect(names[1].rdns[0][0].value == "My, Test")
    }

    @Test func renderingEscapesLikeJavaxNamingRdn() throws {
        let name = DistinguishedName(rdns: [
            [.init(type: "CN", value: ##"a,b+c"d\e<f>g;h=i#j"##)], [.init(type: "O", value: " padded ")], [.init(type: "OU", value: "#lead")],
        ])
        #expect(name.description == ##"CN=a\,b\+c\"d\\e\<f\>g\;h\=i\#j,O=\ padded\ ,OU=\#lead"##)
        #expect(try DistinguishedName(parsing: name.description) == name)
    }

    @Test func utf8HexEscapesDecodeAndNonASCIIRendersRaw() throws {
        let name = try DistinguishedName(parsing: #"CN=J\C3\BCrgen,O=M\C3\BCller GmbH"#)
        #expect(name.description == "CN=Jürgen,O=Müller GmbH")
        #expect(try DistinguishedName(parsing: "cn=jürgen,o=MÜLLER gmbh") == name)
    }

    @Test func binaryValuesStayBinaryAndPrintLowerCase() throws {
        let name = try DistinguishedName(parsing: "OID.1.2.3.4=#0C06637573746F6D,CN=x")
        #expect(name.description == "OID.1.2.3.4=#0c06637573746f6d,CN=x")
        #expect(name != (try DistinguishedName(parsing: "OID.1.2.3.4=custom,CN=x")))
    }

    @Test func valuesOfAnAttributeInStringOrder() throws {
        let name = try DistinguishedName(parsing: "CN=first,OU=b,ou=a,O=x,CN=second")
        #expect(name.values(of: "cn") == ["first", "second"])
        #expect(name.values(of: "OU") == ["b", "a"])
        #expect(name.values(of: "L") == [])
    }

    /// `Rdn.getType()` of a multi-valued RDN is its first entry in sorted order (CN before OU),
    /// so the plugin's attribute lookup sees `multi` as a CN and never sees `ops` as an OU.
    @Test func multiValuedRDNOffersOnlyItsFirstSortedEntry() throws {
        let name = try DistinguishedName(parsing: "OU=ops+CN=multi,OU=lab,O=certlab")
        #expect(name.values(of: "cn") == ["multi"])
        #expect(name.values(of: "ou") == ["lab"])
    }

    @Test func quotesInsideAnUnquotedValueAreLiteralAsInTheJDK() throws {
        #expect(try DistinguishedName(parsing: #"CN=a"b"c"#).rdns[0][0].value == #"a"b"c"#)
        #expect(try DistinguishedName(parsing: #"CN=a"b"c"#).description == #"CN=a\"b\"c"#)
    }

    @Test func emptyStringIsTheEmptyName() throws {
        #expect(try DistinguishedName(parsing: "").rdns.isEmpty)
        #expect(try DistinguishedName(parsing: "").description == "")
    }

    @Test(arguments: [
        ("CN", 3, "expected '=' after attribute type \"CN\""),
        ("CN=a,", 6, "expected an attribute type (letters, digits, '.', '-') but found the end of the string"),
        ("=x", 1, "expected an attribute type (letters, digits, '.', '-') but found '='"),
        (#"CN="open"#, 4, "quoted value is not closed by '\"'"),
        (#"CN=abc\"#, 7, "a backslash at the end of the string escapes nothing"),
        ("CN=#abc", 4, "binary value must be '#' followed by pairs of hex digits"),
        (#"CN=a\zb"#, 4, "'\\' must be followed by a special character or two hex digits"),
        (#"CN="a"b"#, 7, "expected ',' between RDNs but found 'b'"),
    ])
    func malformedNamesNameThePositionAndProblem(input: String, position: Int, reason: String) {
        #expect(throws: DistinguishedNameError(input: input, position: position, reason: reason)) {
            try DistinguishedName(parsing: input)
        }
    }

    @Test func errorDescriptionQuotesTheInput() {
        let error = DistinguishedNameError(input: "CN", position: 3, reason: "expected '=' after attribute type \"CN\"")
        #expect(error.description == #"invalid distinguished name "CN" at position 3: expected '=' after attribute type "CN""#)
    }

    /// Found by fuzzing (`make reliability-fuzz`, corpus `regression-oid-first-arc.txt`): an
    /// OID-form attribute type whose first arcs X.660 forbids reached swift-asn1 unchecked, and
    /// rendering the encoded subject trapped. Such names now fail to encode with the usual error.
    @Test(arguments: ["333333333333333332.22.2.33.3333333333.6=", "OID.3.1=x", "OID.1.40=x", "OID.2.18446744073709551600=x", "OID.2.9223372036854775728=x", "OID.1.2.9223372036854775808=x"])
    func attributeTypesOutsideX660FailToEncodeInsteadOfTrapping(text: String) throws {
        let name = try DistinguishedName(parsing: text)
        #expect(throws: PKIError.self) { try name.x509Name() }
    }

    /// And they render as the JDK renders them (swift-asn1's own text read `2.999` as `26.39`).
    @Test func theLargestArcsX660AllowsEncodeAndRenderAsTheJDKDoes() throws {
        let subject = try DistinguishedName(parsing: "OID.2.999.1=x,OID.1.39=y,OID.2.9223372036854775727.9223372036854775807=z").x509Name()
        #expect(DistinguishedName(subject).description == "OID.2.999.1=x,OID.1.39=y,OID.2.9223372036854775727.9223372036854775807=z")
    }
}
