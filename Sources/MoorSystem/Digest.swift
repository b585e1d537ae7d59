import Crypto
import Foundation

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
}
