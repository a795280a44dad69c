import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Filebeat's `native` file identity: device + inode (reference §3.3). A rotated file keeps its
/// identity under its new name; a new file at the old path is a different identity.
public struct FileKey: Hashable, Sendable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The registry key in Filebeat's spelling (`native::<inode>-<device>`).
    public var description: String { "native::\(inode)-\(device)" }
}

/// What `stat`/`fstat` says about a file, reduced to what harvesting needs.
struct FileStatus {
    var key: FileKey
    var size: UInt64
    var modified: Date
    var isRegular: Bool
    var linkCount: UInt64

    init(_ info: stat) {
        key = FileKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        size = UInt64(max(0, info.st_size))
        modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
        linkCount = UInt64(info.st_nlink)
    }

    static func of(path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(info)
    }

    static func of(descriptor: Int32) -> FileStatus? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return FileStatus(info)
    }
}
