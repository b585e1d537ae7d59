import MoorCore
import MoorSystem

/// `expose:<service or node>:<port>`: `tailscale serve` forwards the tailnet port to the API
/// server's current host port, which changes with every Docker restart.
struct ExposeKind: ResourceKind {
    let spec: TailscaleExpose
    let provider: any ClusterProvider
    var cluster: ClusterSpec { provider.spec }
    /// The exposing host's name for messages, or nil for this machine.
    let hostLabel: String?
    var kind: String { "expose" }
    var unattended: Bool { true }
    var needs: [String] { ["cluster"] }
    var scope: String? { cluster.label }

    init(spec: TailscaleExpose, cluster: any ClusterProvider, hostLabel: String?) {
        self.spec = spec
        self.provider = cluster
        self.hostLabel = hostLabel
    }

    func observe(_ session: ObservationSession) async throws -> ObservedExposure {
        async let serve = session.serve(spec, clusterHost: cluster.host)
        let port = try await provider.apiHostPort(session)
        return ObservedExposure(apiHostPort: port, serve: try await serve)
    }

    func diff(_ observed: ObservedExposure, upstream: UpstreamChanges) -> KindPlan {
        ExposeDiff.diff(spec, observed, upstream: upstream)
    }

    func apply(_ changes: [Change], observed: ObservedExposure, context apply: ApplyContext) async throws {
        guard let change = changes.first else { return }
        guard let hostPort = observed.apiHostPort else {
            throw MoorError(.didNotTake, "could not find the API server's host port for cluster `\(cluster.name)`; run `docker port \(cluster.name)`")
        }
        let (runner, label) = apply.session.hosts.runner(for: spec.host ?? cluster.host)
        apply.context.progress.note(change.summary)
        _ = try await runner.output(Tailscale.serveTCP(service: spec.service, port: spec.port, target: ServeTarget.desired(hostPort: hostPort)), host: label)
    }

    func journal(_ change: Change, observed: ObservedExposure) -> (before: String?, after: String?) {
        (observed.target(spec), observed.apiHostPort.map { ServeTarget.desired(hostPort: $0) })
    }

    func notTaken(_ change: Change, remaining: Change, now: ObservedExposure) -> String {
        "tailscale serve did not take the new port \(now.apiHostPort.map(String.init) ?? "?") (still \(now.target(spec) ?? "unset")); run 'tailscale serve status --json'\(hostLabel.map { " on \($0)" } ?? "")"
    }
}

