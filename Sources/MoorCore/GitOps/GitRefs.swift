/// `git ls-remote` output (`<sha>\t<ref>` lines) → the commit a revision names: a branch
/// first, then a tag (peeled, for annotated tags).
public enum GitRefs {
    public static func isCommit(_ revision: String) -> Bool {
        revision.count == 40 && revision.allSatisfy { $0.isHexDigit }
    }

    public static func resolve(_ output: String, revision: String) -> String? {
        var refs: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { refs[String(parts[1])] = String(parts[0]) }
        }
        for name in ["refs/heads/\(revision)", "refs/tags/\(revision)^{}", "refs/tags/\(revision)", revision] {
            if let sha = refs[name] { return sha }
        }
        return nil
    }
}
