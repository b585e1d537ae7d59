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
            let certificateName = options.certificateSource.map { "the client certificate \($0)" } ?? "the client certificate"
            let keyName = options.keySource.map { "the client key \($0)" } ?? "the client key"
            let chain: [NIOSSLCertificate]
            do { chain = try NIOSSLCertificate.fromPEMBytes(certificate) } catch {
                throw Problem(message: "\(certificateName) is not a PEM certificate")
            }
            guard !chain.isEmpty else { throw Problem(message: "\(certificateName) holds no certificate") }
            configuration.certificateChain = chain.map { .certificate($0) }
            do { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem)) } catch {
                throw Problem(message: "\(keyName) is not a PEM private key (or it is encrypted: moor needs it unencrypted)")
            }
            do { return try NIOSSLContext(configuration: configuration) } catch {
                throw Problem(message: "\(keyName) does not belong to \(certificateName)")
            }
        }
        do { return try NIOSSLContext(configuration: configuration) } catch {
            throw Problem(message: "cannot set up TLS here")
        }
    }

    /// A client identity moor cannot use, in words naming the file.
    struct Problem: Error {
        var message: String
    }

    /// SNI carries DNS names only.
    static func sni(_ name: String) -> String? {
        (try? SocketAddress(ipAddress: name, port: 0)) == nil ? name : nil
    }
}
