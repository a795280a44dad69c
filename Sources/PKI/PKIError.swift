/// Every failure the PKI library reports, each with a one-line message that names the file or
/// field involved and, where there is one, the fix. `cert-issuer` prints `description` verbatim.
public struct PKIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A stable category tests and callers can switch on.
    public enum Kind: String, Sendable {
        case pemFormat, keyFormat, keyMismatch, unknownKeyType, csr, crl, plan, io, issuing, verification
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
