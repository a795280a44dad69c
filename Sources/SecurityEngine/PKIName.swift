import PKI

/// The DN type of the `PKI` module, under a local name so that SecurityEngine's public API reads
/// in the plugin's vocabulary (admin DNs, principals; reference §1.6, §1.7).
public typealias PKIName = DistinguishedName
