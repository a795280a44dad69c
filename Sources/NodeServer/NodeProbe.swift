import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What `_nodes` and `_nodes/stats` report of the machine, the process and the data path,
/// read where ES's `OsProbe`, `ProcessProbe` and `FsProbe` read them on Linux: `uname`,
/// `/etc/os-release`, `/proc/meminfo`, `/proc/self`, `getrlimit` and `statvfs`.
///
/// Free memory is `MemAvailable` (what could be used without swapping), the same reading
/// `_cat/nodes`'s `ram.percent` is built on, so the two never disagree.
enum NodeProbe {
    /// `PRETTY_NAME` of `/etc/os-release`, as ES 7.10 reports `os.pretty_name`.
    static func prettyName(_ text: String? = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) -> String {
        for line in (text ?? "").split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return "Linux"
    }

    /// `uname -m` under the JVM's name for it (`os.arch`): x86_64 is `amd64`.
    static func architecture() -> String {
        let machine = uname().machine
        return machine == "x86_64" ? "amd64" : machine
    }

    /// The kernel release (`uname -r`), ES's `os.version`.
    static func kernelRelease() -> String { uname().release }

    private static func uname() -> (machine: String, release: String) {
        var names = utsname()
        guard Glibc.uname(&names) == 0 else { return ("unknown", "unknown") }
        func text<Field>(_ field: inout Field) -> String {
            withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return (text(&names.machine), text(&names.release))
    }

    /// Open file descriptors of this process (entries of `/proc/self/fd`).
    static func openFileDescriptors() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map(\.count)
    }

    /// The soft `RLIMIT_NOFILE`, ES's `max_file_descriptors`.
    static func maxFileDescriptors() -> Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return limit.rlim_cur == rlim_t.max ? -1 : Int(limit.rlim_cur)
    }

    /// User plus system CPU time of this process in milliseconds (`/proc/self/stat` fields 14
    /// and 15), and the process's start in clock ticks since boot (field 22).
    static func processCPU(_ text: String? = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) -> (millis: Int64, startTicks: Int64)? {
        // The command name (field 2) may hold spaces; fields are counted after its closing ')'.
        guard let text, let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let user = Int64(fields[11]), let system = Int64(fields[12]), let start = Int64(fields[19]) else { return nil }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return ((user + system) * 1000 / max(ticks, 1), start)
    }

    private static let lastProcessCPU = Mutex<(cpu: Int64, wall: Double)?>(nil)

    /// This process's CPU use since the previous reading (the first covers its whole life), as a
    /// share of all the machine's processors, ES's `process.cpu.percent`.
    static func processCPUPercent() -> Int {
        guard let now = processCPU() else { return -1 }
        let wall = ProcessInfo.processInfo.systemUptime * 1000
        let processors = Double(max(ProcessInfo.processInfo.activeProcessorCount, 1))
        return lastProcessCPU.withLock { last in
            let ticks = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
            let since = last ?? (cpu: 0, wall: Double(now.startTicks) / ticks * 1000)
            let elapsed = wall - since.wall
            guard elapsed > 0 else { return 0 }
            last = (now.millis, wall)
            return Int((Double(now.millis - since.cpu) * 100 / elapsed / processors).rounded())
        }
    }

    /// `VmSize` of `/proc/self/status` in bytes, ES's `total_virtual_in_bytes`.
    static func virtualBytes() -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }) else { return nil }
        return HostResources.meminfo(String(line))["VmSize"]
    }

    /// Total, free and available bytes of the file system holding `path`.
    static func fileSystem(_ path: String) -> (total: UInt64, free: UInt64, available: UInt64)? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let unit = UInt64(stats.f_frsize)
        return (UInt64(stats.f_blocks) * unit, UInt64(stats.f_bfree) * unit, UInt64(stats.f_bavail) * unit)
    }
}
