import Foundation
import NIOSSL
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Reads the peer's chain, checks dates, the requested name and the chain of trust (against
/// the system roots or a given CA), and says what is wrong in the words an operator needs.
enum CertificateInspector {
    struct Inspection: Sendable {
        var report: ProbeResult.Certificate
        /// Why the certificate must not be trusted, or nil.
        var problem: String?
    }

    static func inspect(_ chain: [NIOSSLCertificate], serverName: String, caPEM: [UInt8]?, trust: ProbeCaches.Trust,
                        now: Date = Date()) async throws -> Inspection {
        let certificates = try chain.map { try Certificate(derEncoded: try $0.toDERBytes()) }
        guard let leaf = certificates.first else { throw InspectionFailed(message: "the peer sent no certificate") }
        let sans = subjectAlternativeNames(leaf)
        let matches = nameMatches(serverName, sans: sans)
        let roots = trust.roots
        var verifier = Verifier(rootCertificates: trust.store) { RFC5280Policy(fixedExpiryValidationTime: now) }
        let verification = await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(certificates.dropFirst())))
        var verifyError: String?
        // A leaf that is itself one of the trusted certificates (a pinned self-signed one) is trusted.
        let pinned = roots.contains(leaf)
        if case .couldNotValidate(let failures) = verification, !pinned {
            let issuer = leaf.issuer.description
            verifyError = caPEM == nil
                ? "certificate signed by an unknown authority (issuer \(issuer)); give `ca:` to trust a private CA"
                : "certificate not signed by the given CA (issuer \(issuer))"
            if let reason = failures.first?.policyFailureReason.description, !reason.isEmpty, caPEM != nil, certificates.count > 1 {
                verifyError! += ": \(reason)"
            }
        }
        let report = ProbeResult.Certificate(
            subject: leaf.subject.description, issuer: leaf.issuer.description, sans: sans,
            notBefore: leaf.notValidBefore, notAfter: leaf.notValidAfter,
            earliestExpiry: certificates.map(\.notValidAfter).min() ?? leaf.notValidAfter,
            serverName: serverName, nameMatches: matches, verified: verifyError == nil, verifyError: verifyError,
            tlsVersion: nil, alpn: nil, chainLength: certificates.count, trust: trust.source)
        return Inspection(report: report, problem: problem(report, now: now))
    }

    /// Expiry first, then the name, then trust: the order in which a person fixes them.
    static func problem(_ report: ProbeResult.Certificate, now: Date) -> String? {
        if report.notAfter < now {
            return "certificate expired \(ago(now.timeIntervalSince(report.notAfter))) (\(iso(report.notAfter)))"
        }
        if report.notBefore > now {
            return "certificate is not valid until \(iso(report.notBefore))"
        }
        if !report.nameMatches {
            return "certificate valid for [\(report.sans.joined(separator: ", "))], not \(report.serverName)"
        }
        return report.verifyError
    }

    static func subjectAlternativeNames(_ certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            switch name {
            case .dnsName(let dns): return dns
            case .ipAddress(let octets): return ipText(Array(octets.bytes))
            default: return nil
            }
        }
    }

    static func ipText(_ bytes: [UInt8]) -> String? {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return nil }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// DNS names match case-insensitively, `*.example.com` one label deep; IPs exactly.
    static func nameMatches(_ name: String, sans: [String]) -> Bool {
        let wanted = name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return sans.contains { san in
            let candidate = san.lowercased()
            if candidate == wanted { return true }
            guard candidate.hasPrefix("*."), let dot = wanted.firstIndex(of: ".") else { return false }
            return wanted[dot...] == candidate.dropFirst() && !wanted[..<dot].isEmpty
        }
    }

    static func parsePEMCertificates(_ pem: [UInt8]) throws -> [Certificate] {
        let documents = try PEMDocument.parseMultiple(pemString: String(decoding: pem, as: UTF8.self))
        let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
        guard !certificates.isEmpty else { throw InspectionFailed(message: "the CA file holds no PEM certificate") }
        return certificates
    }

    static func ago(_ seconds: TimeInterval) -> String {
        let days = Int(seconds / 86_400)
        if days >= 1 { return days == 1 ? "1 day ago" : "\(days) days ago" }
        let hours = Int(seconds / 3600)
        return hours >= 1 ? "\(hours) hours ago" : "\(Int(seconds / 60)) minutes ago"
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

struct InspectionFailed: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The machine's trusted roots, read once from the usual bundle files.
/// The system's trust anchors: the keychain's on macOS (Security framework), else the first
/// CA bundle file found. None found is an error naming where moor looked, never an empty list
/// that fails every public certificate as "unknown authority".
enum SystemRoots {
    static let bundlePaths = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                              "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem"]

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func load() throws -> (roots: [Certificate], source: String) {
        switch cached {
        case .success(let found): return found
        case .failure(let missing): throw missing
        }
    }

    private static let cached = find(paths: bundlePaths, platform: PlatformTrust.anchors, platformName: PlatformTrust.name)

    /// The platform's anchors, else the first of `paths` that holds certificates.
    static func find(paths: [String], platform: () -> (roots: [Certificate], source: String)?,
                     platformName: String?) -> Result<([Certificate], String), Missing> {
        if let anchors = platform(), !anchors.roots.isEmpty { return .success(anchors) }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path),
                  let documents = try? PEMDocument.parseMultiple(pemString: String(decoding: data, as: UTF8.self)) else { continue }
            let roots = documents.compactMap { try? Certificate(pemDocument: $0) }
            if !roots.isEmpty { return .success((roots, path)) }
        }
        let looked = ((platformName.map { [$0] } ?? []) + paths).joined(separator: ", ")
        return .failure(Missing(description: "no system trust store: no certificates in \(looked); install the CA certificates (Debian: ca-certificates) or give `ca:`"))
    }
}
