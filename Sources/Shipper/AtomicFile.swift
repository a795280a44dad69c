import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement: temp file, fsync, rename, fsync of the directory.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(ShipperError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw ShipperError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                close(descriptor)
                throw ShipperError("cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        let synced = fsync(descriptor)
        close(descriptor)
        guard synced == 0, rename(temporary, path) == 0 else {
            throw ShipperError("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
