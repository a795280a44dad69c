import Foundation
import Synchronization

/// What `_cat/nodes` shows of the machine and the process, read from Linux's `/proc` as
/// Elasticsearch's `OsProbe` and `ProcessProbe` read them; nil where `/proc` does not tell.
///
/// `heap.percent` has no JVM heap behind it here: it is the node process's resident memory as a
/// share of the machine's (or the memory cgroup's) limit, the closest thing a Swift process has
/// to "how full is the node's memory". `ram.percent` is the machine's memory in use
/// (`MemTotal - MemAvailable`), and `cpu` the machine's CPU use since the previous reading, as
/// ES reports `os.cpu.percent` (the first reading covers the time since boot).
struct HostResources {
    var heapPercent: Int?
    var ramPercent: Int?
    var cpuPercent: Int?
    /// The 1, 5 and 15 minute load averages.
    var load: (Double, Double, Double)?

    /// Reads everything now.
    static func current() -> HostResources {
        let memory = Self.meminfo()
        let total = memory["MemTotal"]
        var resources = HostResources()
        if let total, total > 0, let available = memory["MemAvailable"] {
            resources.ramPercent = Self.percent(total - available, of: total)
        }
        let limit = Self.cgroupMemoryLimit().map { min($0, total ?? $0) } ?? total
        if let limit, limit > 0, let resident = Self.residentBytes() {
            resources.heapPercent = Self.percent(resident, of: limit)
        }
        resources.cpuPercent = Self.cpuPercent()
        resources.load = Self.loadAverages()
        return resources
    }

    static func percent(_ part: UInt64, of whole: UInt64) -> Int {
        Int((Double(part) * 100 / Double(whole)).rounded())
    }

    /// `/proc/meminfo` in bytes, by field name.
    static func meminfo(_ text: String? = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) -> [String: UInt64] {
        var fields: [String: UInt64] = [:]
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0.isWhitespace })
            guard parts.count >= 2, let value = UInt64(parts[1]) else { continue }
            fields[String(parts[0])] = parts.count >= 3 && parts[2] == "kB" ? value * 1024 : value
        }
        return fields
    }

    /// This process's resident set (`VmRSS` of `/proc/self/status`), in bytes.
    static func residentBytes() -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return meminfo(String(line))["VmRSS"]
    }

    /// The cgroup v2 memory limit, when one is set (`max` means none).
    static func cgroupMemoryLimit() -> UInt64? {
        (try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `/proc/loadavg`'s first three fields.
    static func loadAverages(_ text: String? = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) -> (Double, Double, Double)? {
        let fields = (text ?? "").split(separator: " ").prefix(3).compactMap { Double($0) }
        return fields.count == 3 ? (fields[0], fields[1], fields[2]) : nil
    }

    /// Busy and total jiffies of the `cpu` line of `/proc/stat` (idle and iowait are not busy).
    static func cpuTimes(_ text: String? = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) -> (busy: UInt64, total: UInt64)? {
        guard let line = (text ?? "").split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard values.count >= 5 else { return nil }
        let total = values.prefix(8).reduce(0, +)
        return (total - values[3] - values[4], total)
    }

    private static let lastCPU = Mutex<(busy: UInt64, total: UInt64, percent: Int)?>(nil)

    private static func cpuPercent() -> Int? {
        guard let now = cpuTimes() else { return nil }
        return lastCPU.withLock { last in
            let (busy, total) = last.map { (now.busy &- $0.busy, now.total &- $0.total) } ?? now
            // Readings within one clock tick: the previous figure still stands.
            guard total > 0 else { return last?.percent ?? 0 }
            let used = Self.percent(busy, of: total)
            last = (now.busy, now.total, used)
            return used
        }
    }
}
