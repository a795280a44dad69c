import Foundation

/// Runs the built `cert-issuer` binary and `openssl` in a temporary folder.
struct Lab {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let directory: URL

    /// The `cert-issuer` binary next to the test bundle (on Linux the `.xctest` is an executable
    /// in `.build/debug/`, next to the products).
    static let binary: URL = {
        let candidates = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap { $0 }
        for candidate in candidates {
            var folder = candidate.deletingLastPathComponent()
            for _ in 0..<4 {
                let binary = folder.appendingPathComponent("cert-issuer")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                folder = folder.deletingLastPathComponent()
            }
        }
        return URL(fileURLWithPath: ".build/debug/cert-issuer")
    }()

    /// The repository's default plan, `config/certs.yml`.
    static let defaultPlan: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config/certs.yml")

    static func withLab<T>(_ body: (Lab) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("certissuer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(Lab(directory: url))
    }

    @discardableResult
    func certIssuer(_ arguments: String...) throws -> Result { try run(Self.binary, arguments) }

    @discardableResult
    func openssl(_ arguments: String...) throws -> Result { try run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments) }

    func run(_ executable: URL, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }

    /// Every file in a folder of the lab with its content, for byte-for-byte comparisons.
    func snapshot(_ folder: String) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path(folder))
        return Dictionary(uniqueKeysWithValues: try names.map { ($0, try Data(contentsOf: URL(fileURLWithPath: path("\(folder)/\($0)")))) })
    }

    func copyDefaultPlan(to name: String = "certs.yml") throws {
        try FileManager.default.copyItem(atPath: Self.defaultPlan.path, toPath: path(name))
    }
}
