import Foundation
import MoorCore
import MoorSystem
import MoorProbe

/// Observe: read-only commands, as few as possible and in parallel. For a running cluster
/// with mirrors and exposure that is profile list, docker port, one node read of every
/// hosts.toml, the node's image store, and tailscale serve status.
struct Observer: Sendable {
    let lab: LabFile
    let spec: ClusterSpec
    let hosts: HostRunners

    var clusterHost: (runner: any CommandRunner, label: String?) {
        let (runner, label) = hosts.runner(for: spec.host)
        guard let home = spec.minikubeHome else { return (runner, label) }
        return (EnvironmentRunner(base: runner, environment: ["MINIKUBE_HOME": home]), label)
    }

    func observe() async throws -> Observation {
        async let serve = observeServe()
        let cluster = try await observeCluster()
        var observation = Observation(cluster: cluster)
        if cluster.state == .running || cluster.state == .error {
            let runtime = spec.containerRuntime ?? cluster.config?.containerRuntime ?? "docker"
            async let port = apiHostPort()
            async let files = nodeFiles()
            async let driver = (spec.registryMirrors.isEmpty || runtime != "docker") ? nil : storageDriver()
            observation.apiHostPort = try await port
            let node = try await files
            observation.mirrorFiles = spec.registryMirrors.isEmpty ? nil : node.filter { $0.key != NodeCommands.apiServerCertificate }
            observation.apiServerCertificateNames = node[NodeCommands.apiServerCertificate].flatMap(ClientIdentity.names(inPEM:))
            observation.nodeStorageDriver = try await driver
        }
        observation.serve = try await serve
        return observation
    }

    func observeCluster() async throws -> ObservedCluster {
        let (runner, label) = clusterHost
        let output = try await runner.output(Minikube.profileList(), host: label)
        let profiles = try MinikubeProfiles.parse(output)
        guard let profile = profiles.first(where: { $0.name == spec.name }) else {
            return ObservedCluster(name: spec.name, state: .absent)
        }
        return ObservedCluster(name: spec.name, state: profile.state, config: profile.config)
    }

    /// docker's published port for the API server; for other drivers, or when docker
    /// cannot say, the port in the kubeconfig's server URL.
    func apiHostPort() async throws -> Int? {
        let (runner, label) = clusterHost
        if spec.driver == "docker" {
            let result = try await runner.run(Docker.port(container: spec.name, port: spec.apiServer.effectivePort))
            if result.exitCode == 0, let port = DockerPorts.hostPort(in: try DockerPorts.parse(result.stdoutText)) {
                return port
            }
        }
        let url = try await runner.output(Kubectl.serverURL(context: spec.name), host: label)
        return KubeconfigServer.port(of: url)
    }

    /// The mirrors' hosts.toml files (without the API server certificate).
    func mirrorFiles() async throws -> [String: String] {
        try await nodeFiles().filter { $0.key != NodeCommands.apiServerCertificate }
    }

    func nodeFiles() async throws -> [String: String] {
        let (runner, label) = clusterHost
        let command = Minikube.ssh(profile: spec.name, NodeCommands.readNodeFiles())
        let result = try await runner.run(command)
        // grep: 0 lines found, 1 none found, 2 with nothing printed: no certs.d directory yet.
        guard result.exitCode <= 1 || (result.exitCode == 2 && result.stdout.isEmpty) else {
            throw SystemError.toolFailed(command, result, host: label)
        }
        return GrepFiles.parse(result.stdoutText, paths: spec.registryMirrors.map { HostsToml.path(for: $0.registry) } + [NodeCommands.apiServerCertificate])
    }

    func storageDriver() async throws -> String? {
        let (runner, _) = clusterHost
        let result = try await runner.run(Minikube.ssh(profile: spec.name, NodeCommands.dockerStorageDriver()))
        return result.exitCode == 0 ? result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    func observeServe() async throws -> ServeConfig? {
        guard let expose = lab.expose?.tailscale else { return nil }
        let (runner, label) = hosts.runner(for: expose.host ?? spec.host)
        return try ServeConfig.parse(try await runner.output(Tailscale.serveStatus(), host: label))
    }

    /// Docker's memory on the cluster host in MiB; throws when docker does not answer.
    func dockerMemoryMiB() async throws -> Int {
        let (runner, label) = clusterHost
        let command = Docker.memTotal()
        let result = try await runner.run(command)
        guard result.exitCode == 0 else {
            let line = result.firstStderrLine.map { ": \($0)" } ?? ""
            throw EngineError(.preflight, "docker is not answering\(label.map { " on \($0)" } ?? "")\(line); start Docker (Docker Desktop on macOS) and retry")
        }
        guard let bytes = Int(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ToolOutputError(tool: "docker info", problem: "expected MemTotal in bytes")
        }
        return bytes >> 20
    }
}
