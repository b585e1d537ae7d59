import Foundation
import X509
#if canImport(Security)
import Security
#endif

/// The operating system's own trust anchors where it has an API for them: on macOS, the
/// certificates the keychain trusts as roots. Elsewhere nil, and moor reads a CA bundle file.
enum PlatformTrust {
    /// How the result names these roots.
    static var name: String? {
        #if canImport(Security) && os(macOS)
        "the macOS keychain's trust anchors"
        #else
        nil
        #endif
    }

    static func anchors() -> (roots: [Certificate], source: String)? {
        #if canImport(Security) && os(macOS)
        var copied: CFArray?
        guard SecTrustCopyAnchorCertificates(&copied) == errSecSuccess, let list = copied as? [SecCertificate] else { return nil }
        let roots = list.compactMap { certificate -> Certificate? in
            let der = SecCertificateCopyData(certificate) as Data
            return try? Certificate(derEncoded: Array(der))
        }
        return (roots, name ?? "system")
        #else
        return nil
        #endif
    }
}
