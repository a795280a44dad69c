import JSONValue

/// An error as Elasticsearch 7.10 reports it: an HTTP status plus the `{"error":{...},"status":N}`
/// body whose `root_cause` repeats the exception's `type`, `reason` and metadata headers.
///
/// Metadata (`index`, `index_uuid`, `resource.id`, `line`, `col`, ...) is kept in insertion order
/// because ES writes it after `type` and `reason` in the order the exception added it; clients and
/// our tests compare these bodies field by field.
public struct ElasticsearchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var type: String
    public var reason: String
    /// Extra fields written after `reason` (e.g. `index_uuid`, `shard`, `index`).
    public var metadata: JSONObject
    /// The nested cause, rendered as `caused_by` (not repeated in `root_cause`).
    public var causedBy: JSONObject?
    /// `root_cause` when it is not this exception itself (a search that failed on its shards
    /// lists the shards' causes there).
    public var rootCauses: [JSON]?

    public init(status: Int, type: String, reason: String, metadata: JSONObject = [:], causedBy: JSONObject? = nil) {
        self.status = status
        self.type = type
        self.reason = reason
        self.metadata = metadata
        self.causedBy = causedBy
    }

    public var description: String { "[\(status)] \(type): \(reason)" }

    /// The object that goes into `root_cause`, bulk item `error` fields and `_mget` docs.
    public var errorObject: JSON {
        var object: JSONObject = ["type": .string(type), "reason": .string(reason)]
        for (key, value) in metadata { object[key] = value }
        return .object(object)
    }

    /// `errorObject` plus `caused_by`: how bulk items and `_mget` entries carry a failure.
    public var itemErrorObject: JSON {
        guard var object = errorObject.objectValue else { return errorObject }
        if let causedBy { object["caused_by"] = .object(causedBy) }
        return .object(object)
    }

    /// The full response body: `{"error":{"root_cause":[...],"type":...,"reason":...},"status":N}`.
    public var body: JSON {
        var error: JSONObject = ["root_cause": .array(rootCauses ?? [errorObject])]
        error["type"] = .string(type)
        error["reason"] = .string(reason)
        for (key, value) in metadata { error[key] = value }
        if let causedBy { error["caused_by"] = .object(causedBy) }
        return ["error": .object(error), "status": .int(Int64(status))]
    }
}

// MARK: - The exceptions this engine raises, with Elasticsearch's wording

extension ElasticsearchError {
    static func indexMetadata(_ index: String, uuid: String = "_na_") -> JSONObject {
        ["index_uuid": .string(uuid), "index": .string(index)]
    }

    public static func indexNotFound(_ index: String) -> ElasticsearchError {
        var metadata: JSONObject = ["resource.type": "index_or_alias", "resource.id": .string(index)]
        for (key, value) in indexMetadata(index) { metadata[key] = value }
        return ElasticsearchError(status: 404, type: "index_not_found_exception",
                                  reason: "no such index [\(index)]", metadata: metadata)
    }

    public static func invalidIndexName(_ index: String, _ why: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "invalid_index_name_exception",
                           reason: "Invalid index name [\(index)], \(why)", metadata: indexMetadata(index))
    }

    public static func indexAlreadyExists(_ index: String, uuid: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "resource_already_exists_exception",
                           reason: "index [\(index)/\(uuid)] already exists", metadata: indexMetadata(index, uuid: uuid))
    }

    public static func illegalArgument(_ reason: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "illegal_argument_exception", reason: reason)
    }

    public static func parsing(_ reason: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "parsing_exception", reason: reason)
    }

    /// An unknown key in a query or aggregation; ES adds the `named_object_not_found_exception` cause.
    public static func unknownQuery(_ name: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "parsing_exception", reason: "unknown query [\(name)]",
                           causedBy: ["type": "named_object_not_found_exception", "reason": .string("unknown field [\(name)]")])
    }

    public static func xContentParse(_ reason: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "x_content_parse_exception", reason: reason)
    }

    /// A body that is not JSON: Jackson's message plus where it stopped.
    public static func jsonParse(_ error: JSONParseError) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "json_parse_exception",
                           reason: "\(error.message)\n at [Source: (org.elasticsearch.common.bytes.AbstractBytesReference$BytesReferenceStreamInput); line: \(error.line), column: \(error.column)]",
                           metadata: ["line": .int(Int64(error.line)), "col": .int(Int64(error.column))])
    }

    static func shardMetadata(_ index: IndexMetadata) -> JSONObject {
        ["index_uuid": .string(index.uuid), "shard": "0", "index": .string(index.name)]
    }

    static func versionConflict(_ index: IndexMetadata, id: String, _ detail: String) -> ElasticsearchError {
        ElasticsearchError(status: 409, type: "version_conflict_engine_exception",
                           reason: "[\(id)]: version conflict, \(detail)", metadata: shardMetadata(index))
    }

    static func documentMissing(_ index: IndexMetadata, id: String) -> ElasticsearchError {
        ElasticsearchError(status: 404, type: "document_missing_exception",
                           reason: "[_doc][\(id)]: document missing", metadata: shardMetadata(index))
    }

    static func mapperParsing(_ reason: String, causedBy: JSONObject? = nil) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "mapper_parsing_exception", reason: reason, causedBy: causedBy)
    }

    public static func actionValidation(_ problems: [String]) -> ElasticsearchError {
        let text = problems.enumerated().map { "\($0.offset + 1): \($0.element);" }.joined(separator: "")
        return ElasticsearchError(status: 400, type: "action_request_validation_exception", reason: "Validation Failed: \(text)")
    }
}
