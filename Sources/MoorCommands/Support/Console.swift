import Foundation
import MoorEngine

/// stdout is data, stderr is everything else.
public enum Console {
    public static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    public static func err(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// One JSON document on stdout: sorted keys, ISO 8601 dates.
    public static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        out(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

/// Progress lines on stderr, prefixed so they never pass for data.
public struct StderrProgress: ProgressReporter {
    public init() {}
    public func note(_ line: String) { Console.err("moor: \(line)") }
}

/// A JSON document with one more key: `base`'s keys, then `key` (written as null when `value`
/// is nil and `nullWhenAbsent`, else left out). Keeps `-o json` one document.
struct JSONWithField<Base: Encodable, Value: Encodable>: Encodable {
    var base: Base
    var key: String
    var value: Value?
    var nullWhenAbsent: Bool

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        if nullWhenAbsent { try container.encode(value, forKey: Key(stringValue: key)) } else {
            try container.encodeIfPresent(value, forKey: Key(stringValue: key))
        }
    }
}
