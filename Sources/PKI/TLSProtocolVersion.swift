/// TLS protocol versions by the names the configuration files use: JSSE's `TLSv1.2` in the
/// node's `enabled_protocols` (reference §1.4) and the same spelling in Filebeat's
/// `ssl.supported_protocols` (lab-and-beats.md §3.2). Kept free of any TLS library so that the
/// node and the clients parse the same names the same way and map them to their own types.
public enum TLSProtocolVersion: Int, Sendable, Comparable, CaseIterable {
    case tls1 = 10, tls11 = 11, tls12 = 12, tls13 = 13

    public var name: String {
        switch self {
        case .tls1: return "TLSv1"
        case .tls11: return "TLSv1.1"
        case .tls12: return "TLSv1.2"
        case .tls13: return "TLSv1.3"
        }
    }

    /// Accepts `TLSv1`, `TLSv1.0`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3`.
    public init?(name: String) {
        if name == "TLSv1.0" { self = .tls1; return }
        guard let version = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = version
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The lowest and highest of the named versions; TLSv1.2 to TLSv1.3 when `names` is empty.
    /// - Throws: a message naming the unknown entry and the accepted spellings.
    public static func range(of names: [String]) throws(PKIError) -> ClosedRange<TLSProtocolVersion> {
        guard !names.isEmpty else { return .tls12 ... .tls13 }
        var versions: [TLSProtocolVersion] = []
        for name in names {
            guard let version = TLSProtocolVersion(name: name) else {
                throw PKIError(.verification, "unknown TLS protocol \"\(name)\"; expected TLSv1.2 or TLSv1.3 (also TLSv1, TLSv1.1)")
            }
            versions.append(version)
        }
        return versions.min()! ... versions.max()!
    }
}
