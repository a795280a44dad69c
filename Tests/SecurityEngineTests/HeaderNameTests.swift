import SecurityEngine
import Testing

/// Header names compare case-insensitively (RFC 9110 §5.1), byte by byte.
struct HeaderNameTests {
    @Test func equalityIgnoresASCIICaseOnly() {
        #expect(HeaderName.equal("Authorization", "authorization"))
        #expect(HeaderName.equal("AUTHORIZATION", "authorization"))
        #expect(!HeaderName.equal("Authorizations", "authorization"))
        #expect(!HeaderName.equal("Authorizatio", "authorization"))
        #expect(!HeaderName.equal("", "authorization"))
        #expect(HeaderName.equal("", ""))
        // Only A–Z fold: '@' (0x40) is not '`' (0x60), and non-ASCII bytes never match ASCII.
        #expect(!HeaderName.equal("@", "`"))
        #expect(!HeaderName.equal("K\u{212A}", "kk"))
    }

    @Test func prefixIgnoresASCIICase() {
        #expect(HeaderName.hasPrefix("_OpenDistro_Security_User", "_opendistro_security_"))
        #expect(HeaderName.hasPrefix("_opendistro_security_", "_opendistro_security_"))
        #expect(!HeaderName.hasPrefix("_opendistro_securit", "_opendistro_security_"))
        #expect(!HeaderName.hasPrefix("x_opendistro_security_user", "_opendistro_security_"))
    }
}
