import Foundation
import MoorCore
import MoorJournal
import MoorProbe
import MoorSystem

/// Fetches the cluster CA and client certificate/key from the cluster host in one remote
/// command, checks them, writes the workstation kubeconfig (0700 directory, 0600 files,
/// atomic, untouched when unchanged), optionally merges it, and verifies it works.
public struct KubeconfigInstaller: Sendable {
    let lab: LabFile
    let context: MoorContext
    var prober: any Prober { context.prober }

    public init(lab: LabFile, context: MoorContext) {
        self.lab = lab
        self.context = context
    }

    public func install(_ options: KubeconfigOptions, labPath: String, cluster name: String? = nil) async throws -> KubeconfigReport {
        let spec: ClusterSpec
        if let name {
            guard let named = lab.cluster(named: name) else {
                throw MoorError(.invalidInput, "\(labPath) has no cluster `\(name)` (\(lab.clusters.map { "`\($0.id)`" }.joined(separator: ", ")))")
            }
            spec = named
        } else {
            spec = lab.cluster ?? ClusterSpec()
        }
        guard let access = lab.remoteAccess(for: spec) else {
            let place = lab.namesClusters ? "`clusters.\(spec.id).remoteAccess`" : "a `remoteAccess` section"
            throw MoorError(.invalidInput, "\(labPath) has no \(place) (context, server, path); add one to use `moor kubeconfig`")
        }
        let material = try await fetch(spec, home: options.home)
        let path = Files.expandTilde(access.path, home: options.home)
        let directory = (path as NSString).deletingLastPathComponent
        try context.files.ensureDirectory(directory)
        chmod(directory, 0o700)
        var files: [KubeconfigReport.File] = []
        let entry: KubeconfigEntry
        if options.embed {
            entry = KubeconfigEntry(name: access.context, server: access.server, certificateAuthority: .data(material.ca),
                                    clientCertificate: .data(material.certificate), clientKey: .data(material.key))
        } else {
            let names = ["ca.crt": material.ca, "client.crt": material.certificate, "client.key": material.key]
            for name in ["ca.crt", "client.crt", "client.key"] {
                files.append(try write(names[name]!, to: directory + "/" + name))
            }
            entry = KubeconfigEntry(name: access.context, server: access.server, certificateAuthority: .file(directory + "/ca.crt"),
                                    clientCertificate: .file(directory + "/client.crt"), clientKey: .file(directory + "/client.key"))
        }
        files.append(try write(Array(KubeconfigRender.standalone(entry).utf8), to: path))
        var report = KubeconfigReport(context: access.context, server: access.server, path: path, files: files)
        if options.merge { try merge(entry, options: options, into: &report) }
        if options.verify { report.verify = await verify(access, material, spec: spec) }
        return report
    }

    /// Kubeconfigs with many clusters stay far below this.
    static let kubeconfigLimit = 4 << 20

    typealias Material = ClusterCredentials

    /// The provider reads the credentials on the cluster host; they are checked here.
    func fetch(_ spec: ClusterSpec, home: String) async throws -> Material {
        let hosts = HostRunners(lab: lab, context: context)
        let material = try await ClusterProviders.provider(for: spec).credentials(hosts, home: home)
        let where_ = hosts.runner(for: spec.host).label.map { " on \($0)" } ?? ""
        do {
            try ClientIdentity.validate(ca: material.ca, certificate: material.certificate, key: material.key)
        } catch let invalid as ClientIdentity.Invalid {
            throw MoorError(.unreadable, "the certificates fetched\(where_) are unusable: \(invalid.description)")
        }
        return material
    }

    /// Writes only when the content differs; always leaves mode 0600.
    func write(_ bytes: [UInt8], to path: String) throws -> KubeconfigReport.File {
        let current = try? context.files.read(path, limit: Self.kubeconfigLimit)
        let changed = current != bytes
        if changed { try context.files.write(bytes, to: path, mode: 0o600) } else { chmod(path, 0o600) }
        return KubeconfigReport.File(path: path, mode: "0600", changed: changed)
    }

    func merge(_ entry: KubeconfigEntry, options: KubeconfigOptions, into report: inout KubeconfigReport) throws {
        let first = options.kubeconfigVariable?.split(separator: ":").first.map(String.init)
        let target = first.flatMap { $0.isEmpty ? nil : $0 } ?? options.home + "/.kube/config"
        let existing: String
        do {
            existing = try context.files.readText(target, limit: Self.kubeconfigLimit)
        } catch let error as MoorError where error.code == .fileMissing {
            existing = ""
        } catch let error as MoorError {
            throw MoorError(.unreadable, "refusing to merge into \(target): \(error.message)")
        }
        let merged: String
        do {
            merged = try KubeconfigRender.merge(entry, into: existing)
        } catch let error as KubeconfigRender.MergeError {
            throw MoorError(.refused, "refusing to merge into \(target): \(error.description); fix or move it, or run without --merge")
        }
        if !existing.isEmpty, existing != merged {
            let backup = target + ".moor-backup"
            try context.files.write(Array(existing.utf8), to: backup, mode: 0o600)
            report.backup = backup
        }
        report.merged = try write(Array(merged.utf8), to: target)
    }

    /// TLS to the server name through the tailnet with the fetched CA, the name in the
    /// served certificate, then an authenticated GET /version; says which step failed.
    func verify(_ access: RemoteAccessSpec, _ material: Material, spec: ClusterSpec) async -> KubeconfigReport.Verification {
        guard var target = ProbeTarget.parse(access.server) else {
            return .init(ok: false, step: "api", message: "cannot read the server URL \(access.server)")
        }
        target.path = "/version"
        let request = ProbeRequest(target: target, timeout: .seconds(10),
                                   tls: TLSOptions(caPEM: material.ca, certificatePEM: material.certificate, keyPEM: material.key))
        let result = await prober.probe(request)
        if let failure = result.failure {
            if failure.layer == .tls, result.certificate?.nameMatches == false {
                let names = spec.apiServer.names
                if spec.provider == .k3s {
                    return .init(ok: false, step: "certificate-name",
                                 message: "\(failure.message); add \(target.host) to the cluster's apiServer.names and run `moor up` (k3s adds it to its certificate on restart)")
                }
                let advice = names.contains(target.host)
                    ? "the cluster was created before \(target.host) was in cluster.apiServer.names; run `moor up --allow-recreate`"
                    : "add \(target.host) to cluster.apiServer.names and run `moor up --allow-recreate`"
                return .init(ok: false, step: "certificate-name",
                             message: "\(failure.message); minikube fixes the API server certificate's names when it creates the cluster: \(advice)")
            }
            if failure.reason == .clientCertificateRequired {
                return .init(ok: false, step: "authentication", message: failure.message)
            }
            return .init(ok: false, step: failure.layer == .tls ? "tls" : failure.layer.rawValue, message: failure.message)
        }
        guard let http = result.http else { return .init(ok: false, step: "api", message: "no HTTP answer") }
        if http.status == 401 || http.status == 403 {
            return .init(ok: false, step: "authentication", message: "the API server refused the client certificate (HTTP \(http.status))")
        }
        guard (200..<300).contains(http.status) else {
            return .init(ok: false, step: "api", message: "GET /version answered \(http.status)")
        }
        let version = JSONValue.parse(http.body)?["gitVersion"]?.text
        return .init(ok: true, version: version)
    }
}
