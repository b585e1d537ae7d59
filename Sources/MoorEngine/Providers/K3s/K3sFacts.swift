import MoorCore
import MoorProbe
import MoorSystem

/// The one read of a k3s host a session: version, unit state and files, over the host's
/// one ssh connection.
extension ObservationSession {
    public func k3s(_ spec: ClusterSpec) async throws -> ObservedK3s {
        let (runner, label) = hosts.runner(for: spec.host)
        return try await fact(FactKey(.k3sFiles, host: spec.host, cluster: spec.id)) {
            let command = K3s.observe()
            let result = try await runner.run(command)
            guard result.exitCode == 0 else {
                if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
                throw MoorError.toolFailed(command, result, host: label)
            }
            let host = try K3sHostState.parse(result.stdoutText)
            let names = host.files[K3sPaths.servingCertificate].flatMap { ClientIdentity.names(inPEM: $0.text) }
            return ObservedK3s(host: host, servingNames: names)
        }
    }
}
