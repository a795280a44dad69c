import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to put into a certificate: subject, profile, names, lifetime and key type.
public struct CertificateRequest: Sendable, Hashable {
    public var subject: DistinguishedName
    public var profile: CertificateProfile
    public var dnsNames: [String]
    public var ipAddresses: [String]
    /// A registeredID SAN such as the plugin's default node OID `1.2.3.4.5.5` (reference §1.7).
    public var registeredID: String?
    public var validityDays: Int
    public var keyType: KeyType

    public init(
        subject: DistinguishedName, profile: CertificateProfile, dnsNames: [String] = [], ipAddresses: [String] = [],
        registeredID: String? = nil, validityDays: Int = 825, keyType: KeyType = .ecP256
    ) {
        self.subject = subject
        self.profile = profile
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
        self.registeredID = registeredID
        self.validityDays = validityDays
        self.keyType = keyType
    }

    /// The SAN entries in the order OpenSSL prints them for the demo node cert: registeredID,
    /// DNS names, IP addresses.
    func alternativeNames() throws -> [GeneralName] {
        var names: [GeneralName] = []
        if let registeredID {
            guard let oid = ASN1ObjectIdentifier.checked(dotted: registeredID) else {
                throw PKIError(.issuing, "registered ID \"\(registeredID)\" is not a dotted OID such as 1.2.3.4.5.5")
            }
            names.append(.registeredID(oid))
        }
        names += dnsNames.map { .dnsName($0) }
        names += try ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: try Self.ipBytes($0)[...])) }
        return names
    }

    /// The network-order bytes of an IPv4 or IPv6 literal.
    static func ipBytes(_ text: String) throws -> [UInt8] {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        throw PKIError(.issuing, "IP address \"\(text)\" is neither IPv4 (127.0.0.1) nor IPv6 (::1)")
    }
}
