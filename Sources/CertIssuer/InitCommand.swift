import ArgumentParser
import PKI

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Issue everything in the certificate plan that is missing, changed or expiring.",
        discussion: "Writes root-ca.pem, root-ca-key.pem, NAME.pem, NAME-key.pem (mode 0600), crl.pem and manifest.json. A second run with an unchanged plan changes nothing.")

    @Option(help: "The YAML certificate plan.") var plan = "config/certs.yml"
    @Option(help: "The output folder.") var out = "certs"
    @Option(help: "Re-issue certificates that expire within this many days.") var renewWithin = 30
    @Flag(help: "Re-issue everything, including the CA.") var force = false

    func run() throws {
        let plan = try CertificatePlan.load(path: plan)
        let directory = try CertificateDirectory(path: out, create: true)
        let report = try CertificateIssuance.initialize(
            plan: plan, directory: directory, options: .init(renewWithinDays: renewWithin, force: force))
        print("issued: \(report.issued.isEmpty ? "(none)" : report.issued.joined(separator: ", "))")
        print("unchanged: \(report.kept.isEmpty ? "(none)" : report.kept.joined(separator: ", "))")
        print("crl.pem: \(report.crlWritten ? "written" : "unchanged")")
    }
}
