/// `--only a,b` and `--only a --only b` mean the same, for every command that takes a list.
enum CommaList {
    /// Each value split on commas and trimmed; a value that is itself one of `known` (a check
    /// whose name holds a comma) is kept whole.
    static func split(_ values: [String], known: Set<String> = []) -> [String] {
        values.flatMap { value -> [String] in
            if known.contains(value) { return [value] }
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }
}
