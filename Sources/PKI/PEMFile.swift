import Foundation
import SwiftASN1
import X509

/// Reading and writing certificates and chains as PEM or DER.
///
/// Library PEM strings end without a newline (platform notes, certificates): everything written
/// here ends with `\n`, so files can be concatenated into chains and bundles safely.
public enum PEMFile {
    /// One certificate as PEM text ending in a newline.
    public static func pem(_ certificate: Certificate) throws -> String {
        terminated(try certificate.serializeAsPEM().pemString)
    }

    /// The text with exactly one trailing newline (library PEM strings have none, some have one).
    static func terminated(_ pem: String) -> String {
        var text = pem
        while text.hasSuffix("\n") { text.removeLast() }
        return text + "\n"
    }

    /// A chain (leaf first) as concatenated PEM blocks.
    public static func pem(chain: [Certificate]) throws -> String {
        try chain.map(pem).joined()
    }

    /// One certificate as DER bytes.
    public static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// All certificates in PEM text or DER bytes (detected from the content).
    /// - Parameter source: the file name used in error messages.
    public static func certificates(from data: [UInt8], source: String) throws -> [Certificate] {
        if let text = String(bytes: data, encoding: .utf8), text.contains("-----BEGIN ") {
            return try certificates(fromPEM: text, source: source)
        }
        do {
            return [try Certificate(derEncoded: data)]
        } catch {
            throw PKIError(.pemFormat, "\(source): neither PEM (no \"-----BEGIN CERTIFICATE-----\" line) nor a DER certificate")
        }
    }

    /// All `CERTIFICATE` blocks of a PEM text, in file order.
    public static func certificates(fromPEM text: String, source: String) throws -> [Certificate] {
        let documents = try documents(text, source: source)
        let certs = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !certs.isEmpty else {
            let labels = documents.map(\.discriminator).joined(separator: ", ")
            throw PKIError(.pemFormat, "\(source): no CERTIFICATE block (found \(labels))")
        }
        return try certs.enumerated().map { index, document in
            do {
                return try Certificate(pemDocument: document)
            } catch {
                throw PKIError(.pemFormat, "\(source): certificate #\(index + 1) is not a valid X.509 certificate (\(error))")
            }
        }
    }

    /// Reads a certificate file (PEM or DER).
    public static func readCertificates(at path: String) throws -> [Certificate] {
        try certificates(from: readBytes(at: path), source: path)
    }

    /// The PEM blocks of a text, or an error naming the file when there are none or one is broken.
    static func documents(_ text: String, source: String) throws -> [PEMDocument] {
        guard text.contains("-----BEGIN ") else {
            throw PKIError(.pemFormat, "\(source): not PEM: no \"-----BEGIN ...-----\" line")
        }
        do {
            return try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw PKIError(.pemFormat, "\(source): malformed PEM (bad base64 or mismatched BEGIN/END lines)")
        }
    }

    /// The bytes of a file, or an error naming it.
    public static func readBytes(at path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PKIError(.io, "\(path): cannot read file (missing or not readable)")
        }
        return Array(data)
    }
}
