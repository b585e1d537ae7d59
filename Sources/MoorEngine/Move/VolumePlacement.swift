import Foundation
import MoorCore

/// Where a moved claim's data goes on the target cluster, as its provisioner would put it:
/// the default StorageClass's provisioner (local-path with the directory its
/// `kube-system/local-path-config` names, minikube's hostpath), else the provider's own.
struct VolumePlacement: Sendable {
    var storageClass: String
    var provisioner: String
    /// local-path's directory for new volumes.
    var localPathDirectory: String?

    static let localPath = "rancher.io/local-path"
    static let minikubeHostpath = "k8s.io/minikube-hostpath"

    static func read(_ volumes: ClusterVolumes) async throws -> VolumePlacement {
        var placement = volumes.spec.provider == .k3s
            ? VolumePlacement(storageClass: "local-path", provisioner: localPath, localPathDirectory: "/var/lib/rancher/k3s/storage")
            : VolumePlacement(storageClass: "standard", provisioner: minikubeHostpath)
        if let text = try? await volumes.kubectl(["get", "storageclasses", "-o", "json"]),
           let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
           let items = root["items"] as? [[String: Any]],
           let chosen = items.first(where: { (($0["metadata"] as? [String: Any])?["annotations"] as? [String: String])?["storageclass.kubernetes.io/is-default-class"] == "true" }),
           let name = (chosen["metadata"] as? [String: Any])?["name"] as? String, let provisioner = chosen["provisioner"] as? String {
            placement.storageClass = name
            placement.provisioner = provisioner
        }
        if placement.provisioner == localPath,
           let text = try? await volumes.kubectl(["-n", "kube-system", "get", "configmap", "local-path-config", "-o", "jsonpath={.data.config\\.json}"]),
           let config = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
           let first = (config["nodePathMap"] as? [[String: Any]])?.first?["paths"] as? [String], let directory = first.first {
            placement.localPathDirectory = directory
        }
        return placement
    }

    /// The node path for a claim's new volume.
    func path(for claim: ClaimName, volume: String) -> String {
        if provisioner == Self.localPath {
            return (localPathDirectory ?? "/var/lib/rancher/k3s/storage") + "/\(volume)_\(claim.namespace)_\(claim.name)"
        }
        return NodeDefaults.hostpath + "/\(claim.namespace)/\(claim.name)"
    }
}

enum NodeDefaults {
    static let hostpath = "/tmp/hostpath-provisioner"
}
