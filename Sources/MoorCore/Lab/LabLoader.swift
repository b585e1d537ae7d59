import Yams

/// Turns lab-file bytes into a `LabFile`, or every problem found, each with a position.
public enum LabLoader {
    public static func load(bytes: [UInt8], file: String) -> Result<LabFile, LabFileError> {
        let text: String
        switch YAMLGuard.text(from: bytes) {
        case .success(let decoded): text = decoded
        case .failure(let diagnostic): return .failure(LabFileError(file: file, diagnostics: [diagnostic]))
        }
        return load(text: text, file: file)
    }

    public static func load(text: String, file: String) -> Result<LabFile, LabFileError> {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .failure(LabFileError(file: file, diagnostics: [Diagnostic(.start, "the file is empty; it needs at least `version: 1`")]))
            }
            root = node
        } catch {
            return .failure(LabFileError(file: file, diagnostics: [diagnostic(for: error, in: text)]))
        }
        let context = ReadContext()
        let lab = LabDecoder.decode(NodeReader(node: root, path: "", context: context))
        if let lab, context.diagnostics.isEmpty { return .success(lab) }
        let diagnostics = context.diagnostics.isEmpty ? [Diagnostic(.start, "the file could not be read")] : context.diagnostics
        return .failure(LabFileError(file: file, diagnostics: diagnostics))
    }

    /// A YAML syntax error, positioned as the parser saw it.
    static func diagnostic(for error: any Error, in text: String) -> Diagnostic {
        guard let yaml = error as? YamlError else { return Diagnostic(.start, "the file is not valid YAML") }
        switch yaml {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text), " } ?? ""
            let position = SourcePosition(line: mark.line, column: mark.column)
            if let tab = tabPosition(near: position, in: text) {
                return Diagnostic(tab, "a tab character: YAML indents with spaces only; replace the tab with spaces")
            }
            return Diagnostic(position, "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = Array(Set(duplicates)).sorted()
            let first = SourcePosition(line: context.mark.line, column: context.mark.column)
            let again = keys.compactMap { repeated(key: $0, after: first, in: text) }.min() ?? first
            let name = keys.map { "`\($0)`" }.joined(separator: ", ")
            return Diagnostic(again, "duplicate key \(name) (first at line \(first.line)); keep one")
        case .reader(let problem, let offset, _, _):
            return Diagnostic(position(ofByte: offset ?? 0, in: text), "invalid YAML: \(problem)")
        default:
            return Diagnostic(.start, "invalid YAML")
        }
    }

    /// Where `key` appears again in the mapping whose first occurrence is at `first`: the next
    /// line whose key starts at the same column, before the mapping ends (a line that starts
    /// further left: a dedent, or the `- ` of the next list item).
    static func repeated(key: String, after first: SourcePosition, in text: String) -> SourcePosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let column = first.column
        for index in first.line..<lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if body.isEmpty || body.hasPrefix("#") { continue }
            if indent + 1 < column { return nil }
            guard indent + 1 == column else { continue }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where body.hasPrefix(candidate) {
                let rest = body.dropFirst(candidate.count).drop { $0 == " " }
                if rest.hasPrefix(":") { return SourcePosition(line: index + 1, column: column) }
            }
        }
        return nil
    }

    /// The tab at or before `position` on its line, if the scanner stopped at one.
    static func tabPosition(near position: SourcePosition, in text: String) -> SourcePosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for lineNumber in [position.line, position.line + 1] where lineNumber >= 1 && lineNumber <= lines.count {
            let line = Array(lines[lineNumber - 1])
            let limit = lineNumber == position.line ? min(line.count, position.column) : line.count
            let leading = line.prefix { $0 == " " || $0 == "\t" }
            if let tab = line.prefix(limit).firstIndex(of: "\t"), tab < max(leading.count, 1) || lineNumber == position.line && tab == position.column - 1 {
                return SourcePosition(line: lineNumber, column: tab + 1)
            }
        }
        return nil
    }

    static func position(ofByte offset: Int, in text: String) -> SourcePosition {
        var line = 1, column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }
}
