import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// k3s on a Linux host reached over ssh: one kind for the server (installed, running, its
/// certificate names and port, its registry mirrors), the kubeconfig from k3s.yaml.
struct K3sProvider: ClusterProvider {
    static let name = "k3s"
    let spec: ClusterSpec

    init(spec: ClusterSpec) { self.spec = spec }

    var kinds: [any ResourceKind] { [K3sKind(spec: spec)] }

    var withoutEvents: String { "cluster \(spec.id) (k3s on \(spec.host ?? "this machine")): no container events; `systemctl is-active k3s` is looked at" }

    var dataDirectory: String { "/var/lib/rancher/k3s" }

    var migrationUnsupported: String? {
        "k3s changes its names, port and mirrors in place (`moor up` restarts it once); `moor migrate` recreates a minikube cluster to change what minikube fixes at creation"
    }

    func diagnosisSkip(_ id: String) -> String? {
        switch id {
        case "cni-conflict": "k3s runs its own flannel CNI; the conflict between minikube's and a leftover CNI config does not apply"
        case "docker-memory": "k3s runs no Docker Desktop VM whose memory could be too small"
        case "api-port": "k3s listens on its fixed https-listen-port; only a minikube docker node's published port moves"
        default: nil
        }
    }

    func diagnoses(_ lab: LabFile) -> [any DiagnosisKind] {
        [K3sMirrorsTaken(spec: spec), K3sServerCertificates(spec: spec), K3sTailnetName(spec: spec, lab: lab)]
    }

    func onNode(_ words: [String], _ session: ObservationSession) async throws -> String {
        let (runner, label) = session.hosts.runner(for: spec.host)
        let command = Command("sudo", ["-n"] + words, timeout: .seconds(60))
        let result = try await runner.run(command)
        guard result.exitCode == 0 else {
            if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
            throw MoorError.toolFailed(command, result, host: label)
        }
        return result.stdoutText
    }

    func onNodeAsRoot(_ words: [String], stdinFile: String?, stdoutFile: String?, _ session: ObservationSession) async throws -> String {
        let (runner, label) = session.hosts.runner(for: spec.host)
        var command = Command("sudo", ["-n"] + words, timeout: .seconds(4 * 3600))
        command.stdinFile = stdinFile
        command.stdoutFile = stdoutFile
        let result = try await runner.run(command)
        guard result.exitCode == 0 else {
            if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
            throw MoorError.toolFailed(command, result, host: label)
        }
        return result.stdoutText
    }

    func notRunning(_ session: ObservationSession) async throws -> String? {
        let host = try await session.k3s(spec).host
        if !host.installed { return "k3s is not installed on \(spec.host ?? "this machine")" }
        return host.active ? nil : "k3s on \(spec.host ?? "this machine") is \(host.unit); start it with `moor up`"
    }

    func apiHostPort(_ session: ObservationSession) async throws -> Int? {
        let observed = try await session.k3s(spec)
        return observed.host.active ? observed.apiPort : nil
    }

    /// k3s.yaml, read as root (it is 0600 root): its CA and the admin client certificate.
    func credentials(_ hosts: HostRunners, home: String) async throws -> ClusterCredentials {
        let (runner, label) = hosts.runner(for: spec.host)
        let command = K3s.readKubeconfig()
        let result = try await runner.run(command)
        let where_ = label.map { " on \($0)" } ?? ""
        guard result.exitCode == 0 else {
            if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
            let line = result.firstStderrLine.map { ": \($0)" } ?? ""
            throw MoorError(.toolFailed, "could not read \(K3sPaths.kubeconfig)\(where_)\(line); is k3s installed and started (`moor up`)?")
        }
        let config: Kubeconfig
        do { config = try Kubeconfig.parse(result.stdoutText) } catch {
            throw MoorError(.badOutput, "\(K3sPaths.kubeconfig)\(where_) is not a kubeconfig: \(error)")
        }
        let context = config.currentContext.flatMap { config.contexts[$0] } ?? config.contexts.values.first
        guard let context, let cluster = config.clusters[context.cluster], let user = config.users[context.user],
              let ca = cluster.certificateAuthorityData, let certificate = user.clientCertificateData, let key = user.clientKeyData else {
            throw MoorError(.badOutput, "\(K3sPaths.kubeconfig)\(where_) has no context with embedded CA and client certificate data")
        }
        return ClusterCredentials(ca: ca, certificate: certificate, key: key)
    }
}
