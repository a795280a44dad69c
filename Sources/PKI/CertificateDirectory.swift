import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder of `cert-issuer` (`certs/`), written all-or-nothing.
///
/// A batch of files is first written to hidden temporary files in the same folder (private keys
/// created with mode 0600 from the first byte, never widened later), flushed, and only then
/// renamed over the real names. A failure before the renames removes the temporaries, so an
/// interrupted or failed run never leaves a half-written key or a certificate without its key.
public struct CertificateDirectory: Sendable {
    public let path: String

    /// One file to write.
    public struct File: Sendable {
        public var name: String
        public var content: [UInt8]
        /// 0o600 for private keys, 0o644 otherwise.
        public var mode: mode_t

        public init(name: String, content: [UInt8], mode: mode_t) {
            (self.name, self.content, self.mode) = (name, content, mode)
        }

        public static func key(_ name: String, _ text: String) -> File { File(name: name, content: Array(text.utf8), mode: 0o600) }
        public static func `public`(_ name: String, _ text: String) -> File { File(name: name, content: Array(text.utf8), mode: 0o644) }
    }

    /// Opens (creating when `create` is set) the folder and checks that it is writable.
    public init(path: String, create: Bool) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PKIError(.io, "\(path): output path exists and is not a directory") }
        } else if create {
            try Self.makeDirectories(path)
        } else {
            throw PKIError(.io, "\(path): certificate directory does not exist; run cert-issuer init first")
        }
        guard access(path, W_OK) == 0 else { throw PKIError(.io, "\(path): output directory is not writable") }
    }

    public func filePath(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The bytes of a file in the folder, nil when it does not exist.
    public func read(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: filePath(name)).map(Array.init)
    }

    /// Writes all files or none (see the type's documentation). Files whose content is already
    /// identical are left untouched, so an unchanged run does not even update modification times.
    public func commit(_ files: [File]) throws {
        let changed = files.filter { read($0.name) != $0.content }
        var temporaries: [(temp: String, final: String)] = []
        do {
            for file in changed {
                let temp = filePath(".\(file.name).tmp-\(UUID().uuidString)")
                temporaries.append((temp, filePath(file.name)))
                try Self.writeFile(file.content, to: temp, mode: file.mode)
            }
        } catch {
            for entry in temporaries { unlink(entry.temp) }
            throw error
        }
        for entry in temporaries where rename(entry.temp, entry.final) != 0 {
            let message = String(cString: strerror(errno))
            for remaining in temporaries { unlink(remaining.temp) }
            throw PKIError(.io, "\(entry.final): cannot rename into place (\(message))")
        }
    }

    private static func writeFile(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw PKIError(.io, "\(path): cannot create file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        fchmod(fd, mode)  // the umask may have narrowed 0644; keys stay 0600 either way
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw PKIError(.io, "\(path): write failed (\(String(cString: strerror(errno))))") }
            offset += written
        }
        guard fsync(fd) == 0 else { throw PKIError(.io, "\(path): fsync failed (\(String(cString: strerror(errno))))") }
    }

    /// `mkdir -p` with the POSIX reason in the error (Foundation on Linux only says "error 512").
    private static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw PKIError(.io, "\(path): cannot create output directory (\(String(cString: strerror(errno))))")
            }
        }
    }
}
