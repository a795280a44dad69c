import Foundation
import JSONValue
import SecurityEngine

/// securityadmin's workflow with its step-by-step output (reference §8): connect, show who we
/// are, then upload (`-cd`, `-f -t`), retrieve (`-r`, `-backup`), reload (`-rl`), diagnose
/// (`-dg`) or only validate (`-vc`). Returns the exit status: 0 on success, 1 with an `ERR:`
/// line otherwise.
public struct SecurityAdminTool: Sendable {
    public typealias Output = @Sendable (String) -> Void
    let output: Output

    public init(output: @escaping Output) {
        self.output = output
    }

    /// Runs securityadmin-style `arguments` (already parsed).
    public func run(_ arguments: LegacyArguments) async -> Int32 {
        if let version = arguments.validateVersion {
            return report { () throws(AdminError) in try validateOnly(arguments, version: version) }
        }
        if arguments.keyPassword != nil {
            output("WARNING: -keypass is ignored: certlab reads unencrypted PKCS#8 keys (-key)")
        }
        return await session(AdminTarget(arguments)) { (connection, info) throws(AdminError) in
            if let expected = arguments.clusterName, !info.clusterName.isEmpty, expected != info.clusterName, !arguments.ignoreClusterName {
                throw .usage("the cluster is named '\(info.clusterName)', not '\(expected)'; use -cn \(info.clusterName) or -icl to ignore the cluster name")
            }
            if !info.clusterName.isEmpty { output("Clustername: \(info.clusterName)") }
            if arguments.diagnose { try await NodeDiagnosis.write(connection: connection, info: info, output: output) }
            if let backup = arguments.backup {
                try await retrieve(connection, info, into: backup)
            }
            if arguments.retrieve {
                try await retrieve(connection, info, into: ConfigRetrieval.timestampedFolder(in: arguments.configDirectory ?? FileManager.default.currentDirectoryPath))
            } else if let directory = arguments.configDirectory {
                try await upload(try ConfigSource(directory: directory), from: directory, connection, info)
            } else if let file = arguments.file, let type = arguments.type {
                try await upload(try ConfigSource(file: file, type: type), from: URL(fileURLWithPath: file).deletingLastPathComponent().path, connection, info)
            }
            if arguments.reload { try await reload(connection, info) }
        }
    }

    /// Connects, prints the banner lines, runs `body`, prints the final line; shared by both
    /// command-line styles.
    public func session(_ target: AdminTarget,
                        _ body: (NodeConnection, NodeConnection.NodeInfo) async throws(AdminError) -> Void) async -> Int32 {
        let connection: NodeConnection
        do { connection = try target.connection() } catch {
            output(Flavor.openDistro.adminTitle)
            output(error.description)
            return 1
        }
        let status = await converse(connection, body)
        await connection.shutdown()
        return status
    }

    private func converse(_ connection: NodeConnection,
                          _ body: (NodeConnection, NodeConnection.NodeInfo) async throws(AdminError) -> Void) async -> Int32 {
        let info: NodeConnection.NodeInfo
        do {
            info = try await connection.connect()
        } catch {
            output(Flavor.openDistro.adminTitle)
            output("Will connect to \(connection.endpoint)")
            output(error.description)
            return 1
        }
        output(info.flavor.adminTitle)
        output("Will connect to \(connection.endpoint) ... done")
        output("\(info.flavor == .openSearch ? "OpenSearch" : "Elasticsearch") Version: \(info.versionNumber)")
        guard let principal = info.principal else {
            output(AdminError.notAdmin(message: "no client certificate was accepted by the node", principal: nil,
                                       settingsPrefix: info.flavor.settingsPrefix).description)
            return 1
        }
        output("Connected as \(principal)")
        do {
            try await body(connection, info)
        } catch {
            output(error.description)
            return 1
        }
        output("Done with success")
        return 0
    }

    /// Validates locally, then sends every type in one request (all or nothing).
    public func upload(_ source: ConfigSource, from directory: String, _ connection: NodeConnection,
                       _ info: NodeConnection.NodeInfo) async throws(AdminError) {
        output("Populate config from \(URL(fileURLWithPath: directory).standardizedFileURL.path)")
        try source.validate(flavor: info.flavor)
        for file in source.files {
            output("Will update '_doc/\(file.type.rawValue)' with \(file.path)")
        }
        do {
            _ = try await connection.upload(source, info: info)
        } catch {
            if case .node = error {
                for file in source.files { output("   FAIL: Configuration for '\(file.type.rawValue)' failed because of the error below") }
            }
            throw error
        }
        for file in source.files {
            output("   SUCC: Configuration for '\(file.type.rawValue)' created or updated")
        }
    }

    /// Downloads every type into `folder` as YAML.
    public func retrieve(_ connection: NodeConnection, _ info: NodeConnection.NodeInfo, into folder: String) async throws(AdminError) {
        let snapshot = try await connection.retrieve(info)
        for (type, path) in try ConfigRetrieval.write(snapshot, to: folder) {
            output("Will retrieve '_doc/\(type.rawValue)' into \(path) ... OK")
        }
    }

    /// securityadmin `-rl`: makes the node load its stored configuration again. certlab's store
    /// is the node's own, so this re-installs the stored documents unchanged.
    public func reload(_ connection: NodeConnection, _ info: NodeConnection.NodeInfo) async throws(AdminError) {
        output("Reload config on all nodes")
        let snapshot = try await connection.retrieve(info)
        var object = JSONObject()
        for type in snapshot.documents.keys.sorted() { object[type.rawValue] = snapshot.documents[type] }
        let version = try await connection.upload(object, info: info, expectedVersion: snapshot.version)
        output("   SUCC: Reloaded configuration, version \(version)")
    }

    func validateOnly(_ arguments: LegacyArguments, version: Int) throws(AdminError) {
        output(Flavor.openDistro.adminTitle)
        guard version == 7 else {
            throw .usage("config version \(version) is not supported; certlab reads version 7 files (_meta.config_version: 2), use -vc 7")
        }
        let source: ConfigSource
        if let directory = arguments.configDirectory {
            source = try ConfigSource(directory: directory)
        } else if let file = arguments.file, let type = arguments.type {
            source = try ConfigSource(file: file, type: type)
        } else {
            throw .usage("-vc needs -cd DIR or -f FILE -t TYPE")
        }
        output("Validate configuration for Version \(version)")
        try source.validate(flavor: .openDistro)
        for file in source.files { output("   OK: \(file.path) is valid for '\(file.type.rawValue)'") }
        output("ALL CONFIGURATION FILES ARE VALID")
    }

    /// Runs an offline step and turns its error into the exit status.
    func report(_ body: () throws(AdminError) -> Void) -> Int32 {
        do { try body() } catch {
            output(error.description)
            return 1
        }
        output("Done with success")
        return 0
    }
}

extension Flavor {
    /// securityadmin's first line (reference §8).
    public var adminTitle: String { self == .openSearch ? "Security Admin v7" : "Open Distro Security Admin v7" }
}
