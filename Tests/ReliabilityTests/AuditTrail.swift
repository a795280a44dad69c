import Foundation
import JSONValue
import LabTestSupport
@testable import NodeServer

/// The audit events a `LabNode` wrote, read back from its `log4j` sink (one JSON object per
/// line in `data/audit.log`, reference §9).
struct AuditTrail {
    let lab: LabNode

    /// Adjusts a node configuration so that its audit events go to the file this type reads.
    static func fileSink(_ configuration: inout NodeConfiguration) {
        configuration.settings.auditType = "log4j"
    }

    var path: String { lab.files.dataPath + "/audit.log" }

    /// Every event written so far, after draining the node's queue.
    func all() async -> [JSON] {
        await lab.node.auditLog.flush()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
    }

    /// The events after the first `mark`, once `expected` of them exist (or two seconds passed).
    ///
    /// Some events are recorded after the client has its answer (a refused handshake is
    /// reported when NIOSSL fires the error, which may be after the alert left), hence the wait;
    /// a further 150 ms then shows that no unexpected event follows.
    func events(after mark: Int, expected: Int) async -> [JSON] {
        var found: [JSON] = []
        _ = await eventually(within: .seconds(2)) {
            found = Array(await all().dropFirst(mark))
            return found.count >= expected
        }
        try? await Task.sleep(for: .milliseconds(150))
        return Array(await all().dropFirst(mark))
    }

    /// `audit_category` of each event.
    static func categories(_ events: [JSON]) -> [String] {
        events.map { $0["audit_category"]?.stringValue ?? "?" }
    }
}
