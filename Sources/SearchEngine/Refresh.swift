import Foundation
import GRDB

/// Refresh: when the `vals` rows that `PendingValueRows` holds reach the tree, and what a search
/// sees meanwhile.
///
/// Each index has a refresh watermark (`IndexMetadata.refreshedUpto`, stored with the index):
/// every document at or below it has its `vals` rows in the tree. A write commits its documents,
/// `_source` and full-text rows at once (acknowledged means durable) and leaves the `vals` rows
/// of new documents held; the watermark moves past the last document whenever nothing is held
/// at commit.
///
/// What a search sees: it refreshes first (so a search after an acknowledged write finds it,
/// as with `?refresh=true` in ES), and it matches only documents at or below the watermark of
/// the catalog it started with, whose rows are all in its snapshot. A search racing a bulk
/// therefore sees the index as of a refresh, the way ES's searches see their shard's last
/// refresh, never a document that its text matches but its values do not. Reads by `_id` are
/// real-time, as in ES.
///
/// After a crash (`kill -9` while rows were held) or a rolled-back transaction that had flushed
/// held rows, the documents past the watermark get their rows re-derived from their stored
/// sources with the current mapping, which is what removing a document does too (fields are
/// never removed or retyped).
extension SearchEngine {
    /// `POST /_refresh` (any index list): every held row goes into the tree and every document
    /// becomes searchable.
    public func refresh() throws(ElasticsearchError) {
        try write(refreshingFirst: true) { _, _ in }
    }

    /// Before a search reads; false when rows are held and could not be refreshed. Such a
    /// failure (a full disk) does not fail the search: it sees every stored document, by its text
    /// and `_source`, while the values of the unrefreshed ones wait for the next write or search
    /// that refreshes (`SearchEngine.read`). Hiding them instead would answer `_count` with
    /// fewer documents than were acknowledged for as long as the disk stays full.
    func refreshBeforeSearch() -> Bool {
        guard refreshNeeded.load(ordering: .acquiring) else { return true }
        return (try? refresh()) != nil
    }

    /// Inside a write transaction: flushes the held rows and moves every watermark.
    static func refresh(_ db: Database, _ catalog: inout [String: IndexMetadata]) throws {
        try PendingValueRows.flush(db)
        markRefreshed(&catalog)
    }

    /// Nothing is held: every document of every index has its rows in the tree.
    static func markRefreshed(_ catalog: inout [String: IndexMetadata]) {
        for (name, index) in catalog where index.refreshedUpto < index.nextRowid - 1 {
            catalog[name]?.refreshedUpto = index.nextRowid - 1
        }
    }

    /// Holds again the rows of every document past its index's watermark, derived from its
    /// `_source`: the rows held before may be gone. Rows that did reach the tree are inserted
    /// again harmlessly (`INSERT OR IGNORE`).
    static func rederiveHeldRows(_ db: Database, _ catalog: [String: IndexMetadata]) throws {
        PendingValueRows.forget(ObjectIdentifier(db))
        for index in catalog.values where index.refreshedUpto < index.rowidRange.upperBound {
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, source FROM docs WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
                                           arguments: [index.refreshedUpto, index.rowidRange.upperBound])
            while let row = try rows.next() {
                guard let values = DocumentStore.storedAnalysis(index, source: [UInt8](row[1] as Data))?.values else { continue }
                PendingValueRows.append(db, values: values, doc: row[0], deferrable: true)
            }
        }
    }
}
