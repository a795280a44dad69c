import SwiftASN1

extension ASN1ObjectIdentifier {
    /// An OID from its dotted arcs, checked as X.660 (and the JDK's `ObjectIdentifier`) check
    /// them — at least two arcs, the first 0, 1 or 2, the second at most 39 under 0 and 1 — and
    /// within what swift-asn1 can read back.
    ///
    /// Why not `init(elements:)` alone: swift-asn1 checks only the count there. It encodes the
    /// first two arcs as `first * 40 + second` without a range check, so `3.1` comes back as
    /// `2.41`, a huge first arc traps on overflow, and reading some results back trips a
    /// precondition (found by fuzzing `cert-issuer --dn` names: `333333333333333332.22.2=x`).
    static func checked(arcs: [UInt]) -> ASN1ObjectIdentifier? {
        guard arcs.count >= 2, arcs[0] <= 2, arcs[0] == 2 ? arcs[1] < largestSubidentifier - 80 : arcs[1] <= 39,
              arcs.dropFirst(2).allSatisfy({ $0 < largestSubidentifier })
        else { return nil }
        return try? ASN1ObjectIdentifier(elements: arcs)
    }

    /// swift-asn1 reads back no subidentifier of more than nine 7-bit groups (63 bits).
    private static let largestSubidentifier: UInt = 1 << 63

    /// The arcs as X.660 reads them, dotted. swift-asn1's `description` splits the first
    /// subidentifier `v` as `v / 40, v % 40`, right only below 80: `2.999.1` came back as
    /// `26.39.1`, where the JDK prints `OID.2.999.1`.
    var dottedArcs: String {
        let components = oidComponents
        guard components.count >= 2 else { return description }
        let combined = components[0] * 40 + components[1]
        let head: [UInt] = combined < 80 ? [combined / 40, combined % 40] : [2, combined - 80]
        return (head + components.dropFirst(2)).map(String.init).joined(separator: ".")
    }

    /// `1.2.840.113549` → its arcs (nil unless every part is a decimal number), then `checked`.
    static func checked(dotted text: some StringProtocol) -> ASN1ObjectIdentifier? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt($0) }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        return checked(arcs: parts.map { $0! })
    }
}
