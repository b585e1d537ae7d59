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
    ],
    targets: [
        .target(name: "MoorCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "MoorSystem", dependencies: [
            "MoorCore",
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MoorJournal", dependencies: [
            "MoorCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "MoorEngine", dependencies: [
            "MoorCore", "MoorSystem", "MoorJournal",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MoorStandIns"),
        .target(name: "MoorCommands", dependencies: [
            "MoorCore", "MoorSystem", "MoorEngine", "MoorJournal", "MoorStandIns",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "moor", dependencies: ["MoorCommands", "moor-standin"]),
        .executableTarget(name: "moor-standin", dependencies: ["MoorStandIns"]),
        .target(name: "MoorTestSupport", dependencies: ["MoorCore", "MoorSystem", "MoorJournal", "MoorEngine"]),
        .testTarget(name: "MoorCoreTests", dependencies: ["MoorCore", "MoorTestSupport"]),
        .testTarget(name: "MoorSystemTests", dependencies: ["MoorSystem", "MoorTestSupport", "MoorStandIns"]),
        .testTarget(name: "MoorJournalTests", dependencies: ["MoorJournal", "MoorTestSupport"]),
        .testTarget(name: "MoorEngineTests", dependencies: ["MoorEngine", "MoorTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MoorCore", "MoorTestSupport", "MoorStandIns", "moor", "moor-standin"]),
    ]
)
