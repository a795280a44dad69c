import ArgumentParser

/// `cert-issuer`: generates and checks the lab's certificates. Argument parsing and wiring only;
/// the work is done by the PKI library. Failures exit non-zero with a one-line reason.
@main
struct CertIssuer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert-issuer",
        abstract: "Issue, sign, revoke, inspect, verify and export the certlab certificates.",
        subcommands: [InitCommand.self, IssueCommand.self, SignCommand.self, RevokeCommand.self, InspectCommand.self, VerifyCommand.self,
                      ExportCommand.self]
    )
}

/// A failed check or operation: ArgumentParser prints `Error: <description>` and exits with 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
