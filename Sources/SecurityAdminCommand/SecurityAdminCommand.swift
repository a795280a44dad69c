import ArgumentParser
import Foundation
import SecurityAdmin

/// `security-admin`: securityadmin.sh's single-dash command line as people type it
/// (`-cd DIR -cacert ... -cert ... -key ...`, reference §8), plus modern subcommands and the
/// lab's config-sync service (`serve`). The single-dash style is routed to its own parser
/// because ArgumentParser cannot express single-dash long names (`-cd`, `-nhnv`).
@main
enum SecurityAdminEntry {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, first.hasPrefix("-"), !["--help", "--version", "-help"].contains(first) else {
            await SecurityAdminCommand.main()
            return
        }
        let status: Int32
        do {
            status = await SecurityAdminTool(output: Console.line).run(try LegacyArguments(parsing: arguments))
        } catch {
            Console.line(error.description)
            status = 1
        }
        exit(status)
    }
}

struct SecurityAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security-admin",
        abstract: "Upload, retrieve and keep in sync the security configuration of a certlab search node.",
        discussion: """
            securityadmin.sh flags are accepted as-is, e.g.
              security-admin -cd config/security -cacert certs/root-ca.pem -cert certs/admin.pem -key certs/admin-key.pem -nhnv
            Supported: \(LegacyArguments.supportedFlags)
            """,
        subcommands: [Apply.self, Retrieve.self, Diff.self, Validate.self, Hash.self, MapRole.self, WhoAmI.self, Serve.self])
}

/// Writes whole lines straight to stdout (unbuffered, so pipes and logs see them at once).
enum Console {
    static let line: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A log line with a UTC timestamp, for the long-running service.
    static let log: @Sendable (String) -> Void = { text in
        line("[\(ISO8601DateFormatter().string(from: Date()))] \(text)")
    }
}
