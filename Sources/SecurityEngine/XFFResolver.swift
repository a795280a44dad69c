import Foundation

/// Remote-address resolution behind proxies (reference §2.3, `XFFResolver`/`RemoteIpDetector`):
/// only when the direct peer matches `internalProxies`, the `remoteIpHeader` values are scanned
/// right to left, skipping proxies; the first other address is the client.
struct XFFResolver: Sendable {
    private let proxies: RegexBox?
    private let header: String
    let enabled: Bool

    init(_ config: DynamicConfig) {
        enabled = config.xffEnabled
        header = config.remoteIpHeader
        proxies = (try? NSRegularExpression(pattern: "^(?:" + config.internalProxies + ")$")).map(RegexBox.init)
    }

    func isTrustedProxy(_ address: String) -> Bool {
        guard let proxies else { return false }
        return proxies.value.firstMatch(in: address, range: NSRange(address.startIndex..., in: address)) != nil
    }

    /// The client address and whether it came from the header (proxy auth requires that).
    func resolve(_ request: AuthenticationRequest) -> (address: String, viaProxy: Bool) {
        guard enabled, isTrustedProxy(request.remoteAddress) else { return (request.remoteAddress, false) }
        let values = request.headerValues(header).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for value in values.reversed() where !value.isEmpty {
            if !isTrustedProxy(value) { return (value, true) }
        }
        return (values.first ?? request.remoteAddress, true)
    }
}
