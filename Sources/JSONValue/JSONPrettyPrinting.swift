extension JSON {
    /// JSON text as Elasticsearch writes it for `?pretty`: Jackson's default pretty printer with
    /// both objects and arrays indented by two spaces, `"key" : value`, empty containers as
    /// `{ }` / `[ ]`, and a final newline.
    public func prettySerialized() -> String {
        var output: [UInt8] = []
        writePretty(to: &output, level: 0)
        output.append(0x0A)
        return String(decoding: output, as: UTF8.self)
    }

    private func writePretty(to output: inout [UInt8], level: Int) {
        switch self {
        case .array(let items):
            guard !items.isEmpty else { return output.append(contentsOf: "[ ]".utf8) }
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSON.newline(&output, level: level + 1)
                item.writePretty(to: &output, level: level + 1)
            }
            JSON.newline(&output, level: level)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else { return output.append(contentsOf: "{ }".utf8) }
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in object {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSON.newline(&output, level: level + 1)
                JSON.writeString(key, to: &output)
                output.append(contentsOf: " : ".utf8)
                value.writePretty(to: &output, level: level + 1)
            }
            JSON.newline(&output, level: level)
            output.append(UInt8(ascii: "}"))
        default:
            write(to: &output)
        }
    }

    private static func newline(_ output: inout [UInt8], level: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
    }
}
