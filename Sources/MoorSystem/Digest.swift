import Crypto
import Foundation

/// SHA-256 as lowercase hex, for comparing what moor applied without keeping it.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
