import ArgumentParser
import Foundation
import SecurityAdmin

/// The node and the certificate, for the modern subcommands (securityadmin's `-h/-p/-cacert/
/// -cert/-key/-nhnv` in long form). Defaults point into the repository's `certs/`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Node URL (env CERTLAB_NODE_URL).")
    var url: String = ProcessInfo.processInfo.environment["CERTLAB_NODE_URL"] ?? "https://localhost:9200"
    @Option(help: "CA that signed the node's certificate (PEM).")
    var cacert: String = "certs/root-ca.pem"
    @Option(help: "Admin client certificate (PEM).")
    var cert: String = "certs/admin.pem"
    @Option(help: "Its private key (PKCS#8 PEM).")
    var key: String = "certs/admin-key.pem"
    @Flag(name: .customLong("no-hostname-verification"), help: "Check the chain but not the host name (securityadmin -nhnv).")
    var noHostnameVerification = false

    var target: AdminTarget {
        AdminTarget(url: url, cacert: cacert, cert: cert, key: key, verifyHostname: !noHostnameVerification)
    }
}

/// `-cd DIR` or `-f FILE -t TYPE` in long form.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"), help: "Directory with the security YAML files.")
    var configDirectory: String?
    @Option(help: "A single YAML file (with --type).")
    var file: String?
    @Option(help: "The type of --file: config, roles, rolesmapping, internalusers, actiongroups, tenants, nodesdn, whitelist, allowlist, audit.")
    var type: String?

    func load() throws(AdminError) -> (ConfigSource, String) {
        if let file {
            guard let type else { throw .usage("--file requires --type") }
            return (try ConfigSource(file: file, type: type), URL(fileURLWithPath: file).deletingLastPathComponent().path)
        }
        let directory = configDirectory ?? "config/security"
        return (try ConfigSource(directory: directory), directory)
    }
}

extension AdminError {
    /// Prints the error and ends the command with status 1.
    func exit() -> ExitCode {
        Console.line(description)
        return ExitCode(1)
    }
}

/// Ends a command with `status` when it is not 0.
func finish(_ status: Int32) throws {
    if status != 0 { throw ExitCode(status) }
}
