import FuzzSupport
import PKI

/// DN strings (reference §1.6–1.7): `admin_dn`, `nodes_dn` and role-mapping `users` entries are
/// parsed with `DistinguishedName(parsing:)`; a certificate subject takes the JDK-string path.
///
/// Properties beyond "does not crash":
/// - the plugin's rendering of a parsed name parses back to an equal name, and renders the same
///   (rendering is what the node logs and what users paste into `admin_dn`);
/// - equal names hash equally (the admin-DN set is a hash set);
/// - a name that converts to an ASN.1 subject (cert-issuer `--dn`) renders, via the JDK path,
///   to a name whose RDN count is unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDistinguishedName(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let name = try? DistinguishedName(parsing: text) else { return 0 }
    let rendered = name.description
    guard let again = try? DistinguishedName(parsing: rendered) else {
        fuzzCheck(false, "rendering \(rendered.debugDescription) of \(text.debugDescription) does not parse")
        return 0
    }
    fuzzCheck(again == name, "rendering \(rendered.debugDescription) of \(text.debugDescription) parses to a different name")
    fuzzCheck(again.description == rendered, "rendering is not stable: \(rendered.debugDescription) → \(again.description.debugDescription)")
    fuzzCheck(again.hashValue == name.hashValue, "equal names hash differently: \(rendered.debugDescription)")
    _ = name.values(of: "CN")
    if let subject = try? name.x509Name() {
        let principal = DistinguishedName(subject)
        fuzzCheck(principal.rdns.count == name.rdns.count,
                  "subject of \(text.debugDescription) renders with \(principal.rdns.count) RDNs: \(principal.description.debugDescription)")
    }
    return 0
}
