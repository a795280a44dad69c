import Foundation
import GRDB
import JSONValue

/// One action of a `_bulk` body, parsed but not executed, so a security layer can authorize
/// each item's action and index first (and reject single items with a 403).
public struct BulkItem: Sendable, Equatable {
    public enum Action: String, Sendable { case index, create, update, delete }
    public var action: Action
    public var index: String
    public var id: String?
    /// The document line (index/create), kept as sent because it is stored verbatim.
    public var source: [UInt8]?
    /// The parsed `update` body.
    var update: JSON?
    public var condition: WriteCondition?
    /// 1-based line number of the action line, for messages.
    public var line: Int
}

/// A parsed `_bulk` NDJSON body (ES `BulkRequest`): action/metadata lines, each followed by a
/// source line except for `delete`. Structural problems fail the whole request with 400
/// `illegal_argument_exception` naming the line; document problems fail only their item.
public struct BulkRequest: Sendable, Equatable {
    public var items: [BulkItem]

    /// Every index the request writes to, for authorization.
    public var indices: [String] { Array(Set(items.map(\.index))).sorted() }

    static let metadataKeys: Set<String> = ["_index", "_id", "_type", "if_seq_no", "if_primary_term", "routing",
                                            "retry_on_conflict", "require_alias", "pipeline", "_source"]

    public static func parse(_ body: [UInt8], defaultIndex: String?) throws(ElasticsearchError) -> BulkRequest {
        if !body.isEmpty, body.last != UInt8(ascii: "\n") {
            throw .illegalArgument("The bulk request must be terminated by a newline [\\n]")
        }
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var start = 0, number = 0
        for (position, byte) in body.enumerated() where byte == UInt8(ascii: "\n") {
            number += 1
            var line = body[start..<position]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.contains(where: { $0 != 32 && $0 != 9 }) { lines.append((number, line)) }
            start = position + 1
        }
        var items: [BulkItem] = []
        var cursor = 0
        while cursor < lines.count {
            let (lineNumber, bytes) = lines[cursor]
            cursor += 1
            var item = try parseActionLine(bytes, line: lineNumber, defaultIndex: defaultIndex)
            if item.action != .delete {
                guard cursor < lines.count else {
                    throw .illegalArgument("Malformed action/metadata line [\(lineNumber)], expected a source line for [\(item.action.rawValue)] action")
                }
                let source = Array(lines[cursor].bytes)
                let sourceLine = lines[cursor].number
                cursor += 1
                if item.action == .update {
                    let json: JSON
                    do { json = try JSON(parsing: source) } catch {
                        throw .illegalArgument("Malformed update body on line [\(sourceLine)]: \(error)")
                    }
                    item.update = json
                } else {
                    item.source = source
                }
            }
            items.append(item)
        }
        if items.isEmpty { throw .actionValidation(["no requests added"]) }
        return BulkRequest(items: items)
    }

    private static func parseActionLine(_ bytes: ArraySlice<UInt8>, line: Int, defaultIndex: String?) throws(ElasticsearchError) -> BulkItem {
        if let item = compactActionLine(bytes, line: line) { return item }
        var malformed: String { "Malformed action/metadata line [\(line)]" }
        let json: JSON
        do { json = try JSON(parsing: bytes) } catch {
            throw .illegalArgument("\(malformed), expected START_OBJECT but found invalid JSON: \(error)")
        }
        guard let object = json.objectValue else {
            throw .illegalArgument("\(malformed), expected START_OBJECT or END_OBJECT but found [\(json.tokenName)]")
        }
        guard object.count == 1, let (name, metadataValue) = object.first(where: { _ in true }) else {
            throw .illegalArgument("\(malformed), expected a single action but found [\(object.count)] fields")
        }
        guard let action = BulkItem.Action(rawValue: name) else {
            throw .illegalArgument("\(malformed), expected field [create], [delete], [index] or [update] but found [\(name)]")
        }
        guard let metadata = metadataValue.objectValue else {
            throw .illegalArgument("\(malformed), expected START_OBJECT but found [\(metadataValue.tokenName)]")
        }
        var index = defaultIndex, id: String?, seqNo: Int64?, primaryTerm: Int64?
        for (key, value) in metadata {
            guard metadataKeys.contains(key) else {
                throw .illegalArgument("Action/metadata line [\(line)] contains an unknown parameter [\(key)]")
            }
            switch key {
            case "_index": index = value.stringValue
            case "_id": id = value.stringValue ?? value.intValue.map { String($0) }
            case "if_seq_no": seqNo = value.intValue
            case "if_primary_term": primaryTerm = value.intValue
            case "pipeline": throw .illegalArgument("pipeline with id [\(value.stringValue ?? "")] does not exist")
            default: continue
            }
        }
        guard let index else { throw .actionValidation(["index is missing"]) }
        if (action == .update || action == .delete) && id == nil { throw .actionValidation(["id is missing"]) }
        var condition: WriteCondition?
        if let seqNo { condition = WriteCondition(ifSeqNo: seqNo, ifPrimaryTerm: primaryTerm ?? 0) }
        return BulkItem(action: action, index: index, id: id, source: nil, update: nil, condition: condition, line: line)
    }
}

