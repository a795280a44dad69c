// swift-tools-version:6.1
// certlab: a lab for client-certificate (mTLS) authentication against a search node protected
// by an Open Distro / OpenSearch compatible security layer. See ../shared/ARCHITECTURE.md for the
// module rules: pure libraries (PKI, SecurityEngine, SearchEngine) never import NIO or Hummingbird.
import PackageDescription

/// The security dashboard's files (Sources/SecurityDashboard/Assets), each compiled into the
/// binary; SecurityDashboard's DashboardAssets lists the same names with their byte arrays.
let dashboardAssets = [
    "index.html", "dashboard.css", "app.js", "api.js", "session.js", "dom.js", "entries.js", "permissions.js",
    "view-whoami.js", "view-roles.js", "view-rolesmapping.js", "view-internalusers.js", "view-actiongroups.js",
    "view-audit.js", "view-certificates.js",
]

let package = Package(
    name: "certlab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cert-issuer", targets: ["CertIssuer"]),
        .executable(name: "search-node", targets: ["SearchNodeCommand"]),
        .executable(name: "beats-shipper", targets: ["BeatsShipper"]),
        .executable(name: "security-admin", targets: ["SecurityAdminCommand"]),
        .library(name: "PKI", targets: ["PKI"]),
        .library(name: "SecurityEngine", targets: ["SecurityEngine"]),
        .library(name: "SearchEngine", targets: ["SearchEngine"]),
        // For Tests/Fuzz (a separate package built with -sanitize=fuzzer): the JSON the parsers take.
        .library(name: "JSONValue", targets: ["JSONValue"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // MARK: pure libraries
        .target(name: "JSONValue"),
        .target(
            name: "PKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "SecurityEngine",
            dependencies: [
                "JSONValue",
                "PKI",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "SearchEngine",
            dependencies: [
                "JSONValue",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // The security dashboard page (issue #10): static files compiled into the binary with
        // embedInCode, so search-node needs no resource bundle at run time.
        .target(
            name: "SecurityDashboard",
            exclude: ["Assets/README.md"],
            resources: dashboardAssets.map { .embedInCode("Assets/\($0)") }
        ),

        // MARK: system OpenSSL (libcrypto), only for PKCS#12 export (issue #10)
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .target(name: "PKCS12", dependencies: ["COpenSSL"]),

        // MARK: server side (NIO, NIOSSL, Hummingbird)
        .target(
            name: "NodeServer",
            dependencies: [
                "JSONValue", "PKI", "SecurityEngine", "SearchEngine", "SecurityDashboard",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "LabClient",
            dependencies: [
                "PKI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),

        .target(
            name: "Shipper",
            dependencies: [
                "LabClient", "JSONValue",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "SecurityAdmin",
            dependencies: [
                "LabClient", "SecurityEngine", "PKI", "JSONValue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: executables (argument parsing and wiring only)
        .executableTarget(
            name: "SearchNodeCommand",
            dependencies: [
                "NodeServer", "LabClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "BeatsShipper",
            dependencies: [
                "Shipper",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SecurityAdminCommand",
            dependencies: [
                "SecurityAdmin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "CertIssuer",
            dependencies: [
                "PKI", "PKCS12",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: benchmarks (make bench)
        .executableTarget(name: "bench-pki", dependencies: ["PKI"], path: "bench/pki"),
        .executableTarget(
            name: "bench-search",
            dependencies: ["SearchEngine", .product(name: "GRDB", package: "GRDB.swift")],
            path: "bench/search",
            exclude: ["RESULTS.md"]
        ),
        .executableTarget(name: "bench-security", dependencies: ["SecurityEngine"], path: "bench/security"),
        .executableTarget(
            name: "bench-stack-ceiling",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/stack-ceiling"
        ),
        .executableTarget(
            name: "bench-load",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "bench/loadgen"
        ),
        .executableTarget(
            name: "bench-shipper",
            dependencies: ["Shipper", .product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/shipper"
        ),

        // MARK: tests
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "PKITests", dependencies: ["PKI"]),
        .testTarget(name: "SecurityEngineTests", dependencies: ["SecurityEngine"]),
        .testTarget(name: "SearchEngineTests", dependencies: ["SearchEngine", "bench-search"]),
        .target(
            name: "LabTestSupport",
            dependencies: ["NodeServer", "PKI", "SecurityEngine", .product(name: "Logging", package: "swift-log")],
            path: "Tests/LabTestSupport"
        ),
        .testTarget(name: "NodeServerTests", dependencies: [
            "NodeServer", "PKI", "SecurityEngine", "LabTestSupport",
            .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(
            name: "ShipperTests",
            dependencies: [
                "Shipper", "BeatsShipper",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "SecurityAdminTests",
            dependencies: ["SecurityAdmin", "SecurityAdminCommand", "NodeServer", "PKI", "SecurityEngine", "JSONValue", "LabTestSupport"]
        ),
        .testTarget(name: "CertIssuerTests", dependencies: ["PKI", "CertIssuer"]),
        // Hostile certificates, hostile HTTP and privilege escalation against a real node (issue #9).
        // The quick cases run in `make test`; `make reliability` sets CERTLAB_RELIABILITY=full.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: [
                "NodeServer", "PKI", "SearchEngine", "SecurityEngine", "JSONValue", "LabTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "SecurityDashboardTests", dependencies: ["SecurityDashboard"]),
        // Issue 9 fault injection (kill -9 node/shipper, disk full); drives the built executables.
        .testTarget(
            name: "FaultTests",
            dependencies: ["LabTestSupport", "LabClient", "JSONValue", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
