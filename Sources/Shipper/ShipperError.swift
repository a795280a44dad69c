/// A runtime failure of the shipper outside configuration parsing (registry, files, output
/// set-up), with a message that says what to do.
public struct ShipperError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
