import Foundation

/// Runs a command line tool and returns its exit status and combined output.
///
/// The wait happens on a Dispatch thread, never on the cooperative pool: that pool has one
/// thread per core (two here), and the in-process node under test needs them to answer the very
/// request the tool is waiting for.
@discardableResult
public func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runBlocking(executable, arguments, in: directory) })
        }
    }
}

/// `run` for synchronous set-up code that serves no requests meanwhile.
@discardableResult
public func runBlocking(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    // Through env, so `python3` is the one on PATH (where CI's pip installed requests).
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A throw-away directory removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("certlab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    public func write(_ name: String, _ text: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    public func read(_ name: String) throws -> String { try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Certificates made with plain `openssl`, following the Open Distro tutorial's recipe: a root
/// CA, a node certificate with SANs, and client certificates signed by the root — plus one
/// client from an unrelated CA. The node must accept these as well as cert-issuer's.
public struct OpenSSLLabCertificates: Sendable {
    public let directory: TemporaryDirectory

    public init() throws {
        directory = try TemporaryDirectory()
        let dir = directory.url
        func openssl(_ arguments: String) throws {
            let result = try runBlocking("openssl", arguments.split(separator: " ").map(String.init), in: dir)
            guard result.status == 0 else { throw NSError(domain: "openssl", code: Int(result.status), userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments): \(result.output)"]) }
        }
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n".write(to: dir.appendingPathComponent("node.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(to: dir.appendingPathComponent("client.ext"), atomically: true, encoding: .utf8)
        for ca in ["root-ca", "other-ca"] {
            try openssl("ecparam -name prime256v1 -genkey -noout -out \(ca)-sec1.pem")
            try openssl("pkcs8 -topk8 -nocrypt -in \(ca)-sec1.pem -out \(ca)-key.pem")
            try openssl("req -new -x509 -sha256 -key \(ca)-key.pem -subj /CN=\(ca)/O=tutorial -days 30 -out \(ca).pem")
        }
        let leaves: [(String, String, String, String)] = [
            ("node", "/CN=localhost/O=tutorial", "root-ca", "node.ext"),
            ("client1", "/C=de/L=test/O=client/OU=client/CN=CLIENT1", "root-ca", "client.ext"),
            ("stranger", "/CN=stranger", "other-ca", "client.ext"),
        ]
        for (name, subject, ca, ext) in leaves {
            try openssl("ecparam -name prime256v1 -genkey -noout -out \(name)-sec1.pem")
            try openssl("pkcs8 -topk8 -nocrypt -in \(name)-sec1.pem -out \(name)-key.pem")
            try openssl("req -new -key \(name)-key.pem -subj \(subject) -out \(name).csr")
            try openssl("x509 -req -in \(name).csr -CA \(ca).pem -CAkey \(ca)-key.pem -CAcreateserial -sha256 -days 30 -extfile \(ext) -out \(name).pem")
        }
    }

    public func path(_ name: String) -> String { directory.path(name) }
}

/// The directory the build put the products in: the test bundle is linked next to the
/// executables (`search-node`, `security-admin`, `beats-shipper`, `cert-issuer`).
public let productsDirectory: URL = {
    let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var directory = URL(fileURLWithPath: running).deletingLastPathComponent()
    // On macOS the test binary sits inside `X.xctest/Contents/MacOS`.
    while directory.pathExtension == "xctest" || ["MacOS", "Contents"].contains(directory.lastPathComponent) {
        directory.deleteLastPathComponent()
    }
    return directory
}()
