import Foundation

/// Notices edits in a configuration directory by polling modification times and sizes of its
/// `.yml` files (issue 6: no inotify needed). A change is reported once the directory has been
/// quiet for one more poll, so an editor's write-rename dance or `cp` of several files becomes
/// one re-apply (debounce).
struct DirectoryWatcher: Sendable {
    let directory: String
    let interval: Duration

    struct Stamp: Equatable, Sendable {
        var modified: Date
        var size: Int
    }

    /// The `.yml` files of the directory with their stamps; missing directory → empty.
    func snapshot() -> [String: Stamp] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var stamps: [String: Stamp] = [:]
        for name in names where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
            stamps[name] = Stamp(modified: attributes[.modificationDate] as? Date ?? .distantPast,
                                 size: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
        return stamps
    }

    /// Waits until the directory differs from `last` and then stays unchanged for one interval;
    /// returns the settled snapshot. Throws on cancellation.
    func nextChange(after last: [String: Stamp]) async throws -> [String: Stamp] {
        var seen = last
        var pending = false
        while true {
            try await Task.sleep(for: interval)
            let now = snapshot()
            if now != seen {
                seen = now
                pending = true
            } else if pending {
                return now
            }
        }
    }
}
