import Foundation
import FuzzSupport
import JSONValue
import SecurityEngine

/// Security configuration YAML (reference §2.1, §3): one document of `config/security/` replaced
/// by the input, then the whole configuration built as `securityadmin`/the node bootstrap does,
/// for both flavors, and installed in a `SecurityService` that maps the lab's users to roles.
/// The document's `_meta.type` decides which file it replaces; input without one is also read
/// as `node.yml` (the node settings, `NodeSettings(yaml:)`).
///
/// Properties beyond "does not crash": every rejection is a `ConfigError` naming the file, with a
/// non-empty message and, when it gives a line, a line that exists in the input.
let baseline: [ConfigType: SourceDocument] = {
    let directory = repositoryRoot.appendingPathComponent("config/security")
    var documents: [ConfigType: SourceDocument] = [:]
    for type in ConfigType.allCases {
        let url = directory.appendingPathComponent(type.fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
        do { documents[type] = try SourceDocument(yaml: text, file: type.fileName) } catch {
            fatalError("fuzz-security-yaml setup: \(error)")
        }
    }
    guard ConfigType.required.allSatisfy({ documents[$0] != nil }) else {
        fatalError("fuzz-security-yaml setup: config/security not found under \(repositoryRoot.path); set CERTLAB_ROOT")
    }
    return documents
}()

func checkError(_ error: ConfigError, file: String, lineCount: Int) {
    fuzzCheck(error.file == file, "error names \(error.file), expected \(file): \(error)")
    fuzzCheck(!error.message.isEmpty, "empty message: \(error)")
    if let line = error.line { fuzzCheck(line >= 1 && line <= lineCount + 1, "line \(line) of a \(lineCount)-line input: \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecurityYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    // YAML breaks lines at CR, LF, CRLF (and NEL, LS, PS); `isNewline` counts those and a few more.
    let lineCount = text.reduce(1) { $0 + ($1.isNewline ? 1 : 0) }
    var document: SourceDocument
    do { document = try SourceDocument(yaml: text, file: "input.yml") } catch {
        checkError(error, file: "input.yml", lineCount: lineCount)
        return 0
    }
    guard let type = document.root["_meta"]?["type"]?.stringValue.flatMap(ConfigType.init(rawValue:)) else {
        do { _ = try NodeSettings(yaml: text, file: "node.yml") } catch { checkError(error, file: "node.yml", lineCount: lineCount) }
        return 0
    }
    document.file = type.fileName
    var documents = baseline
    documents[type] = document
    for flavor in Flavor.allCases {
        let configuration: SecurityConfiguration
        do { configuration = try SecurityConfiguration(documents: documents, flavor: flavor) } catch {
            fuzzCheck(!error.message.isEmpty, "empty message: \(error)")
            continue
        }
        let service = SecurityService(settings: NodeSettings(flavor: flavor), configuration: configuration)
        for name in ["admin", "CN=CLIENT1,OU=lab,O=certlab", "kibanaserver"] {
            _ = service.resolveRoles(User(name: name, backendRoles: ["admin", "readall"]))
        }
        _ = service.isAdminPrincipal("CN=admin,OU=lab,O=certlab")
    }
    return 0
}
