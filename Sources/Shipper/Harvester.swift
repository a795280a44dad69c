import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads one file line by line from an offset (reference §3.3, §3.4).
///
/// Only complete lines are returned: a partial last line stays in the buffer until its
/// newline arrives. The descriptor stays open across renames, so a rotated file is read to its
/// end under its new name. The read buffer is reused; each `read` fetches up to 256 KiB, so
/// there is no per-line system call (the 50,000 lines/s target, issue 7).
final class Harvester {
    enum Outcome { case line, endOfFile, truncated }

    let key: FileKey
    let inputIndex: Int
    private(set) var path: String
    private(set) var generation: UInt64
    /// Offset in the file of the first byte not yet returned as part of a line.
    private(set) var offset: UInt64
    private(set) var lastActivity = ContinuousClock.now

    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0  // first unconsumed byte in `buffer`
    private var end = 0  // one past the last byte read into `buffer`
    private var scanned = 0  // bytes from `start` already known to contain no newline

    /// Lines longer than this are cut, as Filebeat's `max_bytes` (default 10 MiB) does.
    private let maxLineBytes: Int
    private var discarding = false

    init?(path: String, key: FileKey, inputIndex: Int, state: FileState, bufferSize: Int = 256 * 1024,
          maxLineBytes: Int = 10 * 1024 * 1024) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard let status = FileStatus.of(descriptor: descriptor), status.key == key,
              lseek(descriptor, off_t(state.offset), SEEK_SET) >= 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.path = path
        self.key = key
        self.inputIndex = inputIndex
        self.generation = state.generation
        self.offset = state.offset
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
        self.maxLineBytes = maxLineBytes
    }

    deinit { close(descriptor) }

    func renamed(to newPath: String) { path = newPath }

    /// Calls `body` with the next complete line (without `\n` or `\r\n`) and its start offset.
    /// `.line` is also returned, without calling `body`, when bytes were skipped (the rest of an
    /// over-long line), so that the caller records the offset reached.
    func nextLine(_ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) -> Outcome {
        while true {
            if let newline = findNewline() {
                if discarding {
                    consume(through: newline + 1)
                    discarding = false
                    return .line
                }
                var lineEnd = newline
                if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                emit(length: lineEnd - start, body)
                consume(through: newline + 1)
                return .line
            }
            if end - start >= maxLineBytes {
                // Filebeat's `max_bytes`: the first part is the event, the rest up to the
                // newline is dropped, and memory stays bounded.
                if !discarding { emit(length: maxLineBytes, body) }
                consume(through: end)
                discarding = true
                return .line
            }
            switch fill() {
            case .line: continue
            case let other: return other
            }
        }
    }

    private func emit(length: Int, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start ..< start + length]), offset) }
        lastActivity = .now
    }

    private func consume(through index: Int) {
        offset += UInt64(index - start)
        start = index
        scanned = 0
    }

    private func findNewline() -> Int? {
        let from = start + scanned
        guard from < end else { return nil }
        let found = buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let hit = memchr(pointer.baseAddress! + from, 0x0A, end - from) else { return nil }
            return UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - pointer.baseAddress!
        }
        if found == nil { scanned = end - start }
        return found
    }

    /// Reads more bytes; `.line` means "something was read, scan again".
    private func fill() -> Outcome {
        if start > 0 && (end == buffer.count || start == end) {
            buffer.withUnsafeMutableBufferPointer { pointer in
                _ = memmove(pointer.baseAddress!, pointer.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            read(descriptor, pointer.baseAddress! + end, pointer.count - end)
        }
        if count > 0 {
            end += count
            return .line
        }
        if let status = FileStatus.of(descriptor: descriptor), status.size < offset + UInt64(end - start) {
            return .truncated
        }
        return .endOfFile
    }

    /// After truncation: read again from offset 0 under a new generation.
    func restart(generation: UInt64) {
        lseek(descriptor, 0, SEEK_SET)
        self.generation = generation
        offset = 0
        start = 0
        end = 0
        scanned = 0
        discarding = false
        lastActivity = .now
    }

    /// The file was deleted (no links left) — Filebeat's `close_removed`.
    var isRemoved: Bool { (FileStatus.of(descriptor: descriptor)?.linkCount ?? 0) == 0 }
}
