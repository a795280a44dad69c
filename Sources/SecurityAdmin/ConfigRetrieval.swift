import Foundation
import JSONValue
import SecurityEngine

/// Writes the node's configuration as YAML files with the standard names, so the folder can be
/// uploaded again with `-cd` (securityadmin `-r` / `-backup`, reference §8).
public enum ConfigRetrieval {
    /// `securityconfig_2026-Nov-29_17-40-12` under `parent`: securityadmin's `-r` names its
    /// downloads by date the same way.
    public static func timestampedFolder(in parent: String, now: Date = Date()) -> String {
        URL(fileURLWithPath: parent).appendingPathComponent("securityconfig_\(timestamp(now))").path
    }

    /// `2026-Nov-29_17-40-12` (UTC).
    static func timestamp(_ now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MMM-dd_HH-mm-ss"
        return formatter.string(from: now)
    }

    /// Writes every document of `snapshot` into `folder` (created when missing) and returns the
    /// written paths by type.
    @discardableResult
    public static func write(_ snapshot: NodeConnection.Snapshot, to folder: String) throws(AdminError) -> [(ConfigType, String)] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .usage("cannot create \(folder): \(error.localizedDescription)")
        }
        var written: [(ConfigType, String)] = []
        for type in ConfigType.allCases {
            guard let document = snapshot.documents[type] else { continue }
            let path = URL(fileURLWithPath: folder).appendingPathComponent(type.fileName).path
            do {
                try YAMLDocumentWriter.render(document).write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw .usage("cannot write \(path): \(error)")
            }
            written.append((type, path))
        }
        return written
    }
}
