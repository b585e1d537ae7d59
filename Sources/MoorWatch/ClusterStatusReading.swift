import Foundation
import MoorCore
import MoorEngine

/// A cluster's row of the status page from what a reconcile's plan observed: the provider's
/// state and version, the API server's host port, where the tailnet forwards, and each
/// mirror written (no change planned) and used (the runtime reads it).
enum ClusterStatusReading {
    static func cluster(_ spec: ClusterSpec, lab: LabFile, observed: [String: any Sendable], changes: [Change]) -> LabStatus.Cluster {
        let key = spec.label.map { "@\($0)" } ?? ""
        var row = LabStatus.Cluster(name: StatusBoard.id(spec, lab), provider: spec.provider.description, state: "unknown",
                                    host: spec.host ?? "this machine")
        let exposed = observed["expose" + key] as? ObservedExposure
        var running = false
        var ignoredBy: String?
        if let minikube = observed["cluster" + key] as? ObservedCluster {
            row.state = minikube.state.rawValue
            row.kubernetesVersion = minikube.config?.kubernetesVersion
            running = minikube.state == .running
            row.apiServerPort = exposed?.apiHostPort
            if let mirrors = observed["mirror" + key] as? ObservedMirrors, MirrorDiff.runtimeWarning(mirrors) != nil {
                ignoredBy = "ignored by the \(mirrors.runtime) runtime"
            }
        } else if let k3s = observed["cluster" + key] as? ObservedK3s {
            row.state = k3s.host.active ? "running" : k3s.host.installed ? "stopped" : "absent"
            row.kubernetesVersion = k3s.host.version
            running = k3s.host.active
            row.apiServerPort = exposed?.apiHostPort ?? (k3s.host.active ? k3s.apiPort : nil)
        }
        if let expose = lab.expose?.tailscale, (expose.cluster ?? lab.clusters.first?.id) == spec.id {
            let id = ExposeDiff.id(expose)
            row.exposure = .init(resource: id.description, target: exposed?.target(expose),
                                 matches: exposed != nil && !changes.contains { $0.id == id })
        }
        row.mirrors = spec.registryMirrors.map { mirror in
            let written = running && !changes.contains { $0.id == .mirror(cluster: spec.label, registry: mirror.registry) }
            let use = !running ? "unknown (the cluster is not running)" : !written ? "not in use" : ignoredBy ?? "in use"
            return .init(registry: mirror.registry, endpoint: mirror.mirror, written: written, use: use)
        }
        return row
    }
}
