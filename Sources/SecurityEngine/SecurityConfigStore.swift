import Foundation
import JSONValue

/// Durable storage of the security configuration, one document per type (reference §3.6: the
/// security index holds `_id` = type, source = the type's JSON). The node backs it with SQLite.
///
/// Writes are atomic over several types and optimistic: a write names the version it was based
/// on and fails with ``SecurityConfigStoreError/versionConflict`` if somebody else wrote in
/// between (the plugin uses `if_seq_no`/`if_primary_term`, reference §6.3).
public protocol SecurityConfigStore: Sendable {
    /// The current documents, or `nil` when nothing was ever stored ("not initialized").
    func load() throws -> StoredConfiguration?
    /// Replaces the given types in one step; returns the new version.
    func replace(_ documents: [ConfigType: JSON], expectedVersion: Int?) throws -> Int
    /// Past versions, newest first.
    func history(limit: Int) throws -> [StoredConfiguration]
}

/// One version of the stored configuration.
public struct StoredConfiguration: Sendable, Equatable {
    public var version: Int
    public var documents: [ConfigType: JSON]
    public var changedTypes: [ConfigType]

    public init(version: Int, documents: [ConfigType: JSON], changedTypes: [ConfigType]) {
        self.version = version
        self.documents = documents
        self.changedTypes = changedTypes
    }

    /// Validates the stored documents into a configuration.
    public func configuration(flavor: Flavor) throws(ConfigError) -> SecurityConfiguration {
        var sources: [ConfigType: SourceDocument] = [:]
        for (type, document) in documents { sources[type] = SourceDocument(file: type.rawValue, root: document) }
        return try SecurityConfiguration(documents: sources, flavor: flavor)
    }
}

public enum SecurityConfigStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case versionConflict(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .versionConflict(let expected, let actual):
            return "version conflict, required version [\(expected)], current version [\(actual)]"
        }
    }
}

/// A store in memory, for tests and for nodes without persistence.
public final class InMemorySecurityConfigStore: SecurityConfigStore, @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [StoredConfiguration] = []

    public init() {}

    public func load() throws -> StoredConfiguration? {
        lock.lock(); defer { lock.unlock() }
        return versions.last
    }

    public func replace(_ documents: [ConfigType: JSON], expectedVersion: Int?) throws -> Int {
        lock.lock(); defer { lock.unlock() }
        let current = versions.last?.version ?? 0
        if let expectedVersion, expectedVersion != current {
            throw SecurityConfigStoreError.versionConflict(expected: expectedVersion, actual: current)
        }
        var merged = versions.last?.documents ?? [:]
        for (type, document) in documents { merged[type] = document }
        versions.append(StoredConfiguration(version: current + 1, documents: merged, changedTypes: documents.keys.sorted()))
        return current + 1
    }

    public func history(limit: Int) throws -> [StoredConfiguration] {
        lock.lock(); defer { lock.unlock() }
        return Array(versions.suffix(limit).reversed())
    }
}
