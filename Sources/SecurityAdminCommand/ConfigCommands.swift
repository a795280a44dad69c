import ArgumentParser
import Foundation
import SecurityAdmin

/// `apply`: securityadmin `-cd` / `-f -t` with long options; same output lines.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate and upload the configuration (all types in one atomic request).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var source: SourceOptions

    func run() async throws {
        let tool = SecurityAdminTool(output: Console.line)
        let status = await tool.session(connection.target) { (node, info) throws(AdminError) in
            let (files, directory) = try source.load()
            try await tool.upload(files, from: directory, node, info)
        }
        try finish(status)
    }
}

/// `retrieve`: securityadmin `-r` (timestamped folder) or `-backup DIR` (`--out`).
struct Retrieve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Download the node's configuration as YAML files.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Folder to write into; default: a new securityconfig_<date> folder in the current directory.")
    var out: String?

    func run() async throws {
        let tool = SecurityAdminTool(output: Console.line)
        let folder = out ?? ConfigRetrieval.timestampedFolder(in: FileManager.default.currentDirectoryPath)
        try finish(await tool.session(connection.target) { (node, info) throws(AdminError) in
            try await tool.retrieve(node, info, into: folder)
        })
    }
}

/// `diff`: what `apply` would change, one line per entry.
struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what applying the configuration would change, per type and entry.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var source: SourceOptions

    func run() async throws {
        do throws(AdminError) {
            let diff = try await SecurityAdminTool(output: Console.line).diff(try source.load().0, target: connection.target)
            Console.line(diff.isEmpty ? "no changes" : diff.listing.joined(separator: "\n"))
        } catch {
            throw error.exit()
        }
    }
}

/// `validate`: securityadmin `-vc`, offline.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate the configuration files without contacting a node.")
    @OptionGroup var source: SourceOptions
    @Option(help: "Product whose static definitions apply: openDistro or openSearch.")
    var flavor: String = "openDistro"

    func run() async throws {
        do {
            guard let product = SecurityAdminTool.flavor(named: flavor) else { throw AdminError.usage("unknown flavor '\(flavor)'; expected openDistro or openSearch") }
            let (files, _) = try source.load()
            try files.validate(flavor: product)
            for file in files.files { Console.line("OK: \(file.path) is valid for '\(file.type.rawValue)'") }
        } catch let error as AdminError {
            throw error.exit()
        }
    }
}
