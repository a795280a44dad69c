import Foundation
import JSONValue

/// securityadmin `-dg`: a trace file with what the node says about itself and about us, for
/// bug reports ("Diagnostic trace written to: ...", reference §8).
enum NodeDiagnosis {
    static func write(connection: NodeConnection, info: NodeConnection.NodeInfo,
                      output: SecurityAdminTool.Output) async throws(AdminError) {
        var trace = ["certlab security-admin diagnostic trace", "date: \(Date())", "node: \(connection.baseURL)",
                     "flavor: \(info.flavor.rawValue)", "principal: \(info.principal ?? "none")", ""]
        let prefix = info.flavor.restPrefix
        for path in ["/", prefix + "/authinfo", prefix + "/health", NodeConnection.configPath(info.flavor)] {
            let response = try await connection.request("GET", path)
            var body = response.bodyText
            if path == NodeConnection.configPath(info.flavor), let json = try? JSON(parsing: response.body) {
                let types = json["documents"]?.objectValue?.keys.joined(separator: ", ") ?? ""
                body = "version \(json["version"]?.intValue ?? 0), types: \(types)"
            }
            trace += ["GET \(path) -> \(response.status)", body, ""]
        }
        let name = "securityadmin_diag_trace_\(ConfigRetrieval.timestamp()).txt"
        let path = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(name).path
        do {
            try trace.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .usage("cannot write \(path): \(error.localizedDescription)")
        }
        output("Diagnostic trace written to: \(path)")
    }
}
