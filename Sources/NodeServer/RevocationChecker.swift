import Foundation
import Logging
import NIOConcurrencyHelpers
import PKI
import X509

/// `ssl.http.crl.validate` with `crl.file_path` (reference §1.5): is a client certificate revoked?
///
/// Like the plugin, the check runs per request after the handshake (a revoked certificate gets a
/// 403, not a TLS alert). Only the leaf is checked (`check_only_end_entities` defaults to true).
/// The file is re-read when its modification time or size changes, at most once a second, so
/// `cert-issuer revoke` takes effect without a restart; a file that becomes unreadable or has a
/// bad signature keeps the last good list in force and is logged, rather than letting every
/// certificate through.
public final class RevocationChecker: Sendable {
    private struct State {
        var serials: Set<ArraySlice<UInt8>> = []
        var stamp: FileStamp?
        var checkedAt: Date = .distantPast
    }

    private struct FileStamp: Equatable {
        var modified: Date
        var size: Int
    }

    private let path: String
    private let trustedCAs: [Certificate]
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    /// Loads the CRL now; fails when the file is missing or not a CRL signed by a trusted CA.
    public init(path: String, trustedCAs: [Certificate], logger: Logger) throws {
        self.path = path
        self.trustedCAs = trustedCAs
        self.logger = logger
        let (serials, stamp) = try Self.load(path, trustedCAs: trustedCAs)
        state.withLockedValue { $0 = State(serials: serials, stamp: stamp, checkedAt: Date()) }
    }

    /// True when `certificate`'s serial is on the current list.
    public func isRevoked(_ certificate: Certificate) -> Bool {
        isRevoked(serial: certificate.serialNumber)
    }

    /// True when `serial` is on the current list.
    ///
    /// Called for every request of a certificate client, so the common case — the file checked
    /// less than a second ago — takes the lock once and allocates nothing.
    public func isRevoked(serial: Certificate.SerialNumber) -> Bool {
        let now = Date()
        let answer = state.withLockedValue { state -> Bool? in
            guard now.timeIntervalSince(state.checkedAt) < 1 else { return nil }
            return state.serials.contains(serial.bytes)
        }
        if let answer { return answer }
        refreshIfChanged(now: now)
        return state.withLockedValue { $0.serials.contains(serial.bytes) }
    }

    private func refreshIfChanged(now: Date) {
        let due = state.withLockedValue { state -> FileStamp?? in
            guard now.timeIntervalSince(state.checkedAt) >= 1 else { return .none }
            state.checkedAt = now
            return .some(state.stamp)
        }
        guard case .some(let previous) = due else { return }
        let current = Self.stamp(path)
        guard current != previous else { return }
        do {
            let (serials, stamp) = try Self.load(path, trustedCAs: trustedCAs)
            state.withLockedValue {
                $0.serials = serials
                $0.stamp = stamp
            }
            logger.info("reloaded CRL", metadata: ["path": "\(path)", "revoked": "\(serials.count)"])
        } catch {
            state.withLockedValue { $0.stamp = current }
            logger.error("CRL not reloaded; the previous list stays in force", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private static func load(_ path: String, trustedCAs: [Certificate]) throws -> (Set<ArraySlice<UInt8>>, FileStamp?) {
        let stamp = Self.stamp(path)
        let crl = try CertificateRevocationList(fileContent: PEMFile.readBytes(at: path), source: path)
        guard trustedCAs.contains(where: { crl.isSigned(by: $0) }) else {
            throw PKIError(.crl, "\(path): the CRL is not signed by any of the trusted CAs (issuer \(PKI.DistinguishedName(crl.issuer)))")
        }
        return (Set(crl.entries.map { ArraySlice($0.serial.bytes) }), stamp)
    }

    private static func stamp(_ path: String) -> FileStamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attributes[.modificationDate] as? Date,
              let size = attributes[.size] as? Int
        else { return nil }
        return FileStamp(modified: modified, size: size)
    }
}
