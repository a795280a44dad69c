import Foundation
import SearchEngine
import SecurityEngine

/// Everything `search-node` is started with: the elasticsearch.yml-style settings, where its
/// relative paths resolve, the bootstrap security directory and the data path.
public struct NodeConfiguration: Sendable {
    public var settings: NodeSettings
    /// The directory of the node config file; relative PEM paths resolve against it, as the
    /// plugin resolves them against its config directory (reference §1.1).
    public var configDirectory: URL
    /// `config/security/`, loaded once into an empty store (like `allow_default_init_securityindex`).
    public var securityConfigDirectory: URL?
    public var dataPath: URL
    /// `http.max_content_length` (default 100mb): larger bodies get 413.
    public var maxContentLength: Int
    /// `http.read_timeout`: how long a connection may go without a complete request part (a
    /// request head, body chunk or end) before the node closes it. Elasticsearch's setting of
    /// that name defaults to 0 (never); certlab defaults to 60 s so that idle and slowloris
    /// connections (headers dribbled byte by byte never complete a part) cannot pile up. `0`
    /// or `-1` turn it off as in Elasticsearch. nil means no timeout.
    public var readTimeout: Duration?
    public var overrideMainResponseVersion: Bool

    /// Reads `configFile`; `dataPath` overrides `path.data`, which itself defaults to `data/`
    /// beside the config file. A bad value names the file, line and key.
    public init(configFile: URL, securityConfigDirectory: URL?, dataPath: String?) throws {
        settings = try NodeSettings(contentsOf: configFile)
        configDirectory = configFile.deletingLastPathComponent()
        self.securityConfigDirectory = securityConfigDirectory
        let configured = dataPath ?? settings.all["path.data"]?.stringValue ?? "data"
        self.dataPath = Self.resolve(configured, against: configDirectory)
        maxContentLength = 100 * 1024 * 1024
        if let text = settings.all["http.max_content_length"]?.stringValue ?? settings.all["http.max_content_length"].map({ "\($0)" }) {
            guard let bytes = Self.byteSize(text) else {
                throw ConfigError(file: configFile.lastPathComponent, line: nil, key: "http.max_content_length",
                                  message: "expected a byte size such as 100mb, 512kb or 1048576, found '\(text)'")
            }
            maxContentLength = bytes
        }
        readTimeout = .seconds(60)
        if let value = settings.all["http.read_timeout"] {
            let text = value.stringValue ?? value.intValue.map(String.init) ?? "\(value)"
            guard let milliseconds = TimeValue.milliseconds(text) else {
                throw ConfigError(file: configFile.lastPathComponent, line: nil, key: "http.read_timeout",
                                  message: "expected a time value such as 30s, 500ms, 2m or 0 (no timeout), found '\(text)'")
            }
            readTimeout = milliseconds > 0 ? .milliseconds(milliseconds) : nil
        }
        overrideMainResponseVersion = settings.all["compatibility.override_main_response_version"]?.boolValue ?? false
    }

    /// A settings path made absolute against the config directory.
    public func resolve(_ path: String) -> String {
        Self.resolve(path, against: configDirectory).path
    }

    static func resolve(_ path: String, against directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path).standardizedFileURL
    }

    /// Elasticsearch's `ByteSizeValue`: `100mb`, `512kb`, `1gb`, `10b` or plain bytes.
    static func byteSize(_ text: String) -> Int? {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("pb", 1 << 50), ("tb", 1 << 40), ("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10), ("b", 1)]
        for (suffix, factor) in units where lower.hasSuffix(suffix) {
            return Int(lower.dropLast(suffix.count)).map { $0 * factor }
        }
        return Int(lower)
    }

    /// The HTTPS settings with absolute paths; nil when `ssl.http.enabled` is false.
    public func httpTLSSettings() throws -> HTTPTLSSettings? {
        guard settings.httpSSLEnabled else { return nil }
        let prefix = settings.flavor.settingsPrefix + "ssl.http."
        guard let cert = settings.pemCertPath else {
            throw HTTPTLSError(setting: prefix + "pemcert_filepath", reason: "must be set if http ssl is requested")
        }
        guard let key = settings.pemKeyPath else {
            throw HTTPTLSError(setting: prefix + "pemkey_filepath", reason: "\(prefix)keystore_filepath or \(prefix)pemkey_filepath must be set if http ssl is requested.")
        }
        let protocols = settings.all[prefix + "enabled_protocols"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return HTTPTLSSettings(certificateChainPath: resolve(cert), privateKeyPath: resolve(key),
                               trustedCAsPath: settings.pemTrustedCAsPath.map(resolve), clientAuthMode: settings.clientAuthMode,
                               enabledProtocols: protocols)
    }
}
