import Foundation

/// Document ids for index requests without `_id`: 20 URL-safe base64 characters of
/// (milliseconds since epoch, per-millisecond sequence, random node bytes), the shape of ES's
/// `TimeBasedUUIDGenerator`. Time-ordered ids also keep the `docs_by_id` index appends cheap,
/// and no system randomness is needed per document (it showed up at 7 % of bulk CPU).
final class AutoIdGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var lastMillis: Int64 = 0
    private var sequence: UInt32
    private let node: [UInt8]

    init() {
        var generator = SystemRandomNumberGenerator()
        node = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
        sequence = UInt32.random(in: 0..<(1 << 24), using: &generator)
    }

    func next() -> String {
        let (millis, counter): (Int64, UInt32) = lock.withLock {
            let now = max(Int64(Date().timeIntervalSince1970 * 1000), lastMillis)
            sequence = (sequence + 1) & 0xFF_FFFF
            if sequence == 0 && now == lastMillis { lastMillis = now + 1 } else { lastMillis = now }
            return (lastMillis, sequence)
        }
        // 15 bytes → 20 base64 characters, written into a fixed buffer (no per-character
        // `Character` appends: this runs once per bulk item).
        return String(unsafeUninitializedCapacity: 20) { text in
            var bytes: (UInt64, UInt64) = (0, 0)
            return withUnsafeMutableBytes(of: &bytes) { raw in
                for shift in 0..<6 { raw[shift] = UInt8(truncatingIfNeeded: millis >> Int64(40 - 8 * shift)) }
                for shift in 0..<3 { raw[6 + shift] = UInt8(truncatingIfNeeded: counter >> UInt32(16 - 8 * shift)) }
                for position in 0..<6 { raw[9 + position] = node[position] }
                var written = 0
                for group in stride(from: 0, to: 15, by: 3) {
                    let value = UInt32(raw[group]) << 16 | UInt32(raw[group + 1]) << 8 | UInt32(raw[group + 2])
                    for shift in stride(from: UInt32(18), through: 0, by: -6) {
                        text[written] = Self.alphabet[Int((value >> shift) & 63)]
                        written += 1
                    }
                }
                return written
            }
        }
    }

    private static let alphabet: [UInt8] = SearchEngine.urlSafeAlphabet.map { $0.asciiValue! }
}
