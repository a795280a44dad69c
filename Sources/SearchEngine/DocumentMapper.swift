import GRDB
import JSONValue

/// What one document contributes to the search structures: words per FTS5 column and typed
/// values per field (the rows of `vals`).
struct AnalyzedDocument {
    /// Text per FTS5 column, in the order the columns were first filled (a document fills a
    /// handful, so an array beats hashing column numbers).
    var texts: [(column: Int, text: String)] = []
    var values: [(field: Int64, value: DatabaseValue)] = []

    /// Adds `text` to `column`; several values of one field are separated by a line break.
    mutating func addText(_ text: String, column: Int) {
        if let position = texts.firstIndex(where: { $0.column == column }) {
            texts[position].text += "\n" + text
        } else {
            texts.append((column, text))
        }
    }
}

/// Walks a `_source` against the index mapping, adding dynamic mappings for new fields and
/// converting values to what storage indexes (ES's `DocumentMapper`/`DocumentParser`).
///
/// Dynamic rules are Elasticsearch 7.10's defaults (issue 3): strings → `text` + `keyword`
/// sub-field (or `date` when the string is an ISO date), integers → `long`, fractions → `float`,
/// booleans → `boolean`, objects → `properties`; `dynamic: false` skips, `strict` refuses.
struct DocumentMapper {
    var metadata: IndexMetadata
    let id: String
    /// Registers a new leaf field (and its multi-fields) in storage and returns the updated metadata.
    let register: (IndexMetadata, String, FieldMapping) throws -> IndexMetadata
    private(set) var mappingChanged = false
    private(set) var document = AnalyzedDocument()
    /// Re-deriving a stored document's rows (`DocumentMapper(replaying:)`).
    private let replaying: Bool

    init(metadata: IndexMetadata, id: String, register: @escaping (IndexMetadata, String, FieldMapping) throws -> IndexMetadata) {
        self.init(metadata: metadata, id: id, replaying: false, register: register)
    }

    /// A mapper that re-derives what a stored `_source` put into the search structures, under
    /// the mapping as it is now: it adds no field and refuses nothing. A stored document was
    /// analysed without error when it was written, and its fields are never removed or retyped,
    /// so every field it filled maps the same way again. A field mapped since (`PUT _mapping`
    /// after `dynamic: false`, a new multi-field, `dynamic: strict` set later) may now fail to
    /// convert or be refused; it was not indexed for this document then, so it is skipped, and
    /// the full-text row's token counts check what the replay gives (`FullTextRow`).
    init(replaying metadata: IndexMetadata) {
        self.init(metadata: metadata, id: "", replaying: true) { current, _, _ in current }
    }

    private init(metadata: IndexMetadata, id: String, replaying: Bool,
                 register: @escaping (IndexMetadata, String, FieldMapping) throws -> IndexMetadata) {
        self.metadata = metadata
        self.id = id
        self.replaying = replaying
        self.register = register
        // One value per mapped field is typical; growing the arrays one by one cost more.
        document.values.reserveCapacity(metadata.fields.count)
        document.texts.reserveCapacity(4)
    }

    mutating func analyze(_ source: JSON) throws {
        guard let object = source.objectValue else {
            throw ElasticsearchError.mapperParsing("failed to parse", causedBy: ["type": "not_x_content_exception",
                "reason": "Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes"])
        }
        try walkObject(object, prefix: "")
    }

    private mutating func walkObject(_ object: JSONObject, prefix: String) throws {
        for (key, value) in object {
            try walk(value, path: prefix + Self.fieldName(key))
        }
    }

    /// A source key checked and normalised as ES's `DocumentParser.splitAndValidatePath` does:
    /// a dotted key is an object path, split like Java's `String.split` (trailing empty parts
    /// dropped, so `a.` is `a`); an empty key, a key of dots only, or an empty or blank part in
    /// the middle is refused. Found by fuzzing (issue 9): a key `.` used to crash the node.
    static func fieldName(_ key: String) throws -> String {
        func refuse(_ reason: String) -> ElasticsearchError {
            .mapperParsing("failed to parse", causedBy: ["type": "illegal_argument_exception", "reason": .string(reason)])
        }
        guard key.utf8.contains(UInt8(ascii: ".")) else {
            if key.isEmpty { throw refuse("field name cannot be an empty string") }
            return key
        }
        var parts = key.split(separator: ".", omittingEmptySubsequences: false)
        while parts.last?.isEmpty == true { parts.removeLast() }
        if parts.isEmpty { throw refuse("field name cannot contain only dots") }
        for part in parts where part.allSatisfy(\.isWhitespace) {
            if !part.isEmpty { throw refuse("object field cannot contain only whitespace: ['\(key)']") }
            throw refuse("object field starting or ending with a [.] makes object resolution ambiguous: [\(key)]")
        }
        return parts.count == 1 ? String(parts[0]) : parts.joined(separator: ".")
    }

