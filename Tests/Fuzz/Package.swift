// swift-tools-version:6.1
// certlab fuzz targets (issue 9 "Fuzzing"): one libFuzzer executable per parser. A package of
// its own because every target must be built with `--sanitize fuzzer`, which the default build
// cannot take (libFuzzer supplies `main`). Build and run with Tests/Fuzz/run.sh
// (`make reliability-fuzz`); the seed corpora live in Tests/Fuzz/corpus/<target>/.
import PackageDescription

let package = Package(
    name: "certlab-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "certlab", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", path: "Targets/FuzzSupport"),
        .executableTarget(
            name: "fuzz-query-dsl",
            dependencies: ["FuzzSupport", .product(name: "SearchEngine", package: "certlab"), .product(name: "JSONValue", package: "certlab")],
            path: "Targets/QueryDSL"
        ),
        .executableTarget(
            name: "fuzz-bulk-ndjson",
            dependencies: ["FuzzSupport", .product(name: "SearchEngine", package: "certlab"), .product(name: "JSONValue", package: "certlab")],
            path: "Targets/BulkNDJSON"
        ),
        .executableTarget(
            name: "fuzz-msearch-ndjson",
            dependencies: ["FuzzSupport", .product(name: "SearchEngine", package: "certlab"), .product(name: "JSONValue", package: "certlab")],
            path: "Targets/MultiSearchNDJSON"
        ),
        .executableTarget(
            name: "fuzz-dn",
            dependencies: ["FuzzSupport", .product(name: "PKI", package: "certlab")],
            path: "Targets/DistinguishedName"
        ),
        .executableTarget(
            name: "fuzz-pem",
            dependencies: ["FuzzSupport", .product(name: "PKI", package: "certlab")],
            path: "Targets/PEM"
        ),
        .executableTarget(
            name: "fuzz-security-yaml",
            dependencies: ["FuzzSupport", .product(name: "SecurityEngine", package: "certlab"), .product(name: "JSONValue", package: "certlab")],
            path: "Targets/SecurityYAML"
        ),
    ]
)
