import Foundation
import SecurityEngine

/// The YAML files one run uploads: a whole `securityconfig/` directory (`-cd`) or one file of a
/// given type (`-f FILE -t TYPE`), read and validated locally before anything is sent
/// (issue 6: "a validation error anywhere aborts before anything is sent, naming file, line, key").
public struct ConfigSource: Sendable {
    /// One file as read from disk.
    public struct File: Sendable {
        public var type: ConfigType
        public var path: String
        public var text: String
        public var document: SourceDocument
    }

    /// The files by type, in the plugin's type order.
    public private(set) var files: [File]

    /// Reads every known file of `directory`. The six required types must be present, as
    /// securityadmin requires for `-cd` (reference §8); optional types are taken when present.
    public init(directory: String) throws(AdminError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .usage("\(directory) is not a directory")
        }
        var files: [File] = []
        for type in ConfigType.allCases {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(type.fileName).path
            guard FileManager.default.fileExists(atPath: path) else {
                if ConfigType.required.contains(type) {
                    throw .invalidConfig(file: type.fileName, detail: "\(type.fileName): file not found in \(directory)")
                }
                continue
            }
            files.append(try ConfigSource.read(path, as: type))
        }
        self.files = files
    }

    /// Reads one file for one type (`-f FILE -t TYPE`).
    public init(file: String, type name: String) throws(AdminError) {
        guard let type = ConfigSource.type(named: name) else {
            throw .usage("unknown type '\(name)'; expected one of \(ConfigType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        files = [try ConfigSource.read(file, as: type)]
    }

    /// The type for a `-t` argument; securityadmin accepts the type names of reference §8.
    public static func type(named name: String) -> ConfigType? {
        ConfigType(rawValue: name.lowercased())
    }

    /// The documents by type.
    public var documents: [ConfigType: SourceDocument] {
        Dictionary(uniqueKeysWithValues: files.map { ($0.type, $0.document) })
    }

    /// Validates the files together as the node will (`_meta`, keys, types, static names).
    public func validate(flavor: Flavor) throws(AdminError) {
        do {
            _ = try SecurityConfiguration(documents: documents, flavor: flavor)
        } catch {
            throw .invalidConfig(file: error.file, detail: error.description)
        }
    }

    /// The upload body: `{"<type>": "<YAML text>", ...}` for the node's config endpoint.
    public var uploadBody: [(String, String)] {
        files.map { ($0.type.rawValue, $0.text) }
    }

    private static func read(_ path: String, as type: ConfigType) throws(AdminError) -> File {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .usage("cannot read \(path): \(error.localizedDescription)")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        do {
            return File(type: type, path: path, text: text, document: try SourceDocument(yaml: text, file: name))
        } catch {
            throw .invalidConfig(file: name, detail: error.description)
        }
    }
}
