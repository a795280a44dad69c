import Foundation
import JSONValue

/// The documents of a `_bulk`, parsed and mapped on a second thread while the writer stores the
/// ones before them.
///
/// Why: parsing a document and walking it against the mapping (`DocumentMapper`) is a quarter of
/// what a bulk item costs the writer, and the writer is the one thread that holds the write lock
/// (bench/RESULTS.md, "bulk / raw ceiling"). Done ahead, on a core the writer does not use, it
/// leaves the writer with the SQLite work and the bookkeeping. A bulk that waits for the write
/// lock is prepared while it waits.
///
/// Exactness: an analysis is used only where it is what the writer would compute itself: it was
/// made against the index's metadata with the same `id` and `mappingVersion` the writer holds
/// when it stores the document, and it neither failed nor needed a new field. Everything else
/// (an index that does not exist yet, a field to add by dynamic mapping, a source that does not
/// parse, a value the mapping refuses, a mapping changed by an earlier item or by another write)
/// is parsed and analysed by the writer in line, exactly as without preparation, so the errors,
/// their order and the mapping updates do not change.
///
/// The analyses are made by a `WorkAhead`: the writer never waits for a document the worker has
/// not started, and the worker stays at most `lookahead` items ahead of the writer.
final class BulkPreparation: Sendable {
    /// A document analysed ahead, and the mapping it was analysed against.
    struct Analysis {
        let indexId: Int64
        let mappingVersion: UInt64
        let document: AnalyzedDocument

        func applies(to metadata: IndexMetadata) -> Bool {
            indexId == metadata.id && mappingVersion == metadata.mappingVersion
        }
    }

    /// Below this many documents the hand-over costs more than it saves.
    static let minimumDocuments = 64
    /// Documents the worker takes at a time.
    static let chunkSize = 16
    /// How far the worker may run ahead of the writer, in items: what it holds stays small
    /// however large the bulk (analyses are about the size of the documents' text).
    static let lookahead = 256

    private let work: WorkAhead<Analysis>

    /// Starts preparing `items` against `catalog` (the metadata before the write), or returns
    /// nil when preparation would not pay: a small bulk, or a single processor (`always` is for
    /// tests, which prepare small bulks too).
    init?(_ items: [BulkItem], catalog: [String: IndexMetadata], always: Bool = false) {
        let documents = items.lazy.filter { $0.action == .index || $0.action == .create }.count
        guard always || (documents >= Self.minimumDocuments && availableProcessors > 1) else { return nil }
        work = WorkAhead(count: items.count, chunkSize: Self.chunkSize, lookahead: Self.lookahead) { position in
            let item = items[position]
            return catalog[item.index].flatMap { BulkPreparation.analyze(item, $0) }
        }
    }

    /// The analysis of the document at `position`, if one was made; the writer checks that it
    /// still applies (`Analysis.applies(to:)`) against the metadata it stores the document with.
    func analysis(at position: Int) -> Analysis? { work.result(at: position) }

    /// Stops the worker (the bulk is done or failed); what it has not taken is never prepared.
    func finish() { work.finish() }

    /// A preparation dropped without `finish()` must not leave its worker waiting for a writer.
    deinit { work.finish() }

    /// The writer's first pass over a document (`SearchEngine.store`), or nil where only the
    /// writer can decide: the source does not parse, a value is refused, or a field is new.
    static func analyze(_ item: BulkItem, _ metadata: IndexMetadata) -> Analysis? {
        guard item.action == .index || item.action == .create, let source = item.source,
              let json = try? JSON(parsing: source) else { return nil }
        var mapper = DocumentMapper(metadata: metadata, id: item.id ?? "") { _, _, _ in throw NewField() }
        guard (try? mapper.analyze(json)) != nil, !mapper.mappingChanged else { return nil }
        return Analysis(indexId: metadata.id, mappingVersion: metadata.mappingVersion, document: mapper.document)
    }

    private struct NewField: Error {}
}
