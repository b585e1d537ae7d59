import MoorCore
import Foundation
import SwiftASN1
import X509

/// Checks fetched key material before anything is written: each file is PEM of the right
/// kind, the key belongs to the certificate, and the certificate was issued by the CA.
public enum ClientIdentity {
    public struct Invalid: Error, Sendable, CustomStringConvertible, Equatable {
        public var description: String
    }

    public static func validate(ca: [UInt8], certificate: [UInt8], key: [UInt8]) throws {
        let caCertificate: Certificate
        let clientCertificate: Certificate
        let privateKey: Certificate.PrivateKey
        do { caCertificate = try Certificate(pemEncoded: String(decoding: ca, as: UTF8.self)) } catch {
            throw Invalid(description: "ca.crt is not a PEM certificate")
        }
        do { clientCertificate = try Certificate(pemEncoded: String(decoding: certificate, as: UTF8.self)) } catch {
            throw Invalid(description: "client.crt is not a PEM certificate")
        }
        do { privateKey = try Certificate.PrivateKey(pemEncoded: String(decoding: key, as: UTF8.self)) } catch {
            throw Invalid(description: "client.key is not a PEM private key")
        }
        guard privateKey.publicKey == clientCertificate.publicKey else {
            throw Invalid(description: "client.key does not belong to client.crt (their public keys differ)")
        }
        guard clientCertificate.issuer == caCertificate.subject,
              caCertificate.publicKey.isValidSignature(clientCertificate.signature, for: clientCertificate) else {
            throw Invalid(description: "client.crt was not issued by ca.crt (issuer \(clientCertificate.issuer))")
        }
    }

    /// The DNS and IP names of a PEM certificate (the API server's, read from the node).
    public static func names(inPEM pem: String) -> [String]? {
        guard let certificate = try? Certificate(pemEncoded: pem) else { return nil }
        return CertificateInspector.subjectAlternativeNames(certificate)
    }

    /// The subject and expiry of each certificate in a PEM bundle.
    public static func expiries(inPEM pem: [UInt8]) -> [(subject: String, notAfter: Date)] {
        guard let documents = try? PEMDocument.parseMultiple(pemString: String(decoding: pem, as: UTF8.self)) else { return [] }
        return documents.compactMap { try? Certificate(pemDocument: $0) }.map { ($0.subject.description, $0.notValidAfter) }
    }
}

extension ClientIdentity.Invalid: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.unreadable, description) }
}
