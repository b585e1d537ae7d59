/// Enough of TOML to compare hosts.toml files: tables with dotted and quoted keys, strings,
/// booleans, integers and (nested, multi-line) arrays. Anything else is an error, which the
/// caller treats as "different", so an odd file is rewritten rather than trusted.
public enum TOMLSubset {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case array([Value])
        case table([String: Value])
    }

    public struct ParseError: Error, Sendable {
        public var line: Int
        public var problem: String
    }

    public static func parse(_ text: String) throws -> [String: Value] {
        var root: [String: Value] = [:]
        var tablePath: [String] = []
        var pending = ""
        var pendingLine = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingSpaces
            if line.isEmpty && pending.isEmpty { continue }
            if pending.isEmpty { pendingLine = index + 1 }
            pending += pending.isEmpty ? line : " " + line
            if bracketBalance(pending) > 0 { continue }
            let statement = pending
            pending = ""
            var scanner = Scanner(Array(statement.unicodeScalars), line: pendingLine)
            if statement.hasPrefix("[") {
                scanner.skip("[")
                tablePath = try scanner.keyPath()
                try scanner.expect("]")
                try scanner.end()
                try insert(.table([:]), at: tablePath, into: &root, line: pendingLine, merge: true)
            } else {
                let key = try scanner.keyPath()
                try scanner.expect("=")
                let value = try scanner.value()
                try scanner.end()
                try insert(value, at: tablePath + key, into: &root, line: pendingLine, merge: false)
            }
        }
        if !pending.isEmpty { throw ParseError(line: pendingLine, problem: "unclosed bracket") }
        return root
    }

    static func insert(_ value: Value, at path: [String], into table: inout [String: Value], line: Int, merge: Bool) throws {
        guard let head = path.first else { return }
        if path.count == 1 {
            if let existing = table[head] {
                if merge, case .table = existing { return }
                throw ParseError(line: line, problem: "key `\(head)` is defined twice")
            }
            table[head] = value
            return
        }
        var child: [String: Value] = [:]
        if let existing = table[head] {
            guard case .table(let inner) = existing else { throw ParseError(line: line, problem: "`\(head)` is not a table") }
            child = inner
        }
        try insert(value, at: Array(path.dropFirst()), into: &child, line: line, merge: merge)
        table[head] = .table(child)
    }

    static func stripComment(_ line: String) -> String {
        var inString: Character?
        var escaped = false
        var out = ""
        for c in line {
            if let q = inString {
                if escaped { escaped = false } else if c == "\\" && q == "\"" { escaped = true } else if c == q { inString = nil }
            } else if c == "\"" || c == "'" {
                inString = c
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out
    }

    static func bracketBalance(_ text: String) -> Int {
        var depth = 0
        var inString: Character?
        var escaped = false
        for c in text {
            if let q = inString {
                if escaped { escaped = false } else if c == "\\" && q == "\"" { escaped = true } else if c == q { inString = nil }
            } else if c == "\"" || c == "'" { inString = c } else if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
        }
        return depth
    }
}
