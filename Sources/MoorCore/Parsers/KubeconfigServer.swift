/// The API server URL as `kubectl config view --minify -o jsonpath={.clusters[0].cluster.server}`
/// prints it (no trailing newline).
public enum KubeconfigServer {
    /// The port of `https://HOST:PORT`; nil when the URL names none.
    public static func port(of url: String) -> Int? {
        var rest = Substring(url.trimmingSpaces.trimmingNewlines)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":"), !rest[rest.index(after: colon)...].isEmpty else { return nil }
        let hostPart = rest[..<colon]
        if hostPart.contains(":") && !hostPart.hasSuffix("]") { return nil }
        return Int(rest[rest.index(after: colon)...])
    }
}

extension String {
    var trimmingNewlines: String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
