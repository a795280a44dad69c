import JSONValue

/// Writes Filebeat log events straight into `_bulk` NDJSON (reference §3.6):
///
///     {"create":{"_index":"certlab-logs-2026.11.29","_id":"2049-1234-9f0c…-4096"}}
///     {"@timestamp":"…Z","agent":{"name":…,"type":"filebeat","version":…},"ecs":{"version":…},
///      "host":{"name":…},"input":{"type":"log"},"log":{"file":{"path":…},"offset":4096},"message":…}
///
/// `@timestamp` comes first as in Filebeat, then the keys in alphabetical order. Everything
/// that does not vary per line is pre-serialised once per (input, file path), so the per-line
/// cost is a few byte copies plus escaping the message.
final class EventEncoder {
    /// `create` everywhere; `_type: "doc"` added for nodes reporting a major version below 7.
    var includeDocType = false

    private let agent: AgentInfo
    private let inputs: [InputConfig]
    private let globalTags: [String]
    private let index: IndexPattern
    private var templates: [String: Template] = [:]
    private var lastTemplate: (input: Int, path: String, template: Template)?
    private var cachedSecond: Int64 = .min
    private var secondPrefix: [UInt8] = []
    private var cachedHour: Int64 = .min
    private var indexBytes: [UInt8] = []

    /// Static JSON around the three per-line values: offset, message (timestamp is first).
    private struct Template {
        var head: [UInt8]  // `,"agent":…,"log":{"file":{"path":"…"},"offset":`
        var middle: [UInt8]  // `},…,"message":`
        var tail: [UInt8]  // `,…}` + newline
    }

    init(agent: AgentInfo, inputs: [InputConfig], globalTags: [String], index: IndexPattern) {
        self.agent = agent
        self.inputs = inputs
        self.globalTags = globalTags
        self.index = index
    }

