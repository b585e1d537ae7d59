/// Every regular file of a volume tree with its size and sha256, computed inside the node:
/// what a backup must hold, checked before anything is deleted and after a restore.
public struct BackupManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var size: Int
        public var sha256: String

        public init(size: Int, sha256: String) {
            self.size = size
            self.sha256 = sha256
        }
    }

    /// Path relative to the tree (no leading `./`) → entry.
    public var files: [String: Entry]

    public init(files: [String: Entry]) { self.files = files }

    public var totalBytes: Int { files.values.reduce(0) { $0 + $1.size } }

    /// Run in the node with the tree as `$1`: `size NUL sha256 NUL ./path NUL` a file, so any
    /// name (spaces, newlines, a leading dash) comes through. The hash is OpenSSL's where the
    /// node has it (SHA extensions: 0.9 s a GB here, against coreutils' sha256sum's 5.7 s),
    /// else sha256sum's; both read the file on stdin, so its name never reaches them.
    public static let script = #"cd "$1" && if command -v openssl >/dev/null 2>&1; then h="openssl dgst -sha256 -r"; else h=sha256sum; fi; find . -type f -exec sh -c 'h=$1; shift; for f; do printf "%s\0%s\0%s\0" "$(wc -c < "$f" | tr -d " ")" "$($h < "$f" | cut -d " " -f 1)" "$f"; done' sh "$h" {} +"#

    public static func parse(_ bytes: [UInt8]) throws -> BackupManifest {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var files: [String: Entry] = [:]
        var index = 0
        while index + 2 < fields.count {
            guard let size = Int(fields[index]), fields[index + 1].count == 64 else {
                throw ToolOutputError(tool: "the backup manifest", problem: "cannot read entry \(index / 3 + 1)")
            }
            files[normalize(fields[index + 2])] = Entry(size: size, sha256: fields[index + 1])
            index += 3
        }
        return BackupManifest(files: files)
    }

    public static func normalize(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }

    /// What differs between two manifests (the node's and the backup's), named by file.
    public func differences(from other: BackupManifest) -> [String] {
        var problems: [String] = []
        for path in files.keys.sorted() {
            guard let theirs = other.files[path] else { problems.append("\(path) is missing"); continue }
            if theirs != files[path] { problems.append("\(path) differs (\(theirs.size) bytes, sha256 \(theirs.sha256.prefix(12))… instead of \(files[path]!.size) bytes, \(files[path]!.sha256.prefix(12))…)") }
        }
        for path in other.files.keys.sorted() where files[path] == nil { problems.append("\(path) is not in the original") }
        return problems
    }
}
