import Foundation
import MoorCore

/// Reads the lab file from disk; every problem comes back positioned.
enum LabFileReader {
    static func load(_ path: String) throws -> LabFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let why = !exists ? "no such file; pass -f PATH or create moor.yaml (see examples/homelab.yaml)"
                : isDirectory.boolValue ? "it is a directory" : "it is not readable"
            throw LabFileError(file: path, diagnostics: [Diagnostic(.start, "cannot read the lab file: \(why)")])
        }
        switch LabLoader.load(bytes: [UInt8](data), file: path) {
        case .success(let lab): return lab
        case .failure(let error): throw error
        }
    }
}
