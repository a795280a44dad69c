import Foundation
import PKI

/// Runs the `openssl` command line tool, the reference the PKI output is checked against.
enum OpenSSL {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        if let directory { process.currentDirectoryURL = directory }
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

    /// A self-signed EC certificate with the given `-subj` (written in DER order, as openssl takes it).
    static func selfSigned(subject: String, multiValued: Bool = false, in directory: URL) throws -> URL {
        let cert = directory.appendingPathComponent("cert-\(UUID().uuidString).pem")
        var arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-utf8",
                         "-keyout", directory.appendingPathComponent("key-\(UUID().uuidString).pem").path,
                         "-out", cert.path, "-days", "2", "-subj", subject]
        if multiValued { arguments.append("-multivalue-rdn") }
        // Declares `labAttribute` = 1.2.3.4 so subjects can carry an attribute the JDK does not know.
        let config = directory.appendingPathComponent("openssl-\(UUID().uuidString).cnf")
        try "oid_section = lab_oids\n[lab_oids]\nlabAttribute = 1.2.3.4\n[req]\ndistinguished_name = dn\n[dn]\n"
            .write(to: config, atomically: true, encoding: .utf8)
        arguments += ["-config", config.path]
        let result = try run(arguments)
        guard result.status == 0 else { throw TestFailure("openssl req failed for \(subject): \(result.stderr)") }
        return cert
    }

    /// `openssl x509 -noout -subject -nameopt ...` without the `subject=` prefix.
    static func subject(of cert: URL, nameopt: String = "RFC2253") throws -> String {
        let result = try run(["x509", "-in", cert.path, "-noout", "-subject", "-nameopt", nameopt])
        guard result.status == 0 else { throw TestFailure("openssl x509 failed: \(result.stderr)") }
        return String(result.stdout.trimmingCharacters(in: .newlines).dropFirst("subject=".count))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary folder per test, removed when the test ends.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("pkitests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("pkitests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// The PKIError a call throws, nil when it throws nothing (or something else).
func pkiError(_ body: () throws -> Void) -> PKIError? {
    do { try body() } catch let error as PKIError { return error } catch { return nil }
    return nil
}
