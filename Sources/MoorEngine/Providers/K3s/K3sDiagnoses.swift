import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// `mirrors-used` for k3s: registries.yaml says what the lab file asks for, and k3s has
/// rendered it into the hosts.toml containerd reads.
struct K3sMirrorsTaken: DiagnosisKind {
    let spec: ClusterSpec
    var id: String { "mirrors-used" }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func skipReason(_ lab: LabFile) -> String? { spec.registryMirrors.isEmpty ? "no `registryMirrors` for cluster `\(spec.id)`" : nil }

    func observe(_ session: ObservationSession) async throws -> ObservedK3s { try await session.k3s(spec) }

    func verdict(_ observed: ObservedK3s) -> DiagnosisResult {
        let changes = K3sDiff.mirrorChanges(spec, label: spec.label, observed.host)
        let shown = spec.registryMirrors.map { mirror in
            let rendered = K3sFiles.rendered(observed.host.files[K3sPaths.renderedHostsToml(for: mirror.registry)]?.text, uses: mirror)
            return "\(mirror.registry): \(K3sPaths.renderedHostsToml(for: mirror.registry)) \(rendered ? "sends pulls to" : "does not send pulls to") \(mirror.mirror)"
        }
        guard let first = changes.first else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "k3s took registries.yaml: containerd's hosts.toml send pulls to the mirrors", evidence: shown)
        }
        if first.action == .managedElsewhere {
            return DiagnosisResult(id: id, verdict: .fail, summary: first.summary.components(separatedBy: ":\n").first ?? first.summary, evidence: shown,
                                   fix: .init(text: "change it where it is managed; it should hold:\n\(K3sFiles.registries(spec.registryMirrors))", safe: false))
        }
        return DiagnosisResult(id: id, verdict: .fail, summary: first.summary, evidence: shown,
                               fix: .init(text: "`moor up` writes registries.yaml and restarts k3s once", safe: false))
    }
}

/// `server-certs`: the certificates k3s serves and signs with, under
/// /var/lib/rancher/k3s/server/tls, are not expired and do not expire within 30 days.
struct K3sServerCertificates: DiagnosisKind {
    let spec: ClusterSpec
    static let directory = "/var/lib/rancher/k3s/server/tls"
    var id: String { "server-certs" }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func skipReason(_ lab: LabFile) -> String? { nil }

    struct Evidence: Sendable {
        var certificates: [(file: String, subject: String, notAfter: Date)]
        var now: Date
    }

    func observe(_ session: ObservationSession) async throws -> Evidence {
        let (runner, label) = session.hosts.runner(for: spec.host)
        let command = K3s.readCertificates(in: Self.directory)
        let result = try await runner.run(command)
        guard result.exitCode == 0 else {
            if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
            throw MoorError.toolFailed(command, result, host: label)
        }
        var found: [(String, String, Date)] = []
        let files = HeadFiles.parse(result.stdoutText)
        for path in files.keys.sorted() {
            for (subject, notAfter) in ClientIdentity.expiries(inPEM: Array((files[path] ?? "").utf8)) { found.append((path, subject, notAfter)) }
        }
        // One file: `head` prints no header.
        if files.isEmpty { for (subject, notAfter) in ClientIdentity.expiries(inPEM: Array(result.stdout)) { found.append((Self.directory, subject, notAfter)) } }
        return Evidence(certificates: found, now: session.context.clock.date)
    }

    func verdict(_ evidence: Evidence) -> DiagnosisResult {
        guard !evidence.certificates.isEmpty else { return .skipped(id, "no certificates under \(Self.directory)") }
        let days = { (date: Date) in Int((date.timeIntervalSince(evidence.now) / 86_400).rounded(.down)) }
        let shown = evidence.certificates.map { "\($0.file) \($0.subject): \(days($0.notAfter)) days left" }
        let fix = DiagnosisResult.Fix(text: "restart k3s on \(spec.host ?? "this machine") (`sudo systemctl restart k3s`): it renews certificates within 90 days of expiry when it starts", safe: false)
        if let expired = evidence.certificates.first(where: { $0.notAfter <= evidence.now }) {
            return DiagnosisResult(id: id, verdict: .fail, summary: "\(expired.file) expired \(-days(expired.notAfter)) days ago", evidence: shown, fix: fix)
        }
        if let soon = evidence.certificates.filter({ days($0.notAfter) < 30 }).min(by: { $0.notAfter < $1.notAfter }) {
            return DiagnosisResult(id: id, verdict: .warn, summary: "\(soon.file) expires in \(days(soon.notAfter)) days", evidence: shown, fix: fix)
        }
        return DiagnosisResult(id: id, verdict: .ok, summary: "k3s's certificates are valid for \(evidence.certificates.map { days($0.notAfter) }.min() ?? 0) more days", evidence: shown)
    }
}

