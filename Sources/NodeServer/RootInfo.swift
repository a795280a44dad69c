import JSONValue
import SecurityEngine

/// The body of `GET /` (reference §10, lab-and-beats.md §5.3): what clients read to decide
/// which product and version they talk to.
///
/// The Open Distro flavor answers as Elasticsearch OSS 7.10.2 (`build_flavor: oss`), which is
/// what ODFE 1.13 runs on and what the `elasticsearch7` Python client and Filebeat OSS accept.
/// The OpenSearch flavor answers as OpenSearch 2.19 (`distribution: opensearch`, no
/// `build_flavor`), the shape opensearch-py expects; its build hash and date are not in our
/// reference, so they read `unknown`, as the JVM products print for builds without that data.
/// `compatibility.override_main_response_version: true` makes it report `7.10.2`, as OpenSearch
/// does for Beats and Logstash that refuse a 2.x version.
public enum RootInfo {
    /// The version this node reports for its flavor (without the 7.10.2 override of `GET /`).
    static func versionNumber(_ flavor: Flavor) -> String { flavor == .openDistro ? "7.10.2" : "2.19.0" }
    /// The build hash of Elasticsearch OSS 7.10.2; unknown for the OpenSearch flavor (see above).
    static func buildHash(_ flavor: Flavor) -> String { flavor == .openDistro ? "747e1cc71def077253878a59143c1f785afa92b9" : "unknown" }

    public static func body(flavor: Flavor, nodeName: String, clusterName: String, clusterUUID: String,
                            overrideMainResponseVersion: Bool = false) -> JSON {
        var version = JSONObject()
        switch flavor {
        case .openDistro:
            version["number"] = .string(versionNumber(flavor))
            version["build_flavor"] = "oss"
            version["build_type"] = "tar"
            version["build_hash"] = .string(buildHash(flavor))
            version["build_date"] = "2021-01-13T00:42:12.435326Z"
            version["build_snapshot"] = false
            version["lucene_version"] = "8.7.0"
            version["minimum_wire_compatibility_version"] = "6.8.0"
            version["minimum_index_compatibility_version"] = "6.0.0-beta1"
        case .openSearch:
            version["distribution"] = "opensearch"
            version["number"] = .string(overrideMainResponseVersion ? versionNumber(.openDistro) : versionNumber(flavor))
            version["build_type"] = "tar"
            version["build_hash"] = .string(buildHash(flavor))
            version["build_date"] = "unknown"
            version["build_snapshot"] = false
            version["lucene_version"] = "9.12.1"
            version["minimum_wire_compatibility_version"] = "7.10.0"
            version["minimum_index_compatibility_version"] = "7.0.0"
        }
        let tagline = flavor == .openDistro ? "You Know, for Search" : "The OpenSearch Project: https://opensearch.org/"
        return ["name": .string(nodeName), "cluster_name": .string(clusterName), "cluster_uuid": .string(clusterUUID),
                "version": .object(version), "tagline": .string(tagline)]
    }
}
