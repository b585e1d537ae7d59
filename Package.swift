// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "moor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "moor", targets: ["moor"]),
        .executable(name: "moor-standin", targets: ["moor-standin"]),
        .library(name: "MoorCore", targets: ["MoorCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .target(name: "MoorCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "MoorSystem", dependencies: [
            "MoorCore",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MoorJournal", dependencies: [
            "MoorCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "MoorProbe", dependencies: [
            "MoorCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "MoorEngine", dependencies: [
            "MoorCore", "MoorSystem", "MoorJournal", "MoorProbe",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MoorStandIns", dependencies: [
            "MoorCore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "MoorCommands", dependencies: [
            "MoorCore", "MoorSystem", "MoorEngine", "MoorJournal", "MoorProbe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "moor", dependencies: ["MoorCommands"]),
        .executableTarget(name: "moor-standin", dependencies: ["MoorStandIns"]),
        .target(name: "MoorTestSupport", dependencies: [
            "MoorCore", "MoorSystem", "MoorJournal", "MoorEngine", "MoorStandIns",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .testTarget(name: "MoorCoreTests", dependencies: ["MoorCore", "MoorSystem", "MoorTestSupport"]),
        .testTarget(name: "MoorSystemTests", dependencies: ["MoorSystem", "MoorTestSupport", "MoorStandIns"]),
        .testTarget(name: "MoorJournalTests", dependencies: ["MoorJournal", "MoorTestSupport"]),
        .testTarget(name: "MoorEngineTests", dependencies: ["MoorEngine", "MoorTestSupport", "MoorStandIns"]),
        .testTarget(name: "MoorProbeTests", dependencies: ["MoorProbe", "MoorTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "MoorCore", "MoorTestSupport", "MoorStandIns", "moor", "moor-standin",
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ]
)
