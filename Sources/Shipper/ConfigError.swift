/// A configuration problem, located: which file, which line and column (Yams marks), which
/// setting, and what form was expected — so a bad `filebeat.yml` is fixed from the message alone.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var setting: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, setting: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.setting = setting
        self.message = message
    }

    /// `config/shipper.yml:12:3: output.elasticsearch.bulk_max_size: expected an integer, found "abc"`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return location + ": " + (setting.map { "\($0): " } ?? "") + message
    }
}
