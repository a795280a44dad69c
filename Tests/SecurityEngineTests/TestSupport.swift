import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// Locations and builders shared by the tests.
enum TestSupport {
    /// The repository root, found from this file's path (Tests/SecurityEngineTests/...).
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/fixtures/odfe-1.13` next to the repository; `nil` (with a visible note) when absent.
    static var fixtures: URL? {
        let url = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/odfe-1.13")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("SKIPPED: plugin fixtures not found at \(url.path); fixture tests do not run")
            return nil
        }
        return url
    }

    static var labSecurityConfig: URL { repoRoot.appendingPathComponent("config/security") }

    /// A configuration from YAML snippets per type; missing required types get an empty document.
    static func configuration(_ files: [ConfigType: String], flavor: Flavor = .openDistro) throws -> SecurityConfiguration {
        var documents: [ConfigType: SourceDocument] = [:]
        for type in ConfigType.required {
            let body = files[type] ?? (type == .config ? "config:\n  dynamic: {}\n" : "")
            let yaml = "_meta:\n  type: \"\(type.rawValue)\"\n  config_version: 2\n" + body
            documents[type] = try SourceDocument(yaml: yaml, file: type.fileName)
        }
        for (type, body) in files where !ConfigType.required.contains(type) {
            documents[type] = try SourceDocument(yaml: "_meta:\n  type: \"\(type.rawValue)\"\n  config_version: 2\n" + body, file: type.fileName)
        }
        return try SecurityConfiguration(documents: documents, flavor: flavor)
    }

    /// Node settings with the lab's admin DN and REST roles.
    static func settings(_ flavor: Flavor = .openDistro, extra: String = "") throws -> NodeSettings {
        let prefix = flavor.settingsPrefix
        return try NodeSettings(yaml: """
            \(prefix)authcz.admin_dn: ["CN=admin,OU=lab,O=certlab"]
            \(prefix)restapi.roles_enabled: ["all_access", "security_rest_api_access"]
            \(extra)
            """, file: "node.yml")
    }

    static func basic(_ user: String, _ password: String) -> (name: String, value: String) {
        ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
    }
}
