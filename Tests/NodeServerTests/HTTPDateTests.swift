import Foundation
@testable import NodeServer
import Testing

/// The `Date` header of responses answered on the event loop, in the IMF-fixdate form every
/// other response carries (RFC 9110 §5.6.7).
struct HTTPDateTests {
    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(1_795_989_943) == "Sun, 29 Nov 2026 22:05:43 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
    }

    @Test func nowIsTheCurrentSecond() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let parsed = try #require(formatter.date(from: HTTPDate.current.text))
        #expect(abs(parsed.timeIntervalSinceNow) < 2)
    }
}
