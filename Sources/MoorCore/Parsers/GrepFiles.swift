/// `grep -r '' DIR` prints every line of every file as `PATH:LINE`; this rebuilds the
/// files moor asked about. Paths are matched by known prefix, so a `:` inside a path
/// (a `host:port` registry directory) is fine.
public enum GrepFiles {
    public static func parse(_ output: String, paths: [String]) -> [String: String] {
        let ordered = paths.sorted { $0.count > $1.count }
        var lines: [String: [Substring]] = [:]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let path = ordered.first(where: { line.hasPrefix($0 + ":") }) else { continue }
            lines[path, default: []].append(line.dropFirst(path.count + 1))
        }
        return lines.mapValues { $0.joined(separator: "\n") + "\n" }
    }
}
