import Foundation

/// The built `search-node` executable running as a child process on `LabFiles`, for what an
/// in-process node cannot show: `kill -9`, SIGTERM, restarts on the same data path.
public final class NodeProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int

    /// The products directory: the test bundle is built next to the executables.
    public static var binary: String { productsDirectory.appendingPathComponent("search-node").path }

    /// Starts the node on a free port and waits for its "listening on port N" line.
    public init(_ files: LabFiles) async throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--config", files.nodeConfig, "--security-config", files.securityConfig,
                             "--data", files.dataPath, "--port", "0", "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let handle = output.fileHandleForReading
        port = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                while let chunk = try? handle.read(upToCount: 1), !chunk.isEmpty {
                    text += String(decoding: chunk, as: UTF8.self)
                    if text.hasSuffix("\n"), let range = text.range(of: "listening on port ") {
                        let number = text[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                        return continuation.resume(returning: Int(number) ?? 0)
                    }
                }
                continuation.resume(throwing: CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "search-node exited before listening: \(text)"]))
            }
        }
    }

    public var url: String { "https://localhost:\(port)" }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end; its exit status.
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }
}
