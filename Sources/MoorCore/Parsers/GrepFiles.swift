/// `grep -r '' DIR` prints every line of every file as `PATH:LINE`; this rebuilds the
/// files moor asked about. Paths are matched by known prefix, so a `:` inside a path
/// (a `host:port` registry directory) is fine.
public enum GrepFiles {
    /// `paths` are the files asked for by name; `endingIn` (`/hosts.toml`) takes any other
    /// file whose path ends so, up to the first `<suffix>:` of its line.
    public static func parse(_ output: String, paths: [String], endingIn suffix: String? = nil) -> [String: String] {
        let ordered = paths.sorted { $0.count > $1.count }
        var lines: [String: [Substring]] = [:]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            var found = ordered.first(where: { line.hasPrefix($0 + ":") })
            if found == nil, let suffix, let end = line.range(of: suffix + ":") {
                found = String(line[..<end.lowerBound]) + suffix
            }
            guard let path = found else { continue }
            lines[path, default: []].append(line.dropFirst(path.count + 1))
        }
        return lines.mapValues { $0.joined(separator: "\n") + "\n" }
    }
}
