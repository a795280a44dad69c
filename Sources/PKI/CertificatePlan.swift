import Foundation
import Yams

/// The lab's certificate plan (`config/certs.yml`): one CA (optionally an intermediate), nodes,
/// and clients — the admin certificate is a client with `admin: true` (reference §1.7: the admin
/// is recognised by its DN alone, its certificate is an ordinary clientAuth certificate).
///
/// Parsing walks the YAML node tree rather than decoding, so every error names the file, the line
/// and the field path (`nodes[0].ips`), and unknown fields are rejected instead of ignored.
public struct CertificatePlan: Sendable, Hashable {
    /// One certificate to issue. Its JSON form is hashed into the manifest to detect plan changes.
    public struct Entry: Sendable, Hashable, Codable {
        public var name: String
        public var dn: String
        public var profile: CertificateProfile
        public var dns: [String]
        public var ips: [String]
        public var oid: String?
        public var validityDays: Int
        public var keyType: KeyType

        public init(
            name: String, dn: String, profile: CertificateProfile, dns: [String] = [], ips: [String] = [], oid: String? = nil,
            validityDays: Int, keyType: KeyType
        ) {
            (self.name, self.dn, self.profile, self.dns, self.ips, self.oid) = (name, dn, profile, dns, ips, oid)
            (self.validityDays, self.keyType) = (validityDays, keyType)
        }

        /// The issuing request this entry describes.
        public func request() throws -> CertificateRequest {
            CertificateRequest(
                subject: try DistinguishedName(parsing: dn), profile: profile, dnsNames: dns, ipAddresses: ips,
                registeredID: oid, validityDays: validityDays, keyType: keyType)
        }
    }

    public var ca: Entry
    public var intermediate: Entry?
    /// Nodes first, then clients, in file order.
    public var leaves: [Entry]
    public var crlValidityDays: Int

    public init(ca: Entry, intermediate: Entry? = nil, leaves: [Entry], crlValidityDays: Int = 30) {
        (self.ca, self.intermediate, self.leaves, self.crlValidityDays) = (ca, intermediate, leaves, crlValidityDays)
    }

    /// Reads and validates a plan file.
    public static func load(path: String) throws -> CertificatePlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKIError(.plan, "\(path): cannot read the plan file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// Parses plan YAML; `source` names the file in errors.
    public static func parse(_ yaml: String, source: String) throws -> CertificatePlan {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PKIError(.plan, "\(source): YAML syntax error: \(String(describing: error).split(separator: "\n").joined(separator: " "))")
        }
        let reader = PlanReader(source: source)
        guard let root else { throw PKIError(.plan, "\(source):1: field ca: the plan is empty; it needs at least a ca section") }
        let top = try reader.mapping(root, path: "", allowed: ["ca", "intermediate", "defaults", "nodes", "clients", "crl"])
        var defaultDays = 825, defaultKey = KeyType.ecP256
        if let defaults = top["defaults"] {
            let fields = try reader.mapping(defaults, path: "defaults", allowed: ["validity_days", "key_type"])
            defaultDays = try fields["validity_days"].map { try reader.positiveInt($0, path: "defaults.validity_days") } ?? defaultDays
            defaultKey = try fields["key_type"].map { try reader.keyType($0, path: "defaults.key_type") } ?? defaultKey
        }
        guard let caNode = top["ca"] else { throw reader.error(root, "ca", "missing: the plan needs a ca section with a dn") }
        let ca = try reader.entry(caNode, path: "ca", profile: .rootCA, fixedName: "root-ca", days: 3650, key: defaultKey)
        let intermediate = try top["intermediate"].map {
            try reader.entry($0, path: "intermediate", profile: .intermediateCA, fixedName: "intermediate-ca", days: 1825, key: defaultKey)
        }
        var leaves: [Entry] = []
        for (section, profile) in [("nodes", CertificateProfile.node), ("clients", .client)] {
            guard let list = top[section] else { continue }
            guard let items = list.sequence else { throw reader.error(list, section, "expected a list of entries") }
            for (index, item) in items.enumerated() {
                leaves.append(try reader.entry(item, path: "\(section)[\(index)]", profile: profile, fixedName: nil, days: defaultDays, key: defaultKey))
            }
        }
        var names = Set([ca.name] + (intermediate.map { [$0.name] } ?? []))
        for (leaf, item) in zip(leaves, (top["nodes"]?.sequence.map(Array.init) ?? []) + (top["clients"]?.sequence.map(Array.init) ?? [])) {
            guard names.insert(leaf.name).inserted else {
                throw reader.error(item, "name", "duplicate certificate name \"\(leaf.name)\": names become file names and must be unique")
            }
        }
        var crlDays = 30
        if let crl = top["crl"] {
            let fields = try reader.mapping(crl, path: "crl", allowed: ["validity_days"])
            crlDays = try fields["validity_days"].map { try reader.positiveInt($0, path: "crl.validity_days") } ?? crlDays
        }
        return CertificatePlan(ca: ca, intermediate: intermediate, leaves: leaves, crlValidityDays: crlDays)
    }
}

