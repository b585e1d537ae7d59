import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its key, as PEM, made in the test.
public struct TestIdentity: Sendable {
    public var certificate: Certificate
    public var key: P256.Signing.PrivateKey
    public var certificatePEM: String
    public var keyPEM: String { key.pemRepresentation }
    public var name: String
}

/// Certificates generated in-process: a CA, and leaves it signs with chosen names and dates.
public enum TestPKI {
    public static func authority(_ name: String = "moor test CA", notAfter: Date = Date().addingTimeInterval(86_400 * 365)) throws -> TestIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-86_400), notValidAfter: notAfter,
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        return TestIdentity(certificate: certificate, key: key, certificatePEM: try certificate.serializeAsPEM().pemString, name: name)
    }

    /// A leaf for `commonName` with DNS and IP subject alternative names, signed by `issuer`
    /// (self-signed when nil).
    public static func leaf(_ commonName: String, dns: [String] = [], ips: [String] = [], issuer: TestIdentity?,
                            notBefore: Date = Date().addingTimeInterval(-3600),
                            notAfter: Date = Date().addingTimeInterval(86_400 * 90)) throws -> TestIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(commonName) }
        var names: [GeneralName] = dns.map { .dnsName($0) }
        for ip in ips {
            let bytes = ip.split(separator: ".").compactMap { UInt8($0) }
            names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            SubjectAlternativeNames(names)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuer?.certificate.subject ?? subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(issuer?.key ?? key))
        return TestIdentity(certificate: certificate, key: key, certificatePEM: try certificate.serializeAsPEM().pemString, name: commonName)
    }
}
