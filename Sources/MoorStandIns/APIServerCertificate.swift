import Crypto
import Foundation
import SwiftASN1
import X509

/// The API server certificate a stand-in node holds, with the names minikube puts in it.
public enum APIServerCertificate {
    public static func pem(names: [String], ips: [String]) throws -> String {
        let key = P256.Signing.PrivateKey()
        let issuer = try DistinguishedName { CommonName("minikubeCA") }
        let subject = try DistinguishedName { CommonName("minikube") }
        var alternatives: [GeneralName] = names.map { .dnsName($0) }
        for ip in ips {
            alternatives.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip.split(separator: ".").compactMap { UInt8($0) }))))
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            SubjectAlternativeNames(alternatives)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400 * 365 * 3),
            issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(key))
        return try certificate.serializeAsPEM().pemString + "\n"
    }
}
