import Foundation
import NIOCore
import NIOSSL

/// The peer chain as the TLS handshake saw it (set on the event loop, read after).
final class ChainCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [NIOSSLCertificate] = []
    func set(_ chain: [NIOSSLCertificate]) { lock.withLock { stored = chain } }
    var certificates: [NIOSSLCertificate] { lock.withLock { stored } }
}

enum TLSSetup {
    static func context(_ options: TLSOptions, http: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        // Verification is ours (CertificateInspector), so the chain is reported even when bad.
        configuration.certificateVerification = .noHostnameVerification
        // No system store for OpenSSL to load: the custom callback accepts, and moor verifies.
        configuration.trustRoots = .certificates([])
        if http { configuration.applicationProtocols = ["http/1.1"] }
        if let certificate = options.certificatePEM, let key = options.keyPEM {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI carries DNS names only.
    static func sni(_ name: String) -> String? {
        (try? SocketAddress(ipAddress: name, port: 0)) == nil ? name : nil
    }
}
