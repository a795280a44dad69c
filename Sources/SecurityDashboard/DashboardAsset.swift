/// One file of the security dashboard page, compiled into the binary.
///
/// The bytes come from SwiftPM's `embedInCode` resources (`PackageResources.<file>`), not from a
/// resource bundle: the Docker image copies only executables, and a bundle next to them would
/// be one more thing to forget. The ETag is a hash of the bytes, so it changes exactly when a
/// new build changes the file.
public struct DashboardAsset: Sendable {
    /// The file name under `/_dashboards/security/`.
    public let name: String
    public let contentType: String
    public let bytes: [UInt8]
    /// Strong validator (quoted), for `If-None-Match` revalidation.
    public let etag: String

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.contentType = Self.contentType(of: name)
        self.etag = "\"" + Self.fnv1a64(bytes) + "\""
    }

    /// Media types by extension; JavaScript modules must be served as JavaScript or browsers
    /// refuse to run them (RFC 9239 names `text/javascript`).
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }

    /// FNV-1a, 64 bit, as 16 hex digits: a content fingerprint for caching, not a security hash.
    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
