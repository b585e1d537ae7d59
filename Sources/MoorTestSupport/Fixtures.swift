import Foundation

/// The recorded tool outputs in `Tests/Fixtures` (copied from the project's shared fixtures;
/// `Tests/Fixtures/NOTES.md` says where each came from).
public enum Fixtures {
    /// The package root, found from this file's path.
    public static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// `Tests/Fixtures` in the package: a clone alone has everything the tests read.
    public static let directory: String = packageRoot + "/Tests/Fixtures"

    public static func path(_ relative: String) -> String { directory + "/" + relative }

    /// A fixture's text; a missing fixture is a test failure, never a skip.
    public static func text(_ relative: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path(relative)) else {
            throw FixtureMissing(path: path(relative))
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func files(in directory: String, suffix: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(directory)).filter { $0.hasSuffix(suffix) }.sorted()
            .map { "\(directory)/\($0)" }
    }

    public static func example(_ name: String = "homelab.yaml") throws -> String {
        try String(contentsOfFile: packageRoot + "/examples/" + name, encoding: .utf8)
    }
}

public struct FixtureMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "fixture not found: \(path)" }
}

/// A temporary directory, removed when the value goes away.
public final class Scratch: @unchecked Sendable {
    public let path: String

    public init(_ name: String = "moor-test") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func write(_ relative: String, _ text: String, mode: Int = 0o644) throws -> String {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }
}
