import Foundation

extension LabFiles {
    /// The built `beats-shipper` next to the test bundle.
    public static var shipperBinary: String { productsDirectory.appendingPathComponent("beats-shipper").path }

    /// Starts `beats-shipper` with the lab's `config/shipper.yml` against `nodeURL`: logs from
    /// `logs/`, certificates from `certs/`, registry in `shipper-data/` of this folder (the
    /// variables the YAML file reads), output discarded.
    public func startShipper(nodeURL: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.shipperBinary)
        process.arguments = ["-c", directory.path("config/shipper.yml"), "-e"]
        var environment = ProcessInfo.processInfo.environment
        environment["CERTLAB_LOG_DIR"] = directory.path("logs")
        environment["CERTLAB_NODE_URL"] = nodeURL
        environment["CERTLAB_CERTS"] = directory.path("certs")
        environment["CERTLAB_SHIPPER_DATA"] = directory.path("shipper-data")
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return process
    }
}
