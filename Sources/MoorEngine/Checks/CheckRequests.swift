import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// Builds probe requests from checks: reads CA, certificate and key files, or takes them
/// from a kubeconfig context. Key bytes live only in memory.
struct CheckRequests: Sendable {
    let lab: LabFile
    let environment: [String: String]
    let home: String
    let files: any FileAccess
    /// A fleet names the same CA file in every check: read each file once a run.
    let cache = FileCache()
    /// Relative `ca`, `cert` and `key` paths are relative to the lab file's directory.
    let baseDirectory: String

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    func request(for check: CheckSpec) throws -> ProbeRequest {
        let target: ProbeTarget?
        switch check.target {
        case .url(let url): target = ProbeTarget.parse(url)
        case .tcp(let address): target = ProbeTarget.parse(address)
        case .tls(let address): target = ProbeTarget.parse("tls://" + address)
        case .postgres(let address): target = ProbeTarget.parse("postgres://" + address)
        case .command: target = nil
        }
        guard let target else { throw Problem(description: "cannot read the target of check `\(check.name)`") }
        var tls = TLSOptions(serverName: check.serverName, insecure: check.insecure)
        if let context = check.kubeconfig { try applyKubeconfig(context, to: &tls) }
        let base = baseDirectory.isEmpty ? nil : baseDirectory
        if let ca = check.ca {
            tls.caPEM = try read(ca, what: "ca", relativeTo: base)
            tls.caSource = ca
        }
        if let cert = check.cert, let key = check.key {
            tls.certificatePEM = try read(cert, what: "cert", relativeTo: base)
            tls.keyPEM = try read(key, what: "key", relativeTo: base)
            (tls.certificateSource, tls.keySource) = (cert, key)
        }
        let http = HTTPOptions(method: check.method ?? "GET", headers: check.headers, body: check.body.map { Array($0.utf8) })
        return ProbeRequest(target: target, timeout: .milliseconds(check.timeoutMilliseconds), tls: tls, http: http)
    }

    func read(_ path: String, what: String, relativeTo base: String? = nil) throws -> [UInt8] {
        var full = Files.expandTilde(path, home: home)
        if let base, !full.hasPrefix("/") { full = base + "/" + full }
        do {
            return try cache.bytes(full) { try files.read(full, limit: 1 << 20) }
        } catch let error as MoorError {
            throw Problem(description: "cannot read the \(what) file \(full): \(error.message)")
        }
    }

    /// Where to look for a context: the lab's remote-access kubeconfig, `$KUBECONFIG`'s files,
    /// then `~/.kube/config`.
    func kubeconfigPaths(for context: String) -> [String] {
        var paths: [String] = []
        if let access = lab.remoteAccess, access.context == context { paths.append(Files.expandTilde(access.path, home: home)) }
        if let list = environment["KUBECONFIG"] { paths += list.split(separator: ":").map(String.init) }
        paths.append(home + "/.kube/config")
        return paths
    }

    func applyKubeconfig(_ context: String, to tls: inout TLSOptions) throws {
        for path in kubeconfigPaths(for: context) {
            let text: String
            do { text = try files.readText(path, limit: 4 << 20) } catch let error as MoorError where error.code == .fileMissing {
                continue
            } catch let error as MoorError {
                throw Problem(description: "cannot read the kubeconfig \(path): \(error.message)")
            }
            let config: Kubeconfig
            do { config = try Kubeconfig.parse(text) } catch {
                throw Problem(description: "cannot read the kubeconfig \(path): \(MoorError.from(error).message)")
            }
            guard config.contexts[context] != nil else { continue }
            let (cluster, user) = try config.resolve(context: context)
            let base = (path as NSString).deletingLastPathComponent
            tls.caPEM = try cluster.certificateAuthorityData ?? cluster.certificateAuthority.map { try read($0, what: "certificate-authority", relativeTo: base) }
            let label = "of kubeconfig context \(context) (\(path))"
            (tls.caSource, tls.certificateSource, tls.keySource) = (label, label, label)
            tls.serverName = tls.serverName ?? cluster.tlsServerName
            if cluster.insecureSkipTLSVerify { tls.insecure = true }
            if let user {
                tls.certificatePEM = try user.clientCertificateData ?? user.clientCertificate.map { try read($0, what: "client-certificate", relativeTo: base) }
                tls.keyPEM = try user.clientKeyData ?? user.clientKey.map { try read($0, what: "client-key", relativeTo: base) }
            }
            return
        }
        throw Problem(description: "no kubeconfig defines the context `\(context)` (looked in \(kubeconfigPaths(for: context).joined(separator: ", ")))")
    }
}

/// File contents by path, read once.
final class FileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var contents: [String: [UInt8]] = [:]

    func bytes(_ path: String, read: () throws -> [UInt8]) throws -> [UInt8] {
        if let cached = lock.withLock({ contents[path] }) { return cached }
        let bytes = try read()
        lock.withLock { contents[path] = bytes }
        return bytes
    }
}
