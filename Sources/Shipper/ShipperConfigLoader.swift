import Foundation
import JSONValue
import LabClient
import Yams

extension ShipperConfig {
    /// Reads and checks a `filebeat.yml`-style file. Relative paths resolve against the file's
    /// directory; `${VAR}`/`${VAR:default}` expand from `environment`.
    public static func load(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> ShipperConfig {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConfigError(file: file, message: "cannot read the configuration file (\(error.localizedDescription))")
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return try parse(text, file: file, baseDirectory: directory, environment: environment)
    }

    /// Parses configuration text; `file` is used in messages only.
    public static func parse(_ text: String, file: String, baseDirectory: String,
                             environment: [String: String] = [:]) throws(ConfigError) -> ShipperConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, message: "invalid YAML: \(error)")
        }
        let expander = EnvironmentExpander(variables: environment)
        let value = try node.map { node throws(ConfigError) in try ConfigValue.from(node, environment: expander, file: file) } ?? .null(nil)
        let root = try ConfigSection(path: "", file: file, value: value)
        let resolve = { (path: String) in PathResolution.resolve(path, against: baseDirectory) }

        let filebeat = try root.section("filebeat")
        var inputs: [InputConfig] = []
        for section in try filebeat?.sections("inputs") ?? [] {
            inputs.append(try InputConfig.read(section, resolve: resolve))
        }
        guard let outputs = try root.section("output"), let elasticsearch = try outputs.section("elasticsearch") else {
            throw ConfigError(file: file, setting: "output.elasticsearch", message: "no output configured; this shipper needs output.elasticsearch with hosts")
        }
        let output = try ElasticsearchOutputConfig.read(elasticsearch, resolve: resolve)
        let paths = try root.section("path")
        let logging = try root.section("logging")
        let level = try logging?.string("level") ?? "info"
        guard ["debug", "info", "warning", "error"].contains(level) else {
            throw ConfigError(file: file, setting: "logging.level", message: "expected debug, info, warning or error, found \"\(level)\"")
        }
        let registryFlush = try filebeat?.section("registry")?.duration("flush") ?? .seconds(1)
        return ShipperConfig(
            inputs: inputs, output: output, dataPath: try paths?.string("data").map(resolve), registryFlush: registryFlush, logLevel: level,
            name: try root.string("name"), tags: try root.strings("tags") ?? [],
            unknownSettings: root.unknownKeys(), file: file)
    }
}

enum PathResolution {
    static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }
}

extension InputConfig {
    static func read(_ section: ConfigSection, resolve: (String) -> String) throws(ConfigError) -> InputConfig {
        let typeName = try section.string("type") ?? "log"
        guard let type = InputType(rawValue: typeName) else {
            throw section.error("type", nil, "unsupported input type \"\(typeName)\"; expected log or filestream")
        }
        guard let paths = try section.strings("paths"), !paths.isEmpty else {
            throw section.error("paths", nil, "an input needs at least one path glob")
        }
        let encoding = try section.string("encoding") ?? "utf-8"
        guard ["utf-8", "utf8", "plain"].contains(encoding.lowercased()) else {
            throw section.error("encoding", nil, "only utf-8 (and plain) are supported, found \"\(encoding)\"")
        }
        // filestream spells two of the options differently (reference §3.3).
        var scanFrequency = try section.duration("scan_frequency")
        var closeInactive = try section.duration("close_inactive")
        if type == .filestream {
            scanFrequency = try section.section("prospector")?.section("scanner")?.duration("check_interval") ?? scanFrequency
            closeInactive = try section.section("close")?.section("on_state_change")?.duration("inactive") ?? closeInactive
        }
        let ignoreOlder = try section.duration("ignore_older")
        return InputConfig(
            type: type, id: try section.string("id"), enabled: try section.bool("enabled") ?? true,
            paths: paths.map(resolve), fields: try section.object("fields") ?? [:],
            fieldsUnderRoot: try section.bool("fields_under_root") ?? false, tags: try section.strings("tags") ?? [],
            includeLines: try patterns(section, "include_lines"), excludeLines: try patterns(section, "exclude_lines"),
            closeInactive: closeInactive ?? .seconds(300), scanFrequency: scanFrequency ?? .seconds(10),
            ignoreOlder: ignoreOlder == .zero ? nil : ignoreOlder)
    }

    private static func patterns(_ section: ConfigSection, _ key: String) throws(ConfigError) -> [LinePattern] {
        var result: [LinePattern] = []
        for pattern in try section.strings(key) ?? [] {
            do {
                result.append(try LinePattern(pattern))
            } catch {
                throw section.error(key, nil, "invalid regular expression \"\(pattern)\"")
            }
        }
        return result
    }
}