    private mutating func walk(_ value: JSON, path: String) throws {
        switch value {
        case .null: return
        case .array(let items):
            for item in items { try walk(item, path: path) }
            return
        case .object(let object):
            if metadata.objectPaths.contains(path) {
                try walkObject(object, prefix: path + ".")
            } else if let field = metadata.fields[path] {
                if replaying { return }
                throw failure(path: path, type: field.type, preview: value, cause: ["type": "illegal_state_exception",
                    "reason": .string("Can't get text on a START_OBJECT at 1:1")])
            } else if try allowDynamic(path) {
                metadata = try register(metadata, path, FieldMapping(type: .object))
                mappingChanged = true
                try walkObject(object, prefix: path + ".")
            }
            return
        default:
            break
        }
        // One dictionary lookup per leaf on the common path (field already mapped).
        let field: FieldInfo
        if let known = metadata.fields[path] {
            field = known
        } else {
            guard try allowDynamic(path) else { return }
            metadata = try register(metadata, path, Self.dynamicMapping(for: value))
            mappingChanged = true
            guard let added = metadata.fields[path] else { return }
            field = added
        }
        // `index` appends only once a value converted, so a skipped failure leaves nothing behind.
        do { try index(value, field: field) } catch where replaying {}
        if field.type == .text || field.type == .keyword {
            for subpath in field.multiFields {
                guard let subfield = metadata.fields[subpath] else { continue }
                do { try index(value, field: subfield) } catch where replaying {}
            }
        }
    }

    private func allowDynamic(_ path: String) throws -> Bool {
        if replaying { return false }
        switch metadata.mapping.dynamic {
        case .true: return true
        case .false: return false
        case .strict:
            let parts = path.split(separator: ".")
            let within = parts.count > 1 ? String(parts[parts.count - 2]) : "_doc"
            throw ElasticsearchError(status: 400, type: "strict_dynamic_mapping_exception",
                reason: "mapping set to strict, dynamic introduction of [\(parts.last!)] within [\(within)] is not allowed")
        }
    }

    static func dynamicMapping(for value: JSON) -> FieldMapping {
        switch value {
        case .string(let text):
            if text.count >= 10, DateMath.parseISO(text) != nil { return FieldMapping(type: .date) }
            return .dynamicString
        case .int: return FieldMapping(type: .long)
        case .double: return FieldMapping(type: .float)
        case .bool: return FieldMapping(type: .boolean)
        default: return .dynamicString
        }
    }

    /// A scalar as the text ES indexes for it (numbers as Java prints them).
    ///
    /// Fixed for good: a contentless full-text row is removed by replaying this on the stored
    /// `_source` (`FullTextRow`), so a document written by an earlier certlab must give the same
    /// texts now (`FullTextRowTests.theTextAValueGivesIsFixed`).
    static func text(of value: JSON) -> String? {
        switch value {
        case .string(let string): string
        case .int(let number): String(number)
        case .double(let number): JSON.javaDoubleText(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    private mutating func index(_ value: JSON, field: FieldInfo) throws {
        // Only text-like fields and error messages need the text form: numbers skip formatting.
        var text: String? { Self.text(of: value) }
        switch field.type {
        case .text:
            guard let text = Self.text(of: value), let column = field.column else { return }
            document.addText(text, column: column)
        case .keyword:
            guard let text = Self.text(of: value) else { return }
            // `ignore_above` counts characters; bytes bound them, so most values skip the O(n) count.
            if let limit = field.ignoreAbove, text.utf8.count > limit, text.count > limit { return }
            document.values.append((field.id, text.databaseValue))
        case .long, .integer, .short, .byte:
            let number: Int64? = switch value {
            case .int(let number): number
            case .double(let number) where number.isFinite: Int64(exactly: number.rounded(.towardZero))
            case .string(let string): Int64(string) ?? Double(string).flatMap { Int64(exactly: $0.rounded(.towardZero)) }
            default: nil
            }
            guard let number else {
                throw failure(path: field.path, type: field.type, preview: value,
                              cause: ["type": "number_format_exception", "reason": .string("For input string: \"\(text ?? value.serialized())\"")])
            }
            document.values.append((field.id, number.databaseValue))
        case .float, .double:
            var number: Double? = value.doubleValue ?? value.stringValue.flatMap(Double.init)
            if field.type == .float, let exact = number { number = Double(Float(exact)) }
            guard let number, number.isFinite else {
                throw failure(path: field.path, type: field.type, preview: value,
                              cause: ["type": "number_format_exception", "reason": .string("For input string: \"\(text ?? value.serialized())\"")])
            }
            document.values.append((field.id, number.databaseValue))
        case .date:
            let millis: Int64? = switch value {
            case .int(let number): number
            case .string(let string): DateMath.parseDateValue(string)
            default: nil
            }
            guard let millis else {
                throw failure(path: field.path, type: field.type, preview: value, cause: ["type": "illegal_argument_exception",
                    "reason": .string("failed to parse date field [\(text ?? value.serialized())] with format [strict_date_optional_time||epoch_millis]")])
            }
            document.values.append((field.id, millis.databaseValue))
        case .boolean:
            let flag: Bool? = switch value {
            case .bool(let flag): flag
            case .string("true"): true
            case .string("false"), .string(""): false
            default: nil
            }
            guard let flag else {
                throw failure(path: field.path, type: field.type, preview: value, cause: ["type": "illegal_argument_exception",
                    "reason": .string("Failed to parse value [\(text ?? value.serialized())] as only [true] or [false] are allowed.")])
            }
            document.values.append((field.id, (flag ? 1 : 0).databaseValue))
        case .object:
            return
        }
    }

    private func failure(path: String, type: FieldType, preview: JSON, cause: JSONObject) -> ElasticsearchError {
        let shown = preview.stringValue ?? preview.serialized()
        return .mapperParsing("failed to parse field [\(path)] of type [\(type.rawValue)] in document with id '\(id)'. Preview of field's value: '\(shown)'", causedBy: cause)
    }
}