extension SearchEngine {
    /// Executes a parsed bulk request in one transaction; a failed item leaves no trace and
    /// never fails the others. `rejections` holds errors
    /// decided before execution (e.g. a 403 from the security layer) by item position; those
    /// items are reported with that error and not executed.
    public func bulk(_ request: BulkRequest, rejections: [Int: ElasticsearchError] = [:]) throws(ElasticsearchError) -> EngineResponse {
        // Started before the write lock: documents are prepared while the bulk waits for it.
        let preparation = BulkPreparation(request.items, catalog: catalog.snapshot)
        defer { preparation?.finish() }
        return try bulk(request, rejections: rejections, preparation: preparation)
    }

    /// `bulk` with the given preparation (tests pass none, or one made against older metadata).
    func bulk(_ request: BulkRequest, rejections: [Int: ElasticsearchError], preparation: BulkPreparation?) throws(ElasticsearchError) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var errors = false
        let results: [JSON] = try write { db, catalog in
            var results: [JSON] = []
            results.reserveCapacity(request.items.count)
            for (position, item) in request.items.enumerated() {
                let id = item.id ?? autoIds.next()
                if let rejection = rejections[position] {
                    results.append(Self.bulkFailure(item, id: id, rejection))
                    errors = true
                    continue
                }
                do {
                    // Items validate everything before writing, so a failed item left nothing behind
                    // (an auto-created index stays, as in ES). Storage errors abort the whole bulk.
                    let result = try Self.execute(item, id: id, db, &catalog, prepared: preparation?.analysis(at: position))
                    results.append([item.action.rawValue: .object(result.object(status: result.status))])
                } catch let error as ElasticsearchError {
                    results.append(Self.bulkFailure(item, id: id, error))
                    errors = true
                }
            }
            return results
        }
        let took = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        return EngineResponse(body: ["took": .int(took), "errors": .bool(errors), "items": .array(results)])
    }

    private static func execute(_ item: BulkItem, id: String, _ db: Database, _ catalog: inout [String: IndexMetadata],
                                prepared: BulkPreparation.Analysis?) throws -> WriteResult {
        switch item.action {
        case .index, .create:
            let source = item.source ?? []
            let content: DocumentContent = try prepared.map { .prepared($0) } ?? .json(parseSource(source))
            return try performIndex(db, &catalog, index: item.index, id: id, autoGenerated: item.id == nil, source: source,
                                    content: content, opType: item.action == .create ? .create : .index, condition: item.condition)
        case .delete:
            return try performDelete(db, &catalog, index: item.index, id: id, condition: item.condition)
        case .update:
            let request = try UpdateBody(item.update ?? .null)
            return try performUpdate(db, &catalog, index: item.index, id: id, request: request, condition: item.condition)
        }
    }

    private static func bulkFailure(_ item: BulkItem, id: String, _ error: ElasticsearchError) -> JSON {
        [item.action.rawValue: ["_index": .string(item.index), "_type": "_doc", "_id": .string(id),
                                "status": .int(Int64(error.status)), "error": error.itemErrorObject]]
    }
}
