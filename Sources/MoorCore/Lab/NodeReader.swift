import Yams

/// Collects problems while a YAML tree is read, and bounds the work (aliases can make a
/// small file describe a huge tree).
final class ReadContext {
    var diagnostics: [Diagnostic] = []
    var budget = 200_000

    func error(_ position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(position, message))
    }
}

/// A YAML node with a position and a path for messages; reads typed values and records
/// a positioned problem instead of throwing, so one pass reports everything.
struct NodeReader {
    let node: Node
    let path: String
    let context: ReadContext

    /// The path for messages: `cluster.cpus`, or "the top level".
    var name: String { path.isEmpty ? "the top level" : "`\(path)`" }

    var position: SourcePosition {
        node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
    }

    func error(_ message: String) { context.error(position, message) }

    /// True for `~`, `null` and an empty plain value: treated as "not given".
    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private var kind: String {
        switch node {
        case .scalar: return "a value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func string() -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(name) must be a string, found \(kind)")
            return nil
        }
        return scalar.string
    }

    func int(min: Int = Int.min) -> Int? {
        guard case .scalar(let scalar) = node else {
            error("\(name) must be a whole number, found \(kind)")
            return nil
        }
        guard scalar.style == .plain, let value = Int(scalar.string) else {
            error("\(name) must be a whole number, found `\(scalar.string)`")
            return nil
        }
        guard value >= min else {
            error("\(name) must be at least \(min), found \(value)")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else {
            error("\(name) must be true or false")
            return nil
        }
        switch scalar.string {
        case "true", "True", "TRUE", "yes": return true
        case "false", "False", "FALSE", "no": return false
        default:
            error("\(name) must be true or false, found `\(scalar.string)`")
            return nil
        }
    }

    func list() -> [NodeReader]? {
        guard case .sequence(let sequence) = node else {
            error("\(name) must be a list, found \(kind)")
            return nil
        }
        context.budget -= sequence.count
        guard context.budget > 0 else {
            error("the file describes too many values (aliases expanding?)")
            return nil
        }
        return sequence.enumerated().map { NodeReader(node: $1, path: "\(path)[\($0)]", context: context) }
    }

    func strings() -> [String]? {
        guard let items = list() else { return nil }
        let values = items.compactMap { $0.string() }
        return values.count == items.count ? values : nil
    }

    /// Reads a mapping whose keys must come from `keys`; reports unknown keys with a hint.
    func mapping(keys: [String]) -> MappingReader? {
        guard let entries = entries() else { return nil }
        for (key, reader) in entries where !keys.contains(key) {
            let hint = Suggest.closest(to: key, in: keys).map { "; did you mean `\($0)`?" } ?? ""
            context.error(reader.keyPosition, "unknown key `\(key)`\(path.isEmpty ? " at the top level" : " in `\(path)`")\(hint)")
        }
        return MappingReader(owner: self, entries: entries.filter { keys.contains($0.0) })
    }

    /// Reads a mapping whose keys are names chosen by the user (hosts, for example).
    func entries() -> [(String, KeyedReader)]? {
        guard case .mapping(let mapping) = node else {
            error("\(name) must be a mapping, found \(kind)")
            return nil
        }
        context.budget -= mapping.count
        guard context.budget > 0 else {
            error("the file describes too many values (aliases expanding?)")
            return nil
        }
        var result: [(String, KeyedReader)] = []
        for (keyNode, valueNode) in mapping {
            let keyReader = NodeReader(node: keyNode, path: path, context: context)
            guard case .scalar(let scalar) = keyNode else {
                keyReader.error("keys in `\(path)` must be plain names")
                continue
            }
            let childPath = path.isEmpty ? scalar.string : "\(path).\(scalar.string)"
            let value = NodeReader(node: valueNode, path: childPath, context: context)
            result.append((scalar.string, KeyedReader(keyPosition: keyReader.position, value: value)))
        }
        return result
    }
}

/// A value read under a key, remembering where the key stood.
struct KeyedReader {
    let keyPosition: SourcePosition
    let value: NodeReader
}

/// The known keys of one mapping.
struct MappingReader {
    let owner: NodeReader
    let entries: [(String, KeyedReader)]

    /// The value under `key`, or nil when absent or null.
    subscript(_ key: String) -> NodeReader? {
        guard let entry = entries.first(where: { $0.0 == key }), !entry.1.value.isNull else { return nil }
        return entry.1.value
    }

    func keyPosition(_ key: String) -> SourcePosition? {
        entries.first(where: { $0.0 == key })?.1.keyPosition
    }

    func has(_ key: String) -> Bool { entries.contains { $0.0 == key } }

    /// The value under a key that must be present.
    func required(_ key: String) -> NodeReader? {
        if let value = self[key] { return value }
        owner.error(owner.path.isEmpty ? "the file is missing the required key `\(key)`" : "`\(owner.path)` is missing the required key `\(key)`")
        return nil
    }
}
