/// Cheap checks on raw lab-file bytes before the YAML parser sees them, so that hostile
/// input (huge, binary, absurdly nested) is refused with a positioned message instead of
/// exhausting memory or the stack.
public enum YAMLGuard {
    /// Larger than any homelab description needs.
    public static let maxBytes = 1 << 20
    /// An upper bound on nesting; the parser recurses once a level.
    public static let maxDepth = 200

    /// Decodes the bytes as UTF-8 text, or returns the first problem.
    public static func text(from bytes: [UInt8]) -> Result<String, Diagnostic> {
        if bytes.count > maxBytes {
            let size = String(format1: Double(bytes.count) / 1_048_576)
            return .failure(Diagnostic(.start, "the file is \(size) MiB; a lab file may be at most 1 MiB"))
        }
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value == 0 || (scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r") {
                    return .failure(Diagnostic(SourcePosition(line: line, column: column),
                                               "the file contains a control character (U+\(hex(scalar.value))); is it a binary file?"))
                }
                text.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break loop
            case .error:
                return .failure(Diagnostic(SourcePosition(line: line, column: column),
                                           "the file is not valid UTF-8 text"))
            }
        }
        let string = String(text)
        if let problem = depthProblem(in: string) { return .failure(problem) }
        return .success(string)
    }

    /// Over-estimates how deep any line nests: its indentation, the structural indicators
    /// on it, and flow brackets left open by earlier lines. Quoted text is skipped.
    static func depthProblem(in text: String) -> Diagnostic? {
        var open = 0
        var quote: Character?
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var depth = 0
            var atLineStart = true
            var previous: Character = " "
            var chars = Array(line)
            if chars.last == "\r" { chars.removeLast() }
            var index = 0
            while index < chars.count {
                let c = chars[index]
                let next: Character = index + 1 < chars.count ? chars[index + 1] : " "
                defer { previous = c; index += 1 }
                if let q = quote {
                    if q == "\"" && c == "\\" { index += 1; continue }
                    if c == q { quote = nil }
                    continue
                }
                if atLineStart && c == " " { depth += 1; continue }
                atLineStart = false
                let tokenStart = previous == " " || previous == "\t" || "[{,:-?".contains(previous) || index == 0
                let isComment = c == "#" && (previous == " " || previous == "\t" || index == 0)
                let isIndicator = (c == "-" || c == "?" || c == ":") && (next == " " || next == "\t" || index + 1 == chars.count)
                if isComment {
                    index = chars.count
                } else if (c == "\"" || c == "'") && tokenStart {
                    quote = c
                } else if c == "[" || c == "{" {
                    open += 1
                } else if c == "]" || c == "}" {
                    open = max(0, open - 1)
                } else if isIndicator {
                    depth += 1
                }
                if depth + open > maxDepth {
                    return Diagnostic(SourcePosition(line: lineNumber, column: index + 1),
                                      "nesting is deeper than \(maxDepth) levels")
                }
            }
        }
        return nil
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension String {
    /// One decimal place, without Foundation's format machinery.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
