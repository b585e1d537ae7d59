import Foundation

/// What controllers do between reads: ArgoCD moves a requested sync through Running to
/// Succeeded (Healthy, or Degraded) one list at a time; Deployments and StatefulSets become
/// ready on the read after they were written.
extension KubeStore {
    func stepController(namespace: String?) {
        for key in objects.keys.sorted() {
            guard var object = objects[key], object["kind"] as? String == "Application", object["apiVersion"] as? String == "argoproj.io/v1alpha1" else { continue }
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            if let namespace, metadata["namespace"] as? String != namespace { continue }
            ticks += 1
            let name = metadata["name"] as? String ?? ""
            let finished = step(&object, degrade: degradeOnSyncUnlocked.contains(name))
            if let needed = requiresSecretUnlocked[name], (object["status"] as? [String: Any])?["operationState"] != nil {
                var status = object["status"] as? [String: Any] ?? [:]
                let phase = (status["operationState"] as? [String: Any])?["phase"] as? String
                if phase == "Succeeded" {
                    let parts = needed.split(separator: "/").map(String.init)
                    let present = parts.count == 2 && objects[Self.key(KubeKind.secret, namespace: parts[0], name: parts[1])] != nil
                    // What ArgoCD shows for a Deployment whose pod cannot mount the Secret.
                    status["health"] = present ? ["status": "Healthy"]
                        : ["status": "Progressing", "message": "secret \"\(parts.last ?? needed)\" not found"]
                    object["status"] = status
                }
            }
            if finished {
                createChildren(of: &object)
                let server = ((object["spec"] as? [String: Any])?["destination"] as? [String: Any])?["server"] as? String ?? ""
                if let remote = destinationsUnlocked[server] {
                    for resource in appResourcesUnlocked[name] ?? [] {
                        if let data = try? JSONSerialization.data(withJSONObject: resource) { try? remote.putIfAbsent(json: String(decoding: data, as: UTF8.self)) }
                    }
                }
                for resource in destinationsUnlocked[server] == nil ? appResourcesUnlocked[name] ?? [] : [] {
                    guard let type = KubeKind.find(apiVersion: resource["apiVersion"] as? String ?? "", kind: resource["kind"] as? String ?? ""),
                          let metadata = resource["metadata"] as? [String: Any], let resourceName = metadata["name"] as? String,
                          objects[Self.key(type, namespace: metadata["namespace"] as? String, name: resourceName)] == nil else { continue }
                    _ = store(resource)
                }
            }
            objects[key] = object
        }
    }

    /// An app of apps that finished a sync creates the Applications its path holds, and lists
    /// them in its `status.resources` as ArgoCD does.
    func createChildren(of object: inout [String: Any]) {
        let spec = object["spec"] as? [String: Any] ?? [:]
        let source = spec["source"] as? [String: Any] ?? [:]
        guard let children = appOfAppsUnlocked["\(source["repoURL"] as? String ?? "")@\(source["path"] as? String ?? "")"] else { return }
        let parent = (object["metadata"] as? [String: Any])?["name"] as? String ?? ""
        var status = object["status"] as? [String: Any] ?? [:]
        status["resources"] = children.compactMap { child -> [String: Any]? in
            let metadata = child["metadata"] as? [String: Any] ?? [:]
            guard let name = metadata["name"] as? String else { return nil }
            return ["group": "argoproj.io", "version": "v1alpha1", "kind": "Application", "namespace": metadata["namespace"] as? String ?? "argocd",
                    "name": name, "status": "Synced"]
        }
        object["status"] = status
        for var child in children {
            var metadata = child["metadata"] as? [String: Any] ?? [:]
            guard let name = metadata["name"] as? String,
                  objects[Self.key(KubeKind.application, namespace: metadata["namespace"] as? String ?? "argocd", name: name)] == nil else { continue }
            metadata["namespace"] = metadata["namespace"] ?? "argocd"
            metadata["labels"] = ["argocd.argoproj.io/instance": parent]
            child["metadata"] = metadata
            child["apiVersion"] = "argoproj.io/v1alpha1"
            child["kind"] = "Application"
            child["status"] = ["sync": ["status": "OutOfSync"], "health": ["status": "Missing"]]
            _ = store(child)
        }
    }

    /// One controller step; true when a sync finished with this step.
    @discardableResult
    func step(_ object: inout [String: Any], degrade: Bool) -> Bool {
        var status = object["status"] as? [String: Any] ?? [:]
        var operationState = status["operationState"] as? [String: Any] ?? [:]
        let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: 1_795_000_000 + Double(ticks)))
        if object["operation"] != nil {
            object["operation"] = nil
            operationState = ["phase": "Running", "startedAt": stamp, "message": "waiting for healthy state"]
            status["sync"] = ["status": "OutOfSync", "revision": (status["sync"] as? [String: Any])?["revision"] ?? ""]
            status["health"] = ["status": "Progressing"]
        } else if operationState["phase"] as? String == "Running" {
            let spec = object["spec"] as? [String: Any] ?? [:]
            let source = spec["source"] as? [String: Any] ?? (spec["sources"] as? [[String: Any]])?.first ?? [:]
            let revision = source["targetRevision"] as? String ?? "HEAD"
            let commit = commitsUnlocked["\(source["repoURL"] as? String ?? "")@\(revision)"] ?? revision
            operationState["phase"] = "Succeeded"
            operationState["finishedAt"] = stamp
            operationState["message"] = "successfully synced (all tasks run)"
            operationState["syncResult"] = ["revision": commit]
            status["sync"] = ["status": "Synced", "revision": commit]
            status["health"] = degrade ? ["status": "Degraded", "message": "Deployment has exceeded its progress deadline"] : ["status": "Healthy"]
            if !operationState.isEmpty { status["operationState"] = operationState }
            object["status"] = status
            return true
        }
        if !operationState.isEmpty { status["operationState"] = operationState }
        object["status"] = status
        return false
    }

    /// Deployments and StatefulSets report every replica ready once read after a write.
    func settle(_ key: String) {
        guard var object = objects[key], ["Deployment", "StatefulSet"].contains(object["kind"] as? String ?? "") else { return }
        let replicas = (object["spec"] as? [String: Any])?["replicas"] as? Int ?? 1
        var status = object["status"] as? [String: Any] ?? [:]
        guard status["readyReplicas"] as? Int != replicas else { return }
        status["replicas"] = replicas
        status["readyReplicas"] = replicas
        status["availableReplicas"] = replicas
        status["updatedReplicas"] = replicas
        if object["kind"] as? String == "Deployment" {
            status["conditions"] = [["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"]]
        }
        object["status"] = status
        objects[key] = object
    }
}