    /// Appends one event for `line`, which starts at `offset` in the harvester's file.
    func append(line: UnsafeBufferPointer<UInt8>, offset: UInt64, from harvester: Harvester,
                millisecondsSinceEpoch now: Int64, to batch: inout Batch) {
        let start = batch.body.count
        updateClock(now)
        batch.body.append(contentsOf: #"{"create":{"_index":""#.utf8)
        batch.body.append(contentsOf: indexBytes)
        if includeDocType { batch.body.append(contentsOf: #"","_type":"doc"#.utf8) }
        batch.body.append(contentsOf: #"","_id":""#.utf8)
        EventID.write(key: harvester.key, generation: harvester.generation, offset: offset, to: &batch.body)
        batch.body.append(contentsOf: "\"}}\n{\"@timestamp\":\"".utf8)
        batch.body.append(contentsOf: secondPrefix)
        let millisecond = Int(now % 1000)
        batch.body.append(UInt8(48 + millisecond / 100))
        batch.body.append(UInt8(48 + millisecond / 10 % 10))
        batch.body.append(UInt8(48 + millisecond % 10))
        batch.body.append(contentsOf: "Z\"".utf8)
        let template = self.template(input: harvester.inputIndex, path: harvester.path)
        batch.body.append(contentsOf: template.head)
        batch.body.append(contentsOf: String(offset).utf8)
        batch.body.append(contentsOf: template.middle)
        Self.writeMessage(line, to: &batch.body)
        batch.body.append(contentsOf: template.tail)
        batch.events.append(start ..< batch.body.count)
    }

    private func updateClock(_ now: Int64) {
        let second = now / 1000
        guard second != cachedSecond else { return }
        cachedSecond = second
        let time = Timestamp(millisecondsSinceEpoch: now)
        secondPrefix = Array(time.iso8601().utf8.dropLast(4))  // "…:05." without "123Z"
        if second / 3600 != cachedHour {
            cachedHour = second / 3600
            indexBytes = []
            JSON.writeString(index.name(at: time), to: &indexBytes)
            indexBytes = Array(indexBytes.dropFirst().dropLast())
        }
    }

    /// Consecutive lines nearly always come from the same file, so the last template is kept
    /// aside and the dictionary (keyed by input and path) is consulted only on a change.
    private func template(input: Int, path: String) -> Template {
        if let last = lastTemplate, last.input == input, last.path == path { return last.template }
        let cacheKey = "\(input)\u{0}\(path)"
        let template = templates[cacheKey] ?? makeTemplate(inputs[input], path: path)
        templates[cacheKey] = template
        lastTemplate = (input, path, template)
        return template
    }

    private func makeTemplate(_ input: InputConfig, path: String) -> Template {
        var entries = JSONObject()
        entries["agent"] = ["name": .string(agent.name), "type": "filebeat", "version": .string(agent.version)]
        entries["ecs"] = ["version": .string(AgentInfo.ecsVersion)]
        entries["host"] = ["name": .string(agent.hostname)]
        entries["input"] = ["type": .string(input.type.rawValue)]
        let tags = input.tags + globalTags
        if !tags.isEmpty { entries["tags"] = .array(tags.map(JSON.string)) }
        if input.fieldsUnderRoot {
            // Filebeat lets root fields overwrite clashing keys; the per-line ones stay ours.
            for (key, value) in input.fields where !["@timestamp", "log", "message"].contains(key) { entries[key] = value }
        } else if !input.fields.isEmpty {
            entries["fields"] = .object(input.fields)
        }
        var pieces: [[UInt8]] = [[]]
        for key in (entries.keys + ["log", "message"]).sorted() {
            var bytes: [UInt8] = [UInt8(ascii: ",")]
            JSON.writeString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            switch key {
            case "log":
                bytes.append(contentsOf: #"{"file":{"path":"#.utf8)
                JSON.writeString(path, to: &bytes)
                bytes.append(contentsOf: #"},"offset":"#.utf8)
                pieces[pieces.count - 1] += bytes
                pieces.append([UInt8(ascii: "}")])
            case "message":
                pieces[pieces.count - 1] += bytes
                pieces.append([])
            default:
                entries[key]!.write(to: &bytes)
                pieces[pieces.count - 1] += bytes
            }
        }
        return Template(head: pieces[0], middle: pieces[1], tail: pieces[2] + [UInt8(ascii: "}"), 0x0A])
    }

    /// The line as a JSON string. Pure-ASCII lines are escaped byte by byte; lines with other
    /// bytes go through String decoding first so that invalid UTF-8 becomes U+FFFD (valid JSON).
    static func writeMessage(_ line: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var ascii = true
        for byte in line where byte >= 0x80 {
            ascii = false
            break
        }
        guard ascii else {
            JSON.writeString(String(decoding: line, as: UTF8.self), to: &output)
            return
        }
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0 ..< line.count {
            let byte = line[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart ..< index]))
            var escaped: [UInt8] = []
            JSON.writeString(String(UnicodeScalar(byte)), to: &escaped)
            output.append(contentsOf: escaped.dropFirst().dropLast())
            runStart = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart...]))
        output.append(UInt8(ascii: "\""))
    }
}

/// The deterministic `_id` of a line: device, inode, generation (hex) and start offset, so a
/// replay after a crash is rejected with 409 instead of indexed twice (issue 7).
enum EventID {
    static func write(key: FileKey, generation: UInt64, offset: UInt64, to output: inout [UInt8]) {
        output.append(contentsOf: String(key.device, radix: 16).utf8)
        output.append(UInt8(ascii: "-"))
        output.append(contentsOf: String(key.inode, radix: 16).utf8)
        output.append(UInt8(ascii: "-"))
        output.append(contentsOf: String(generation, radix: 16).utf8)
        output.append(UInt8(ascii: "-"))
        output.append(contentsOf: String(offset).utf8)
    }

    static func make(key: FileKey, generation: UInt64, offset: UInt64) -> String {
        var bytes: [UInt8] = []
        write(key: key, generation: generation, offset: offset, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
