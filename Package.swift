// swift-tools-version:6.2
import PackageDescription

/// Swift 6 language mode everywhere, plus the upcoming features that keep imports honest.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferry", targets: ["ferry"]),
        .executable(name: "bare-feed-server", targets: ["BareFeedServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        // Hummingbird's own dependencies, named because ferry imports them too (HTTP field
        // names, the service group the server and the migration worker run in).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        // Zipped exports (a blog's XML with its media); needs zlib1g-dev.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The PostgreSQL backend, for installations that outgrow one machine.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // postgres-nio's own TLS library, named for the connections an import opens itself.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.30.0"),
    ],
    targets: [
        // Domain values, validation and errors: Foundation only.
        .target(
            name: "FerryCore",
            swiftSettings: strictSettings
        ),
        // The one owner of the database: schema migrations and intent-named operations (GRDB/SQLite).
        .target(
            name: "FerryStore",
            dependencies: [
                "FerryCore",
                // JSONText, for the tag lists stored with every post.
                "FerryRender",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the statements an import runs for every item.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The same store on PostgreSQL (postgres-nio): its schema, migrations under an advisory lock,
        // and the operations of the store's interface, in PostgreSQL's SQL.
        .target(
            name: "FerryPostgres",
            dependencies: [
                "FerryCore",
                "FerryStore",
                // JSONText, for the tag lists stored with every post.
                "FerryRender",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                // The event loops an import's blocking calls wait on (see `BlockingConnection`).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // libxml2, for its HTML parser (Debian: libxml2-dev).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The text ferry writes: sanitized HTML (libxml2's parser, an allow-list writer), Atom
        // documents, JSON written by hand where an encoder per value was measurable.
        .target(
            name: "FerryRender",
            dependencies: ["CLibXML2"],
            swiftSettings: strictSettings
        ),
        // Reading blog exports (WXR, RSS, Blogger Atom) as streams of items (libxml2's reader).
        .target(
            name: "FerryImport",
            dependencies: [
                "CLibXML2", "FerryCore", "FerryStore", "FerryRender",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        // HTTP: buildApplication, controllers, pages, middleware (Hummingbird 2).
        .target(
            name: "FerryWeb",
            dependencies: [
                "FerryCore",
                "FerryStore",
                "FerryRender",
                "FerryImport",
                "FerryPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // HTTP methods and headers of the requests the WebSub hub sends to callbacks.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Synthetic identities, contacts and activities for benchmarks and `ferry seed`: written
        // with SQL straight into the store's schema, so kept out of the store itself.
        .target(
            name: "FerrySeed",
            dependencies: ["FerryCore", "FerryStore", "FerryPostgres", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // Load generator behind `ferry bench`: a real server on loopback, driven by a real HTTP client.
        .target(
            name: "FerryBench",
            dependencies: [
                "FerryCore",
                "FerryStore",
                "FerrySeed",
                "FerryWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The only executable: parses arguments, then calls the libraries.
        .executableTarget(
            name: "ferry",
            dependencies: [
                "FerryCore",
                "FerryStore",
                "FerryImport",
                "FerryPostgres",
                "FerryWeb",
                "FerryBench",
                "FerrySeed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The feed benchmark's reference: the same feed bytes from a bare Hummingbird route.
        .executableTarget(
            name: "BareFeedServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/BareFeedServer",
            swiftSettings: strictSettings
        ),
        // Helpers shared by the test targets (temporary folders, a store on each backend).
        .target(
            name: "FerryTestSupport",
            dependencies: ["FerryStore", "FerryPostgres", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/FerryTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryCoreTests",
            dependencies: ["FerryCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryRenderTests",
            dependencies: ["FerryRender", "FerryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryImportTests",
            dependencies: [
                "FerryImport", "FerryCore", "FerryRender", "FerryStore", "FerryTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryStoreTests",
            dependencies: ["FerryCore", "FerryStore", "FerrySeed", "FerryTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // The store's interface on every backend: SQLite always, PostgreSQL when
        // FERRY_TEST_POSTGRES_URL names a server (.ci/run starts one).
        .testTarget(
            name: "FerryPostgresTests",
            dependencies: [
                "FerryCore", "FerryStore", "FerryPostgres", "FerryTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FerryWebTests",
            dependencies: [
                "FerryCore",
                "FerryImport",
                "FerryPostgres",
                "FerryStore",
                "FerryWeb",
                "FerryTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                // HMACs, to check the signatures of WebSub deliveries.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The pages in a real headless Chromium, over WebDriver (FERRY_BROWSER_TESTS=1).
        .testTarget(
            name: "BrowserTests",
            dependencies: [
                "FerryCore",
                "FerryPostgres",
                "FerryWeb",
                "FerryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ferryTests",
            dependencies: [
                "ferry",
                "FerryBench",
                "FerryCore",
                "FerryPostgres",
                "FerrySeed",
                "FerryStore",
                "FerryWeb",
                "FerryTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
