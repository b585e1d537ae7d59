/// `head -n N FILE…` with several files prints each as `==> FILE <==` and its lines, with a
/// blank line between files; this splits that back into files (one remote command, many files).
public enum HeadFiles {
    public static func parse(_ output: String) -> [String: String] {
        var files: [String: [Substring]] = [:]
        var current: String?
        var order: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("==> "), line.hasSuffix(" <=="), line.count >= 8 {
                if let current, files[current]?.last == "" { files[current]?.removeLast() }
                let name = String(line.dropFirst(4).dropLast(4))
                current = name
                order.append(name)
                files[name] = []
            } else if let current {
                files[current]?.append(line)
            }
        }
        if let last = order.last, files[last]?.last == "" { files[last]?.removeLast() }
        return files.mapValues { $0.isEmpty ? "" : $0.joined(separator: "\n") + "\n" }
    }
}
