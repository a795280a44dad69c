import COpenSSL

/// A PKCS#12 (`.p12`/`.pfx`) file holding one certificate, its private key and the CA chain: the
/// form browsers (certificate import dialogs) and Java keystores (`keytool -importkeystore`,
/// `-storetype PKCS12`) take a client identity in.
///
/// Built with the system OpenSSL's `PKCS12_create` rather than hand-rolled ASN.1: the bag
/// encryption (PBES2/AES-256-CBC with PBKDF2-HMAC-SHA256 in OpenSSL 3) and the MAC are then the
/// ones `openssl pkcs12`, NSS and the JDK already read, which is what the bundle is for.
public enum PKCS12Bundle {
    /// PEM text with the file it came from, so errors can name the file.
    public struct PEMInput: Sendable {
        public var bytes: [UInt8]
        public var source: String

        public init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
        }
    }

    /// The DER bytes of the PKCS#12 file.
    ///
    /// - Parameters:
    ///   - certificate: the leaf first; further certificates in the same file (an intermediate the
    ///     issuer appended) join the CA chain.
    ///   - privateKey: the leaf's unencrypted key (PKCS#8, or the PKCS#1/SEC1 forms OpenSSL reads).
    ///   - chain: CA certificate files (root last); a certificate already present is added once.
    ///   - friendlyName: the `friendlyName` bag attribute, shown by browsers and used by `keytool`
    ///     as the key entry's alias.
    ///   - password: protects both the key bag and the MAC; empty is allowed.
    public static func make(certificate: PEMInput, privateKey: PEMInput, chain: [PEMInput],
                            friendlyName: String, password: String) throws(PKCS12Error) -> [UInt8] {
        ERR_clear_error()
        let key = try readPrivateKey(privateKey)
        defer { EVP_PKEY_free(key) }
        // Every certificate read is freed here unless the CA stack took it over.
        var unowned = try certificates(in: certificate)
        defer { unowned.forEach { X509_free($0) } }
        let leaf = unowned[0]
        for input in chain { unowned += try certificates(in: input) }
        guard X509_check_private_key(leaf, key) == 1 else {
            ERR_clear_error()
            throw PKCS12Error("\(privateKey.source): private key does not belong to the certificate in \(certificate.source)")
        }
        guard let stack = certlab_x509_stack_new() else { throw PKCS12Error("out of memory building the CA list") }
        defer { certlab_x509_stack_free(stack) }
        var added = [try der(leaf, source: certificate.source)]
        var index = 1
        while index < unowned.count {
            let encoded = try der(unowned[index], source: "CA certificate")
            if !added.contains(encoded), certlab_x509_stack_push(stack, unowned[index]) > 0 {
                added.append(encoded)
                unowned.remove(at: index)  // the stack owns it now
            } else {
                index += 1
            }
        }
        // Zero iteration counts and NIDs select OpenSSL's documented defaults (PKCS12_create(3)).
        guard let bundle = PKCS12_create(password, friendlyName, key, leaf, stack, 0, 0, 0, 0, 0) else {
            throw PKCS12Error("PKCS12_create failed: \(openSSLErrors())")
        }
        defer { PKCS12_free(bundle) }
        let length = i2d_PKCS12(bundle, nil)
        guard length > 0 else { throw PKCS12Error("encoding the PKCS#12 file failed: \(openSSLErrors())") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PKCS12(bundle, &cursor)
        }
        guard written == length else { throw PKCS12Error("encoding the PKCS#12 file failed: \(openSSLErrors())") }
        return bytes
    }

    /// Every certificate of a PEM text, in order; at least one.
    private static func certificates(in input: PEMInput) throws(PKCS12Error) -> [OpaquePointer] {
        guard !input.bytes.isEmpty else { throw PKCS12Error("\(input.source): file is empty") }
        var found: [OpaquePointer] = []
        withMemoryBIO(input.bytes) { bio in
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { found.append(certificate) }
        }
        // The loop ends on "no start line" at the end of the text: expected, not an error.
        ERR_clear_error()
        guard !found.isEmpty else {
            throw PKCS12Error("\(input.source): no PEM certificate (expected a \"-----BEGIN CERTIFICATE-----\" block)")
        }
        return found
    }

    private static func readPrivateKey(_ input: PEMInput) throws(PKCS12Error) -> OpaquePointer {
        guard !input.bytes.isEmpty else { throw PKCS12Error("\(input.source): file is empty") }
        // A non-nil empty passphrase makes OpenSSL fail on an encrypted key instead of prompting
        // on the terminal for one.
        let key = withMemoryBIO(input.bytes) { bio in
            "".withCString { PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0)) }
        }
        guard let key = key.flatMap({ $0 }) else {
            throw PKCS12Error("\(input.source): not an unencrypted PEM private key (\(openSSLErrors()))")
        }
        return key
    }

    private static func der(_ certificate: OpaquePointer, source: String) throws(PKCS12Error) -> [UInt8] {
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { throw PKCS12Error("\(source): certificate cannot be DER-encoded: \(openSSLErrors())") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        _ = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(certificate, &cursor)
        }
        return bytes
    }

    /// `body` over a read-only memory BIO of the bytes; nil without calling it for an empty
    /// file (OpenSSL refuses a zero-length buffer) or when OpenSSL is out of memory.
    private static func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) -> T) -> T? {
        bytes.withUnsafeBytes { raw in
            guard raw.count > 0, let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// The queued OpenSSL errors as one line (the queue is emptied).
    private static func openSSLErrors() -> String {
        var messages: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            code = ERR_get_error()
        }
        return messages.isEmpty ? "no OpenSSL error recorded" : messages.joined(separator: "; ")
    }
}

/// Why a PKCS#12 file could not be built; `description` names the file and the problem.
public struct PKCS12Error: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
