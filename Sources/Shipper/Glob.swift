#if canImport(Glibc)
import Glibc
#endif

/// Shell-style path globbing (`/var/log/*.log`), as Filebeat's `paths` (reference §3.3).
enum Glob {
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0 ..< Int(result.gl_pathc)).compactMap { index in result.gl_pathv[index].map { String(cString: $0) } }
    }
}
