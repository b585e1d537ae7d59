import MoorCore
import MoorProbe
import MoorSystem

/// minikube on a host (this machine or over ssh): the profile, containerd's hosts.toml in
/// the node, the API server's port as docker publishes it.
struct MinikubeProvider: ClusterProvider {
    static let name = "minikube"
    let spec: ClusterSpec

    init(spec: ClusterSpec) { self.spec = spec }

    // Also with no mirrors listed: a hosts.toml moor wrote for one the lab dropped goes.
    var kinds: [any ResourceKind] { [ClusterKind(spec: spec), MirrorKind(spec: spec)] }

    /// Only the docker driver runs the node as a container with events to follow.
    var eventContainer: String? { spec.driver == .docker ? spec.name : nil }
    var withoutEvents: String { "cluster driver \(spec.driver): no container events to follow" }

    var dataDirectory: String { "/var" }

    func onNode(_ words: [String], _ session: ObservationSession) async throws -> String {
        let (runner, label) = session.clusterHost(spec)
        return try await runner.output(Minikube.ssh(profile: spec.name, words), host: label)
    }

    func onNodeAsRoot(_ words: [String], stdinFile: String?, stdoutFile: String?, _ session: ObservationSession) async throws -> String {
        let (runner, label) = session.clusterHost(spec)
        return try await runner.output(Minikube.sshBinary(profile: spec.name, ["sudo"] + words, stdinFile: stdinFile, stdoutFile: stdoutFile), host: label)
    }

    func notRunning(_ session: ObservationSession) async throws -> String? {
        let state = try await session.cluster(spec).state
        switch state {
        case .running: return nil
        case .absent: return "the cluster `\(spec.name)` does not exist yet; create it with `moor up`"
        default: return "the cluster `\(spec.name)` is \(state.rawValue); start it with `moor up`"
        }
    }

    func apiHostPort(_ session: ObservationSession) async throws -> Int? {
        let state = try await session.cluster(spec).state
        return state == .running || state == .error ? try await session.apiHostPort(spec) : nil
    }

    /// One command on the cluster host: `head` prints the three files, each under a header.
    func credentials(_ hosts: HostRunners, home: String) async throws -> ClusterCredentials {
        let (runner, label) = hosts.runner(for: spec.host)
        var directory = spec.minikubeDirectory
        if label == nil, !directory.hasPrefix("/") { directory = home + "/" + directory }
        let paths = ["\(directory)/ca.crt", "\(directory)/profiles/\(spec.name)/client.crt", "\(directory)/profiles/\(spec.name)/client.key"]
        let command = Command("head", ["-n", "100000"] + paths, timeout: .seconds(30))
        let result = try await runner.run(command)
        let where_ = label.map { " on \($0)" } ?? ""
        guard result.exitCode == 0 else {
            let line = result.firstStderrLine.map { ": \($0)" } ?? ""
            throw MoorError(.toolFailed, "could not read the cluster's certificates\(where_)\(line); is cluster `\(spec.name)` created (`moor up`)?")
        }
        let files = HeadFiles.parse(result.stdoutText)
        guard let ca = files[paths[0]], let certificate = files[paths[1]], let key = files[paths[2]] else {
            throw MoorError(.toolFailed, "could not read the cluster's certificates\(where_): unexpected output from head")
        }
        return ClusterCredentials(ca: Array(ca.utf8), certificate: Array(certificate.utf8), key: Array(key.utf8))
    }
}
