import Foundation
import LabTestSupport

/// The `security-admin` executable built next to the test bundle.
let securityAdminBinary = productsDirectory.appendingPathComponent("security-admin").path

/// Runs the built `security-admin` with `arguments`.
func securityAdmin(_ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
    guard FileManager.default.isExecutableFile(atPath: securityAdminBinary) else {
        throw AdminTestFailure("security-admin not found at \(securityAdminBinary); build it with `swift build --build-tests`")
    }
    return try await run(securityAdminBinary, arguments, in: directory)
}

struct AdminTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A long-running `security-admin` (serve) whose output is collected while it runs.
final class BackgroundAdmin: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var collected = ""

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: securityAdminBinary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.collected += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var output: String { lock.withLock { collected } }

    /// Waits up to `timeout` for a line containing `text` (after `skipping` characters).
    func waitFor(_ text: String, after skipping: Int = 0, timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = output
            let tail = all.dropFirst(min(skipping, all.count))
            if let range = tail.range(of: text) {
                let start = tail[..<range.lowerBound].lastIndex(of: "\n").map { tail.index(after: $0) } ?? tail.startIndex
                let end = tail[range.upperBound...].firstIndex(of: "\n") ?? tail.endIndex
                return String(tail[start..<end])
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw AdminTestFailure("no line with '\(text)' within \(timeout); output so far:\n\(output)")
    }

    /// SIGTERM, then waits (on a Dispatch thread) for the exit status.
    func stop() async -> Int32 {
        process.terminate()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }
}

/// A loopback port bound but never listened on, held until released: connecting to it is
/// refused, and no other test's server can take it meanwhile (a port that was merely free a
/// moment ago can be picked by a node started in parallel).
final class ReservedPort {
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw AdminTestFailure("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw AdminTestFailure("bind() failed")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// A throw-away directory removed when the value is released.

