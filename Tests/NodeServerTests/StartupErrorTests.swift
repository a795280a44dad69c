import Foundation
import LabTestSupport
import Logging
import Testing
@testable import NodeServer

/// Start-up failures name the setting and the fix (issue 5 "Start-up errors are clear").
@Suite struct StartupErrorTests {
    func startupError(_ files: LabFiles, edit: (String) -> String = { $0 }) throws -> String {
        let original = try String(contentsOfFile: files.nodeConfig, encoding: .utf8)
        try edit(original).write(toFile: files.nodeConfig, atomically: true, encoding: .utf8)
        do {
            let configuration = try NodeConfiguration(configFile: URL(fileURLWithPath: files.nodeConfig), securityConfigDirectory: nil,
                                                      dataPath: files.dataPath)
            _ = try SearchNode(configuration: configuration, logger: Logger(label: "startup-test"))
            return "started"
        } catch {
            return "\(error)"
        }
    }

    @Test func pkcs1KeyIsRefusedWithTheConversionCommand() throws {
        let files = try LabFiles()
        _ = try runBlocking("openssl", ["genrsa", "-traditional", "-out", files.directory.path("rsa1.pem"), "2048"])
        let message = try startupError(files) { $0.replacingOccurrences(of: "../certs/search-node-key.pem", with: "../rsa1.pem") }
        #expect(message.contains("opendistro_security.ssl.http.pemkey_filepath"))
        #expect(message.contains("PKCS#1"))
        #expect(message.contains("openssl pkcs8 -topk8 -nocrypt -in"))
    }

    @Test func keyOfAnotherCertificateIsRefused() throws {
        let files = try LabFiles()
        let message = try startupError(files) { $0.replacingOccurrences(of: "../certs/search-node-key.pem", with: "../certs/admin-key.pem") }
        #expect(message.contains("does not belong to the certificate CN=search-node,OU=node,O=certlab"))
    }

    @Test func unknownClientAuthModeNamesTheValue() throws {
        let files = try LabFiles()
        let message = try startupError(files) { $0.replacingOccurrences(of: "clientauth_mode: OPTIONAL", with: "clientauth_mode: optional") }
        #expect(message.contains("expected NONE, OPTIONAL or REQUIRE, found 'optional'"))
    }

    @Test func missingCertificateFileNamesTheSetting() throws {
        let files = try LabFiles()
        try FileManager.default.removeItem(atPath: files.cert("search-node"))
        let message = try startupError(files)
        #expect(message.hasPrefix("Error while initializing http SSL layer from PEM: opendistro_security.ssl.http.pemcert_filepath:"))
        #expect(message.contains("search-node.pem"))
    }
}
