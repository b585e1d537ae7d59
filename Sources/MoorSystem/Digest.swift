import Crypto
import Foundation
import MoorCore

/// SHA-256 as lowercase hex, for comparing what moor applied without keeping it.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 in base64, as a Content-Security-Policy source (`'sha256-…'`) names an inline
    /// script or style.
    public static func sha256Base64(_ text: String) -> String {
        Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString()
    }

    /// A file's SHA-256 (hex) and size, read 64 KiB at a time.
    public static func sha256(file path: String) throws -> (hex: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MoorError(.fileMissing, "cannot open \(path)")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty {
            hash.update(data: chunk)
            bytes += chunk.count
        }
        return (hash.finalize().map { String(format: "%02x", $0) }.joined(), bytes)
    }
}
