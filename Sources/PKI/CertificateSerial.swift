import X509

/// Serial numbers: random 128-bit positive integers, printed the way `openssl x509 -serial` does.
public enum CertificateSerial {
    /// 16 random bytes with the top bit cleared (DER INTEGERs are signed) and a non-zero first
    /// byte, so the serial always encodes in exactly 16 bytes and prints as 32 hex digits.
    public static func random() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = UInt8.random(in: 0x01...0x7F, using: &generator)
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// Upper-case hex, zero-padded to whole bytes, no separators (`openssl x509 -serial` form).
    /// swift-certificates' own description drops leading zeros (platform notes, certificates).
    public static func hex(_ serial: Certificate.SerialNumber) -> String {
        var bytes = Array(serial.bytes)
        while bytes.count > 1, bytes[0] == 0 { bytes.removeFirst() }
        return bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// Parses a hex serial as users paste it (`0A:1B`, `0a1b`, `serial=0A1B`).
    public static func parse(_ text: String) throws -> Certificate.SerialNumber {
        var digits = text.hasPrefix("serial=") ? String(text.dropFirst(7)) : text
        digits = digits.filter { $0 != ":" && $0 != " " }
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = String(digits.dropFirst(2)) }
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else {
            throw PKIError(.verification, "serial \"\(text)\" is not hex (expected e.g. 3F2A09...)")
        }
        if digits.count % 2 == 1 { digits = "0" + digits }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        while bytes.count > 1, bytes[0] == 0, bytes[1] < 0x80 { bytes.removeFirst() }
        if bytes[0] >= 0x80 { bytes.insert(0, at: 0) }
        return Certificate.SerialNumber(bytes: bytes)
    }
}
