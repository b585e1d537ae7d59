import Foundation
import MoorCore
import MoorSystem

/// Reads the lab file from disk; every problem comes back positioned. The size is checked
/// before anything is read, and at most the loader's limit is ever read.
enum LabFileReader {
    /// The lab file, limited to one cluster with `--cluster`.
    static func load(_ path: String, cluster: String?) throws -> LabFile {
        let lab = try load(path)
        return try cluster.map { try lab.limited(to: $0) } ?? lab
    }

    static func load(_ path: String) throws -> LabFile {
        let bytes: [UInt8]
        do {
            bytes = try Files.readBounded(path, limit: YAMLGuard.maxBytes)
        } catch let error as MoorError {
            switch error.code {
            case .fileMissing:
                throw MoorError(.noInput, "cannot read the lab file \(path): no such file; pass -f PATH, set MOOR_FILE, or create moor.yaml (see examples/homelab.yaml)", cause: error)
            case .tooLarge:
                throw LabFileError(file: path, diagnostics: [Diagnostic(.start, "the lab file is larger than \(YAMLGuard.maxBytes >> 20) MiB; a lab file is a few kilobytes")])
            default:
                throw MoorError(.noInput, "cannot read the lab file \(path): \(Self.reason(error.message, path: path))", cause: error)
            }
        }
        switch LabLoader.load(bytes: bytes, file: path) {
        case .success(let lab): return lab
        case .failure(let error): throw error
        }
    }

    /// `cannot read X: Permission denied` → `permission denied`, without the path twice.
    static func reason(_ message: String, path: String) -> String {
        let prefix = "cannot read \(path): "
        guard message.hasPrefix(prefix) else { return message }
        let rest = message.dropFirst(prefix.count)
        return rest.prefix(1).lowercased() + rest.dropFirst()
    }
}
