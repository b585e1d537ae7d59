import Foundation
import MoorCore
import MoorSystem

/// Reads the lab file from disk; every problem comes back positioned. The size is checked
/// before anything is read, and at most the loader's limit is ever read.
enum LabFileReader {
    static func load(_ path: String) throws -> LabFile {
        let bytes: [UInt8]
        do {
            bytes = try Files.readBounded(path, limit: YAMLGuard.maxBytes)
        } catch let error as SystemError {
            let why: String
            switch error.code {
            case .missingFile: why = "no such file; pass -f PATH or create moor.yaml (see examples/homelab.yaml)"
            case .tooLarge: why = "it is larger than \(YAMLGuard.maxBytes >> 20) MiB; a lab file is a few kilobytes"
            default: why = error.message
            }
            throw LabFileError(file: path, diagnostics: [Diagnostic(.start, "cannot read the lab file: \(why)")])
        }
        switch LabLoader.load(bytes: bytes, file: path) {
        case .success(let lab): return lab
        case .failure(let error): throw error
        }
    }
}
