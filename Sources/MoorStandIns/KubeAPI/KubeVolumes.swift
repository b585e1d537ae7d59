import Foundation

/// The volume controller and provisioners, as far as backups need them: a claim binds to a
/// PersistentVolume already pre-bound to it (`claimRef`), else its StorageClass's
/// provisioner makes one on the node path it would (minikube's `standard`:
/// `/tmp/hostpath-provisioner/<ns>/<claim>`; k3s's `local-path`:
/// `/var/lib/rancher/k3s/storage/pvc-<uid>_<ns>_<claim>`).
extension KubeStore {
    static let claimKind = KubeKind.all.first { $0.resource == "persistentvolumeclaims" }!
    static let volumeKind = KubeKind.all.first { $0.resource == "persistentvolumes" }!

    func bindClaims() {
        for claimKey in objects.keys.sorted() {
            guard var claim = objects[claimKey], claim["kind"] as? String == "PersistentVolumeClaim" else { continue }
            var spec = claim["spec"] as? [String: Any] ?? [:]
            if let named = spec["volumeName"] as? String {
                // A claim that names its volume binds to it once the volume is there.
                let key = Self.key(Self.volumeKind, namespace: nil, name: named)
                if (claim["status"] as? [String: Any])?["phase"] as? String != "Bound", var volume = objects[key] {
                    volume["status"] = ["phase": "Bound"]
                    objects[key] = volume
                    claim["status"] = ["phase": "Bound", "capacity": (volume["spec"] as? [String: Any])?["capacity"] ?? [:]]
                    objects[claimKey] = claim
                }
                continue
            }
            let metadata = claim["metadata"] as? [String: Any] ?? [:]
            let namespace = metadata["namespace"] as? String ?? "default"
            let name = metadata["name"] as? String ?? ""
            let uid = metadata["uid"] as? String ?? UUID().uuidString.lowercased()
            let storageClass = spec["storageClassName"] as? String ?? "standard"
            let preBound = items(Self.volumeKind, namespace: nil).first { volume in
                let ref = (volume["spec"] as? [String: Any])?["claimRef"] as? [String: Any]
                return ref?["namespace"] as? String == namespace && ref?["name"] as? String == name
            }
            var volume: [String: Any]
            if let preBound {
                volume = preBound
            } else {
                let volumeName = "pvc-\(uid)"
                let path = storageClass == "local-path" ? "/var/lib/rancher/k3s/storage/\(volumeName)_\(namespace)_\(name)"
                                                        : "/tmp/hostpath-provisioner/\(namespace)/\(name)"
                let size = ((spec["resources"] as? [String: Any])?["requests"] as? [String: Any])?["storage"] as? String ?? "1Gi"
                volume = ["apiVersion": "v1", "kind": "PersistentVolume",
                          "metadata": ["name": volumeName],
                          "spec": ["capacity": ["storage": size], "accessModes": spec["accessModes"] ?? ["ReadWriteOnce"],
                                   "persistentVolumeReclaimPolicy": "Delete", "storageClassName": storageClass,
                                   "hostPath": ["path": path, "type": ""]] as [String: Any]]
            }
            var volumeSpec = volume["spec"] as? [String: Any] ?? [:]
            volumeSpec["claimRef"] = ["kind": "PersistentVolumeClaim", "namespace": namespace, "name": name, "uid": uid, "apiVersion": "v1"]
            volume["spec"] = volumeSpec
            volume["status"] = ["phase": "Bound"]
            guard let stored = store(volume), let volumeName = (stored["metadata"] as? [String: Any])?["name"] as? String else { continue }
            spec["volumeName"] = volumeName
            claim["spec"] = spec
            claim["status"] = ["phase": "Bound", "capacity": volumeSpec["capacity"] ?? [:], "accessModes": volumeSpec["accessModes"] ?? []]
            objects[claimKey] = claim
        }
    }

    /// Forgets every object: the cluster was deleted.
    public func removeAll() {
        locked { objects = [:] }
    }
}
