import Foundation

/// A bound PersistentVolume and where its data lives on the node, read from
/// `kubectl get persistentvolumes -o json`: the PV's `hostPath.path` or `local.path`, as
/// the provisioner wrote it (minikube's `/tmp/hostpath-provisioner/<ns>/<claim>`, k3s's
/// local-path `…/storage/pvc-<uid>_<ns>_<claim>`). Nothing is assumed from the provider.
public struct ClaimVolume: Sendable, Equatable, Codable {
    public var claim: ClaimName
    /// The PersistentVolume's name (`pvc-<uid>`).
    public var volume: String
    /// The directory on the node.
    public var path: String
    public var storageClass: String
    /// `spec.capacity.storage` (`1Gi`).
    public var capacity: String
    public var accessModes: [String]

    public init(claim: ClaimName, volume: String, path: String, storageClass: String, capacity: String, accessModes: [String]) {
        self.claim = claim
        self.volume = volume
        self.path = path
        self.storageClass = storageClass
        self.capacity = capacity
        self.accessModes = accessModes
    }

    /// The bound volumes with a node path, by claim; `skipped` names the others and why
    /// (an NFS or CSI volume is not on the node: it is not moor's to copy).
    public static func parse(_ json: String) throws -> (volumes: [ClaimVolume], skipped: [String]) {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let items = root["items"] as? [[String: Any]] else {
            throw ToolOutputError(tool: "kubectl get persistentvolumes -o json", problem: "expected a List with items")
        }
        var volumes: [ClaimVolume] = []
        var skipped: [String] = []
        for item in items {
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            let spec = item["spec"] as? [String: Any] ?? [:]
            let name = metadata["name"] as? String ?? "?"
            guard let ref = spec["claimRef"] as? [String: Any], let namespace = ref["namespace"] as? String,
                  let claimName = ref["name"] as? String else { continue }
            let phase = (item["status"] as? [String: Any])?["phase"] as? String
            let claim = ClaimName(namespace: namespace, name: claimName)
            guard phase == nil || phase == "Bound" else { continue }
            let path = ((spec["hostPath"] as? [String: Any])?["path"] as? String) ?? ((spec["local"] as? [String: Any])?["path"] as? String)
            guard let path, path.hasPrefix("/") else {
                let type = spec.keys.first { !["claimRef", "capacity", "accessModes", "storageClassName", "persistentVolumeReclaimPolicy", "volumeMode", "nodeAffinity", "mountOptions"].contains($0) } ?? "unknown"
                skipped.append("\(claim) (volume \(name) is \(type), not a directory on the node)")
                continue
            }
            volumes.append(ClaimVolume(claim: claim, volume: name, path: path, storageClass: spec["storageClassName"] as? String ?? "",
                                       capacity: (spec["capacity"] as? [String: Any])?["storage"] as? String ?? "",
                                       accessModes: spec["accessModes"] as? [String] ?? ["ReadWriteOnce"]))
        }
        return (volumes.sorted { $0.claim < $1.claim }, skipped)
    }

    /// The PersistentVolume a restore creates before the claim exists: pre-bound to the
    /// claim by `claimRef`, on the same node path, `Retain` so deleting the claim later never
    /// deletes the data. The claim ArgoCD then creates binds to it instead of a new volume.
    public func restoredVolume() -> [String: Any] {
        [
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": ["name": volume, "labels": ["app.kubernetes.io/managed-by": "moor"],
                         "annotations": ["moor.dev/restored-claim": claim.description]],
            "spec": [
                "capacity": ["storage": capacity.isEmpty ? "1Gi" : capacity],
                "accessModes": accessModes,
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": storageClass,
                "hostPath": ["path": path, "type": "DirectoryOrCreate"],
                "claimRef": ["namespace": claim.namespace, "name": claim.name],
            ] as [String: Any],
        ]
    }
}
