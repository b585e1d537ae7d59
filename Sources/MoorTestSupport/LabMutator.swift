import Foundation

/// A small deterministic generator, so a failing mutation can be replayed.
public struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Breaks a valid lab file in ways that must always be rejected.
public enum LabMutator {
    public static func mutate(_ text: String, with random: inout SeededRandom) -> (bytes: [UInt8], kind: String) {
        var bytes = Array(text.utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let keyLines = lines.indices.filter { index in
            let line = lines[index].drop { $0 == " " || $0 == "-" }
            return !line.hasPrefix("#") && line.contains(":") && !line.hasPrefix("indri") && !line.hasPrefix("sifaka")
                && line.first?.isLetter == true && !lines[index].contains("http")
        }
        switch Int.random(in: 0..<7, using: &random) {
        case 0:
            bytes.insert(0, at: Int.random(in: 0..<bytes.count, using: &random))
            return (bytes, "NUL byte")
        case 1:
            bytes.insert(0xFF, at: Int.random(in: 0..<bytes.count, using: &random))
            return (bytes, "invalid UTF-8")
        case 2:
            let cut = Int.random(in: 0..<bytes.count, using: &random)
            return (Array(bytes[..<cut]) + Array("\n\"unclosed: [".utf8), "truncated + unclosed")
        case 3:
            let index = keyLines.randomElement(using: &random)!
            lines[index] = misspell(lines[index])
            return (Array(lines.joined(separator: "\n").utf8), "misspelt key at line \(index + 1)")
        case 4:
            let index = keyLines.randomElement(using: &random)!
            let indent = lines[index].prefix { $0 == " " }
            lines.insert(indent + "bogusKey: 1", at: index + 1)
            return (Array(lines.joined(separator: "\n").utf8), "unknown key after line \(index + 1)")
        case 5:
            let index = Int.random(in: 0..<lines.count, using: &random)
            lines.insert("deep: " + String(repeating: "[", count: 300), at: index)
            return (Array(lines.joined(separator: "\n").utf8), "deep nesting at line \(index + 1)")
        default:
            let numeric = ["cpus:", "port:", "version:"]
            let candidates = lines.indices.filter { index in numeric.contains { lines[index].trimmingCharacters(in: .whitespaces).hasPrefix($0) } }
            let index = candidates.randomElement(using: &random)!
            let key = lines[index].prefix { $0 != ":" }
            lines[index] = key + ": [not, a, number]"
            return (Array(lines.joined(separator: "\n").utf8), "wrong type at line \(index + 1)")
        }
    }

    /// Drops one letter of the key on the line (`cpus` → `cps`).
    static func misspell(_ line: String) -> String {
        let indent = line.prefix { $0 == " " || $0 == "-" }
        let rest = line.dropFirst(indent.count)
        guard let colon = rest.firstIndex(of: ":") else { return line }
        var key = String(rest[..<colon])
        key.remove(at: key.index(key.startIndex, offsetBy: key.count / 2))
        return indent + key + "x" + rest[colon...]
    }
}
