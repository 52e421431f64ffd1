// swift-tools-version: 6.2
import PackageDescription

/// Our own targets build in Swift 6 language mode with every warning an error:
/// a dropped future or an unchecked Sendable is a bug, not a hint.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "EduLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "eduledger", targets: ["eduledger"]),
        .library(name: "EduLedgerCore", targets: ["EduLedgerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Pure domain: types, rules, repository protocols. No I/O, no dependencies.
        .target(name: "EduLedgerCore", exclude: ["README.md"], resources: [.copy("Calendars")], swiftSettings: strict),
        // The case engine: casework workflows with statutory deadlines (pure, no I/O).
        .target(name: "EduLedgerCasework", dependencies: ["EduLedgerCore"], exclude: ["README.md"], swiftSettings: strict),
        // SQL storage on SQLKit, running on SQLite (embedded default) and PostgreSQL (server).
        .target(
            name: "EduLedgerStorage",
            dependencies: [
                "EduLedgerCore", "EduLedgerCasework", "OfficeFormats",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                "ZIPFoundation",
            ],
            exclude: ["README.md"],
            swiftSettings: strict
        ),
        // Deterministic demo district generator (pure; writes through the domain's bulk-load protocol).
        .target(name: "EduLedgerDemo", dependencies: ["EduLedgerCore", "EduLedgerCasework"], exclude: ["README.md"], swiftSettings: strict),
        // Balanced random class assignment (电脑随机编班): engine and verifiable draw record.
        .target(
            name: "ClassAssignment",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"],
            swiftSettings: strict
        ),
        // Office formats at the edge: .xlsx/.csv in, .docx/.xlsx out.
        .target(name: "OfficeFormats", dependencies: ["ZIPFoundation"], exclude: ["README.md"], swiftSettings: strict),
        // Checker for figures typed by people in a work report.
        .target(name: "ReportChecker", dependencies: [], exclude: ["README.md"], swiftSettings: strict),
        // The indicator registry: every rate's definition beside the code that computes it.
        .target(name: "EduLedgerIndicators", dependencies: ["EduLedgerCore"], exclude: ["README.md"], swiftSettings: strict),
        // The annual work report generated from records: template language, figures, HTML and .docx.
        .target(
            name: "EduLedgerReports", dependencies: ["EduLedgerCore", "EduLedgerIndicators", "OfficeFormats"],
            exclude: ["README.md"], resources: [.copy("Resources")], swiftSettings: strict
        ),
        // Importers and exports: spreadsheets in with row-level validation, statistics and backups out.
        .target(
            name: "EduLedgerImport", dependencies: ["EduLedgerCore", "OfficeFormats", "ClassAssignment"], exclude: ["README.md"],
            swiftSettings: strict
        ),
        // The web application: bureau, schools and the public in the browser, and the JSON API.
        .target(
            name: "EduLedgerWeb",
            dependencies: [
                "EduLedgerCore", "EduLedgerStorage", "EduLedgerImport", "ClassAssignment", "OfficeFormats", "EduLedgerCasework",
                "EduLedgerIndicators", "EduLedgerReports", "ReportChecker",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        // The command-line interface as a library, so tests can run commands in-process.
        .target(
            name: "EduLedgerCommands",
            dependencies: [
                "EduLedgerCore", "EduLedgerStorage", "EduLedgerDemo", "ClassAssignment", "OfficeFormats",
                "ReportChecker", "EduLedgerWeb", "EduLedgerIndicators", "EduLedgerImport", "EduLedgerCasework", "EduLedgerReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "eduledger", dependencies: ["EduLedgerCommands"], swiftSettings: strict),
        .target(
            name: "EduLedgerTestSupport",
            dependencies: ["EduLedgerCore", "EduLedgerStorage"],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(name: "EduLedgerCoreTests", dependencies: ["EduLedgerCore"], swiftSettings: strict),
        .testTarget(
            name: "EduLedgerStorageTests",
            dependencies: ["EduLedgerStorage", "EduLedgerTestSupport", "EduLedgerDemo", "EduLedgerCasework"],
            swiftSettings: strict
        ),
        .testTarget(name: "EduLedgerCaseworkTests", dependencies: ["EduLedgerCasework"], swiftSettings: strict),
        .testTarget(name: "EduLedgerDemoTests", dependencies: ["EduLedgerDemo"], swiftSettings: strict),
        .testTarget(name: "ClassAssignmentTests", dependencies: ["ClassAssignment"], swiftSettings: strict),
        .testTarget(name: "OfficeFormatsTests", dependencies: ["OfficeFormats"], swiftSettings: strict),
        .testTarget(
            name: "EduLedgerIndicatorsTests", dependencies: ["EduLedgerIndicators", "EduLedgerTestSupport", "EduLedgerDemo"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EduLedgerImportTests", dependencies: ["EduLedgerImport", "EduLedgerTestSupport", "EduLedgerDemo", "ClassAssignment"], swiftSettings: strict
        ),
        .testTarget(name: "EduLedgerReportsTests", dependencies: ["EduLedgerReports", "EduLedgerDemo"], swiftSettings: strict),
        .testTarget(name: "ReportCheckerTests", dependencies: ["ReportChecker"], swiftSettings: strict),
        .testTarget(
            name: "EduLedgerWebTests",
            dependencies: [
                "EduLedgerWeb", "EduLedgerTestSupport", "EduLedgerImport", "ClassAssignment", "OfficeFormats", "EduLedgerCasework",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EduLedgerCommandsTests",
            dependencies: ["EduLedgerCommands", "EduLedgerTestSupport"],
            swiftSettings: strict
        ),
    ]
)
