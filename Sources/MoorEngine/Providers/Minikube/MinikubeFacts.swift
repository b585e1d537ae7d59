import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// The read-only commands about the cluster host, each read once a session: the profile
/// list, docker's published port, one read of every hosts.toml and the API server
/// certificate, the node's image store, tailscale serve status, Docker's memory.
extension ObservationSession {
    /// The cluster host's runner (with `MINIKUBE_HOME` when the lab file sets one) and label.
    public func clusterHost(_ spec: ClusterSpec) -> (runner: any CommandRunner, label: String?) {
        let (runner, label) = hosts.runner(for: spec.host)
        guard let home = spec.minikubeHome else { return (runner, label) }
        return (EnvironmentRunner(base: runner, environment: ["MINIKUBE_HOME": home]), label)
    }

    public func cluster(_ spec: ClusterSpec) async throws -> ObservedCluster {
        let (runner, label) = clusterHost(spec)
        let profiles = try await fact(FactKey(.minikubeProfiles, host: spec.host)) {
            try MinikubeProfiles.parse(try await runner.output(Minikube.profileList(), host: label))
        }
        guard let profile = profiles.first(where: { $0.name == spec.name }) else {
            return ObservedCluster(name: spec.name, state: .absent)
        }
        return ObservedCluster(name: spec.name, state: profile.state, config: profile.config)
    }

    /// Every hosts.toml under containerd's certs.d and the API server certificate, by path.
    /// A node without certs.d (a fresh node) has no mirror files yet: grep, told to be
    /// silent about missing files (`-s`), exits 2 and says nothing on stderr.
    public func nodeFiles(_ spec: ClusterSpec) async throws -> [String: String] {
        let (runner, label) = clusterHost(spec)
        return try await fact(FactKey(.nodeFiles, host: spec.host, cluster: spec.id)) {
            let command = Minikube.ssh(profile: spec.name, NodeCommands.readNodeFiles())
            let result = try await runner.run(command)
            guard result.exitCode <= 1 || (result.exitCode == 2 && result.firstStderrLine == nil) else {
                throw MoorError.toolFailed(command, result, host: label)
            }
            let paths = spec.registryMirrors.map { HostsToml.path(for: $0.registry) } + [NodeCommands.apiServerCertificate]
            return GrepFiles.parse(result.stdoutText, paths: paths, endingIn: "/hosts.toml")
        }
    }

    /// The names in the API server certificate the node serves.
    public func certificateNames(_ spec: ClusterSpec) async throws -> [String]? {
        try await nodeFiles(spec)[NodeCommands.apiServerCertificate].flatMap(ClientIdentity.names(inPEM:))
    }

    /// The node's dockerd storage driver (`overlayfs` … with the containerd image store).
    public func storageDriver(_ spec: ClusterSpec) async throws -> String? {
        let (runner, _) = clusterHost(spec)
        return try await fact(FactKey(.storageDriver, host: spec.host, cluster: spec.id)) {
            let result = try await runner.run(Minikube.ssh(profile: spec.name, NodeCommands.dockerStorageDriver()))
            return result.exitCode == 0 ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        }
    }

    /// docker's published port for the API server; for other drivers, or when docker
    /// cannot say, the port in the kubeconfig's server URL.
    public func apiHostPort(_ spec: ClusterSpec) async throws -> Int? {
        let (runner, label) = clusterHost(spec)
        return try await fact(FactKey(.apiHostPort, host: spec.host, cluster: spec.id)) {
            if spec.driver == .docker {
                let result = try await runner.run(Docker.port(container: spec.name, port: spec.apiServer.effectivePort))
                if result.exitCode == 0, let port = DockerPorts.hostPort(in: try DockerPorts.parse(result.stdoutText)) {
                    return port
                }
            }
            let url = try await runner.output(Kubectl.serverURL(context: spec.name), host: label)
            return KubeconfigServer.port(of: url)
        }
    }

    /// `tailscale serve status --json` on the exposing host.
    public func serve(_ expose: TailscaleExpose, clusterHost: String?) async throws -> ServeConfig {
        let (runner, label) = hosts.runner(for: expose.host ?? clusterHost)
        return try await fact(FactKey(.serveStatus, host: expose.host ?? clusterHost)) {
            try ServeConfig.parse(try await runner.output(Tailscale.serveStatus(), host: label))
        }
    }

    /// Docker's memory on the cluster host in MiB; a `refused` error when docker does not answer.
    public func dockerMemoryMiB(_ spec: ClusterSpec) async throws -> Int {
        let (runner, label) = clusterHost(spec)
        return try await fact(FactKey(.dockerMemory, host: spec.host)) {
            let result = try await runner.run(Docker.memTotal())
            guard result.exitCode == 0 else {
                let line = result.firstStderrLine.map { ": \($0)" } ?? ""
                throw MoorError(.refused, "docker is not answering\(label.map { " on \($0)" } ?? "")\(line); start Docker (Docker Desktop on macOS) and retry")
            }
            guard let bytes = Int(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ToolOutputError(tool: "docker info", problem: "expected MemTotal in bytes")
            }
            return bytes >> 20
        }
    }
}