/// `tailnet-name`: each name the lab gives the k3s API server (`apiServer.names`, the host
/// of `remoteAccess.server`) resolves to the k3s host's address, as ssh resolves the host
/// (`ssh -G`). A MagicDNS name left on an old machine sends kubectl elsewhere.
struct K3sTailnetName: DiagnosisKind {
    let spec: ClusterSpec
    let lab: LabFile
    var id: String { "tailnet-name" }

    var names: [String] {
        var names = spec.apiServer.names.filter { !Validate.isIPAddress($0) }
        if let server = lab.remoteAccess(for: spec)?.server, let host = ProbeTarget.parse(server)?.host,
           !Validate.isIPAddress(host), !names.contains(host) { names.append(host) }
        return names
    }

    func skipReason(_ lab: LabFile) -> String? {
        if spec.host == nil { return "cluster `\(spec.id)` runs on this machine" }
        return names.isEmpty ? "no DNS names in `apiServer.names` or `remoteAccess.server`" : nil
    }

    struct Evidence: Sendable {
        var host: String
        var hostAddress: String?
        var resolved: [(name: String, address: String?, problem: String?)]
    }

    func observe(_ session: ObservationSession) async throws -> Evidence {
        let host = lab.host(named: spec.host)
        var hostname = host.ssh ?? host.name
        let result = try await session.context.runner.run(Command("ssh", ["-G", "--", host.ssh ?? host.name], timeout: .seconds(10)))
        if result.exitCode == 0, let line = result.stdoutText.split(separator: "\n").first(where: { $0.hasPrefix("hostname ") }) {
            hostname = String(line.dropFirst("hostname ".count))
        }
        let port = spec.apiServer.port ?? K3sPaths.defaultPort
        func address(_ name: String) async -> (String?, String?) {
            let probe = await session.context.prober.probe(ProbeRequest(target: ProbeTarget(kind: .tcp, host: name, port: port), timeout: .seconds(3)))
            if let ip = probe.ip { return (ip, nil) }
            return (nil, probe.failure?.message ?? "no answer")
        }
        let (hostAddress, _) = Validate.isIPAddress(hostname) ? (hostname, nil) : await address(hostname)
        var resolved: [(String, String?, String?)] = []
        for name in names {
            let (ip, problem) = await address(name)
            resolved.append((name, ip, problem))
        }
        return Evidence(host: "\(spec.host ?? "?") (\(hostname))", hostAddress: hostAddress, resolved: resolved)
    }

    func verdict(_ evidence: Evidence) -> DiagnosisResult {
        guard let want = evidence.hostAddress else {
            return .skipped(id, "could not resolve \(evidence.host) itself")
        }
        let shown = ["\(evidence.host) is \(want)"] + evidence.resolved.map { "\($0.name) → \($0.address ?? "does not resolve (\($0.problem ?? "?"))")" }
        let wrong = evidence.resolved.filter { $0.address != want }
        guard let first = wrong.first else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "\(evidence.resolved.map(\.name).joined(separator: ", ")) resolve to \(evidence.host)", evidence: shown)
        }
        let what = first.address.map { "resolves to \($0), not to \(evidence.host) at \(want)" } ?? "does not resolve"
        return DiagnosisResult(id: id, verdict: .fail, summary: "\(first.name) \(what)", evidence: shown,
                               fix: .init(text: "point the name at the k3s host: its Tailscale machine name (MagicDNS) or your DNS record; a stale device with that name must go first (`tailscale status`)", safe: false))
    }
}
