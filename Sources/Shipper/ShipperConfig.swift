import Foundation
import JSONValue
import LabClient

/// The `filebeat.yml` subset that certlab's shipper understands (issue 7, reference §3.1–§3.3).
/// Paths are absolute here: relative ones were resolved against the config file's directory.
public struct ShipperConfig: Sendable {
    public var inputs: [InputConfig]
    public var output: ElasticsearchOutputConfig
    /// `path.data`: where the registry lives; nil means "given on the command line or default".
    public var dataPath: String?
    /// `filebeat.registry.flush`: how often acknowledged offsets are written (default 1 s;
    /// 0 = after every acknowledged batch). A lagging registry only costs 409s on restart.
    public var registryFlush: Duration
    /// `logging.level`: `debug`, `info`, `warning`, `error`.
    public var logLevel: String
    /// `name`: sets `agent.name` (reference §3.6); the host name by default.
    public var name: String?
    /// General `tags`, appended to every event's tags.
    public var tags: [String]
    /// Settings present in the file that this shipper does not implement, by dotted name.
    public var unknownSettings: [String]
    /// The configuration file this came from.
    public var file: String
}

/// One entry of `filebeat.inputs` (`type: log` or `filestream`, reference §3.3).
public struct InputConfig: Sendable {
    public enum InputType: String, Sendable { case log, filestream }

    public var type: InputType
    /// `id` (mandatory for filestream in Filebeat; used in log messages here).
    public var id: String?
    public var enabled: Bool
    public var paths: [String]
    public var fields: JSONObject
    public var fieldsUnderRoot: Bool
    public var tags: [String]
    public var includeLines: [LinePattern]
    public var excludeLines: [LinePattern]
    /// Close a file after this long without a new line (Filebeat default 5 m).
    public var closeInactive: Duration
    /// How often the globs are re-evaluated (Filebeat default 10 s).
    public var scanFrequency: Duration
    /// Files not modified for longer are skipped; nil = off (Filebeat's 0).
    public var ignoreOlder: Duration?
}

/// `output.elasticsearch` (reference §3.1, §3.2).
public struct ElasticsearchOutputConfig: Sendable {
    /// Base URLs (scheme, host, port and `path` prefix), e.g. `https://127.0.0.1:9200`.
    public var hosts: [String]
    public var username: String?
    public var password: String?
    public var headers: [(String, String)]
    /// The index name pattern, e.g. `certlab-logs-%{+yyyy.MM.dd}`.
    public var index: String
    public var bulkMaxSize: Int
    public var workers: Int
    public var backoffInit: Duration
    public var backoffMax: Duration
    public var timeout: Duration
    /// nil when TLS is off (`ssl.enabled: false`).
    public var tls: ClientTLSOptions?
    /// Non-indexable events (4xx other than 409/429) go here as NDJSON when set.
    public var deadLetterFile: String?
}

/// A compiled `include_lines`/`exclude_lines` regular expression. NSRegularExpression is
/// immutable after creation and documented thread-safe, hence the unchecked Sendable.
public struct LinePattern: @unchecked Sendable {
    public let pattern: String
    let expression: NSRegularExpression

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.expression = try NSRegularExpression(pattern: pattern)
    }

    /// Unanchored search, as Go's `regexp.MatchString` does.
    public func matches(_ line: String) -> Bool {
        expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }
}
