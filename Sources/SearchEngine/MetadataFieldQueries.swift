import GRDB
import JSONValue

/// Queries on the metadata fields `_id` and `_index`, which are in no mapping.
///
/// ES 7.10 lets term-level and match queries name them (reference pages "_id field" and "_index
/// field"): `_id` answers `term`, `terms`, `match` (and so `query_string`/`simple_query_string`,
/// which rewrite to those) with exact document ids, the way the `ids` query does; `_index`
/// answers `term`, `terms`, `match`, `prefix` and `wildcard` by testing the index's own name,
/// so a clause matches every document of the index or none (`ConstantFieldType`; a term on
/// `_index` is itself a `Regex.simpleMatch` pattern, so `logs-*` works there too). `exists` on
/// either matches every document. Without this they compiled as unmapped fields and matched
/// nothing, a silent wrong answer.
///
/// Other clauses on them (range, prefix/wildcard on `_id`) keep the unmapped-field behaviour.
extension QueryCompiler {
    static let metadataFields: Set<String> = ["_id", "_index"]

    /// The compiled clause when `query` names a metadata field, else nil.
    func metadataFieldQuery(_ query: Query) -> CompiledQuery? {
        switch query {
        case .term(let field, let value, let boost) where Self.metadataFields.contains(field):
            return exactValues(field, [value], boost: boost)
        case .terms(let field, let values, let boost) where Self.metadataFields.contains(field):
            return exactValues(field, values, boost: boost)
        case .match(let field, let text, _, _, let boost) where Self.metadataFields.contains(field),
             .matchPhrase(let field, let text, let boost) where Self.metadataFields.contains(field):
            return exactValues(field, [.string(text)], boost: boost)
        case .prefix("_index", let value, let boost):
            return everything(index.name.hasPrefix(value), boost: boost)
        case .wildcard("_index", let pattern, let boost):
            // ConstantFieldType reads the pattern with Regex.simpleMatch: `*` only, `?` is itself.
            return everything(IndexName.matches(index.name, pattern: pattern), boost: boost)
        case .exists(let field) where Self.metadataFields.contains(field):
            return .all(boost: 1)
        default:
            return nil
        }
    }

    private func exactValues(_ field: String, _ values: [JSON], boost: Double) -> CompiledQuery {
        let texts = values.compactMap(Self.text(of:))
        if field == "_index" {
            return everything(texts.contains { IndexName.matches(index.name, pattern: $0) }, boost: boost)
        }
        if texts.isEmpty { return .none }
        let marks = Array(repeating: "?", count: texts.count).joined(separator: ", ")
        return .filter(sql: "d.doc_id IN (\(marks))", arguments: texts.map(\.databaseValue), boost: boost)
    }

    private func everything(_ matches: Bool, boost: Double) -> CompiledQuery {
        matches ? .all(boost: boost) : .none
    }
}
