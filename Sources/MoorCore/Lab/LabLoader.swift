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
            return Diagnostic(SourcePosition(line: mark.line, column: mark.column), "invalid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "`\($0)`" }.joined(separator: ", ")
            return Diagnostic(SourcePosition(line: context.mark.line, column: context.mark.column),
                              "duplicate key \(keys) in one mapping; keep one")
        case .reader(let problem, let offset, _, _):
            return Diagnostic(position(ofByte: offset ?? 0, in: text), "invalid YAML: \(problem)")
        default:
            return Diagnostic(.start, "invalid YAML")
        }
    }

    static func position(ofByte offset: Int, in text: String) -> SourcePosition {
        var line = 1, column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }
}
