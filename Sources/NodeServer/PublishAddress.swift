#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The address a node publishes for itself (`_cat/nodes`'s `ip`), worked out from
/// `network.host` the way Elasticsearch picks a publish address: a concrete address is itself,
/// the loopback names are 127.0.0.1, and a wildcard bind (`0.0.0.0`, as in the compose lab)
/// publishes the machine's first non-loopback IPv4 address.
enum PublishAddress {
    static func of(networkHost host: String) -> String {
        switch host {
        case "localhost", "_local_", "_local:ipv4_": return "127.0.0.1"
        case "", "0.0.0.0", "::", "0:0:0:0:0:0:0:0", "_site_", "_global_", "_site:ipv4_", "_global:ipv4_":
            return firstNonLoopbackIPv4() ?? "127.0.0.1"
        default: return host
        }
    }

    /// The first address of an interface that is up and not loopback, in `getifaddrs` order.
    static func firstNonLoopbackIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let found = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var bytes = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &bytes, &text, socklen_t(text.count)) != nil
            }
            if found { return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        }
        return nil
    }
}