/// Field readers that turn YAML nodes into plan values or errors with file, line and field.
private struct PlanReader {
    let source: String

    func error(_ node: Node, _ path: String, _ problem: String) -> PKIError {
        PKIError(.plan, "\(source):\(node.mark?.line ?? 1): field \(path): \(problem)")
    }

    func mapping(_ node: Node, path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let mapping = node.mapping else {
            throw error(node, path.isEmpty ? "(top level)" : path, "expected a mapping of fields")
        }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let fieldPath = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                throw error(key, fieldPath, "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
            fields[name] = value
        }
        return fields
    }

    func string(_ node: Node, path: String) throws -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw error(node, path, "expected a non-empty string") }
        return scalar.string
    }

    func strings(_ node: Node, path: String) throws -> [String] {
        guard let items = node.sequence else { throw error(node, path, "expected a list of strings") }
        return try items.enumerated().map { try string($1, path: "\(path)[\($0)]") }
    }

    func positiveInt(_ node: Node, path: String) throws -> Int {
        guard let value = node.scalar.flatMap({ Int($0.string) }), value > 0 else {
            throw error(node, path, "expected a positive whole number of days")
        }
        return value
    }

    func keyType(_ node: Node, path: String) throws -> KeyType {
        do { return try KeyType(parsing: try string(node, path: path)) } catch let failure as PKIError {
            throw error(node, path, failure.message)
        }
    }

    func entry(
        _ node: Node, path: String, profile: CertificateProfile, fixedName: String?, days: Int, key: KeyType
    ) throws -> CertificatePlan.Entry {
        var allowed: Set<String> = ["dn", "validity_days", "key_type"]
        if fixedName == nil { allowed.formUnion(["name", "dns", "ips"]) }
        if profile == .node { allowed.insert("oid") }
        if profile == .client { allowed.insert("admin") }
        let fields = try mapping(node, path: path, allowed: allowed)
        let name: String
        if let fixedName {
            name = fixedName
        } else {
            guard let nameNode = fields["name"] else { throw error(node, "\(path).name", "missing: every certificate needs a name") }
            name = try string(nameNode, path: "\(path).name")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
                throw error(nameNode, "\(path).name", "\"\(name)\" is not a safe file name (letters, digits, - _ . only)")
            }
        }
        guard let dnNode = fields["dn"] else { throw error(node, "\(path).dn", "missing: every certificate needs a dn") }
        let dn = try string(dnNode, path: "\(path).dn")
        do {
            _ = try DistinguishedName(parsing: dn).x509Name()
        } catch {
            throw self.error(dnNode, "\(path).dn", "\(error)")
        }
        var resolvedProfile = profile
        if let adminNode = fields["admin"] {
            guard let flag = adminNode.scalar.flatMap({ Bool($0.string) }) else { throw error(adminNode, "\(path).admin", "expected true or false") }
            if flag { resolvedProfile = .admin }
        }
        let ips = try fields["ips"].map { try strings($0, path: "\(path).ips") } ?? []
        for (index, ip) in ips.enumerated() where (try? CertificateRequest.ipBytes(ip)) == nil {
            throw error(fields["ips"]!.sequence![index], "\(path).ips[\(index)]", "\"\(ip)\" is not an IPv4 or IPv6 address")
        }
        return CertificatePlan.Entry(
            name: name, dn: dn, profile: resolvedProfile,
            dns: try fields["dns"].map { try strings($0, path: "\(path).dns") } ?? [],
            ips: ips,
            oid: try fields["oid"].map { try string($0, path: "\(path).oid") },
            validityDays: try fields["validity_days"].map { try positiveInt($0, path: "\(path).validity_days") } ?? days,
            keyType: try fields["key_type"].map { try keyType($0, path: "\(path).key_type") } ?? key)
    }
}
