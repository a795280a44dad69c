import PKI
import Synchronization

/// Parsed TLS principals, memoised: every request of a certificate-authenticated client parses
/// the same DN string twice (username/roles extraction and the `admin_dn` check), and RFC 2253
/// parsing showed up at ~5% of a keep-alive GET's CPU. Parsing is a pure function of the
/// string (its bytes: `ExactText`), so entries never go stale; the table is cleared when it reaches `capacity` distinct
/// principals, which bounds memory against clients presenting endless fresh certificates.
enum PrincipalNames {
    static let capacity = 4096
    private static let table = Mutex<[ExactText: PKIName?]>([:])

    /// The DN of `principal`, or nil when it is not a valid RFC 2253 name.
    static func parse(_ principal: String) -> PKIName? {
        if let cached = table.withLock({ $0[ExactText(principal)] }) { return cached }
        let parsed = try? PKIName(parsing: principal)
        table.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[ExactText(principal)] = .some(parsed)
        }
        return parsed
    }
}
