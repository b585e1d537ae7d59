import Foundation
import NIOSSL
import X509

/// What every probe of a run shares instead of building again: one NIOSSL context per
/// distinct TLS setup (client identity, ALPN), and the parsed trust roots of each `ca:` (the
/// system roots are parsed once per process). Verification is moor's own, so no context loads
/// the system store into OpenSSL: that load was most of a TLS probe's CPU.
final class ProbeCaches: @unchecked Sendable {
    private let lock = NSLock()
    private var contexts: [ContextKey: NIOSSLContext] = [:]
    private var trusts: [[UInt8]: Trust] = [:]

    struct ContextKey: Hashable {
        var certificate: [UInt8]?
        var key: [UInt8]?
        var http: Bool
    }

    /// Parsed roots and the store built from them.
    struct Trust: @unchecked Sendable {
        var roots: [Certificate]
        var store: CertificateStore
        /// Which roots these are, said in the result.
        var source: String
    }

    /// How many contexts and trust sets were built (for tests).
    var counts: (contexts: Int, trusts: Int) { lock.withLock { (contexts.count, trusts.count) } }

    func context(_ options: TLSOptions, http: Bool) throws -> NIOSSLContext {
        let key = ContextKey(certificate: options.certificatePEM, key: options.keyPEM, http: http)
        if let cached = lock.withLock({ contexts[key] }) { return cached }
        let context = try TLSSetup.context(options, http: http)
        return lock.withLock {
            if let raced = contexts[key] { return raced }
            contexts[key] = context
            return context
        }
    }

    /// The roots to verify against: the given CA's, or the system's.
    func trust(caPEM: [UInt8]?, caSource: String? = nil) throws -> Trust {
        let key = caPEM ?? []
        if let cached = lock.withLock({ trusts[key] }) { return cached }
        let roots: [Certificate]
        let source: String
        if let caPEM {
            roots = try CertificateInspector.parsePEMCertificates(caPEM)
            source = "the given CA\(caSource.map { " (\($0))" } ?? "") (\(roots.count) certificate\(roots.count == 1 ? "" : "s"))"
        } else {
            let system = try SystemRoots.load()
            roots = system.roots
            source = "system roots: \(system.source) (\(roots.count) certificates)"
        }
        let trust = Trust(roots: roots, store: CertificateStore(roots), source: source)
        lock.withLock { trusts[key] = trust }
        return trust
    }
}
