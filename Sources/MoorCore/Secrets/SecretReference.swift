/// A secret reference in a template: `op://vault/item[/section]/field[?query]`, or moor's
/// `env://NAME` and `file://PATH` for people without 1Password (and for tests).
public struct SecretReference: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case op, env, file }

    public var scheme: Scheme
    /// Everything after `scheme://`, variables not yet expanded.
    public var body: String

    public var description: String { "\(scheme.rawValue)://\(body)" }

    /// 1Password parts: vault, item, section (or ""), field, query (or "").
    public var opParts: (vault: String, item: String, section: String, field: String, query: String)? {
        guard scheme == .op else { return nil }
        var path = Substring(body)
        var query = ""
        if let mark = path.firstIndex(of: "?") {
            query = String(path[path.index(after: mark)...])
            path = path[..<mark]
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 3: return (parts[0], parts[1], "", parts[2], query)
        case 4: return (parts[0], parts[1], parts[2], parts[3], query)
        default: return nil
        }
    }

    /// `$VAR`, `${VAR}` and `${VAR:-default}` replaced from `environment` (names are
    /// case-insensitive for `op`).
    public func expanded(_ environment: [String: String]) -> SecretReference {
        var out = ""
        var rest = Substring(body)
        func lookup(_ name: String) -> String? {
            environment[name] ?? environment.first { $0.key.uppercased() == name.uppercased() }?.value
        }
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if let split = inner.range(of: ":-") {
                    out += lookup(String(inner[..<split.lowerBound])).flatMap { $0.isEmpty ? nil : $0 } ?? String(inner[split.upperBound...])
                } else {
                    out += lookup(String(inner)) ?? ""
                }
            } else {
                let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest.dropFirst(name.count)
                out += name.isEmpty ? "$" : (lookup(String(name)) ?? "")
            }
        }
        return SecretReference(scheme: scheme, body: out + rest)
    }
}
