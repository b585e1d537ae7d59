import Foundation

/// ArgoCD's workloads in its namespace, as `kubectl get deployments.apps,statefulsets.apps -o json` lists them.
public struct ArgoWorkload: Sendable, Equatable {
    public var kind: String
    public var name: String
    public var image: String?
    public var replicas: Int
    public var ready: Int

    public init(kind: String, name: String, image: String?, replicas: Int, ready: Int) {
        self.kind = kind
        self.name = name
        self.image = image
        self.replicas = replicas
        self.ready = ready
    }

    public var isReady: Bool { ready >= replicas }

    public static func parseList(_ json: String) throws -> [ArgoWorkload] {
        guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            throw ToolOutputError(tool: "kubectl get deployments,statefulsets", problem: "expected a JSON list")
        }
        return (list["items"] as? [[String: Any]] ?? []).compactMap { item in
            guard let kind = item["kind"] as? String, let name = (item["metadata"] as? [String: Any])?["name"] as? String else { return nil }
            let spec = item["spec"] as? [String: Any] ?? [:]
            let containers = ((spec["template"] as? [String: Any])?["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
            let status = item["status"] as? [String: Any] ?? [:]
            return ArgoWorkload(kind: kind, name: name, image: containers.first?["image"] as? String,
                                replicas: spec["replicas"] as? Int ?? 1, ready: status["readyReplicas"] as? Int ?? 0)
        }
    }
}

/// What observe found of ArgoCD: its workloads, and the version the lab file asks for (from
/// `version`, or read from the manifest when it can be).
public struct ObservedArgo: Sendable, Equatable {
    public var workloads: [ArgoWorkload]
    public var desiredVersion: String?

    public init(workloads: [ArgoWorkload], desiredVersion: String?) {
        self.workloads = workloads
        self.desiredVersion = desiredVersion
    }

    /// The workloads upstream's install.yaml creates; those present must all be ready, and
    /// the server, repo server and application controller must be present.
    public static let required = ["argocd-server", "argocd-repo-server", "argocd-application-controller"]

    public var installed: Bool { workloads.contains { $0.name == "argocd-server" } }

    /// The argocd-server image tag: `quay.io/argoproj/argocd:v3.1.9` → `v3.1.9`.
    public var version: String? {
        workloads.first { $0.name == "argocd-server" }?.image.flatMap(Self.tag)
    }

    public var notReady: [ArgoWorkload] { workloads.filter { !$0.isReady } }

    public var available: Bool {
        installed && Self.required.allSatisfy { name in workloads.contains { $0.name == name } } && notReady.isEmpty
    }

    static func tag(_ image: String) -> String? {
        guard let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") else { return nil }
        return String(image[image.index(after: colon)...].prefix { $0 != "@" })
    }

    /// The argocd image tag an install manifest deploys.
    public static func version(inManifest text: String) -> String? {
        for line in text.split(separator: "\n") where line.contains("argoproj/argocd:") {
            guard let range = line.range(of: "argoproj/argocd:") else { continue }
            let tag = line[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != "@" }
            if !tag.isEmpty { return String(tag) }
        }
        return nil
    }
}

/// The pure diff of `argocd`: installed at the version asked for, and available.
public enum ArgoDiff {
    public static func diff(_ install: ArgoInstall?, _ observed: ObservedArgo) -> KindPlan {
        var plan = KindPlan()
        guard install != nil else {
            if observed.installed { plan.unchanged.append(.argocd) }
            return plan
        }
        let wanted = observed.desiredVersion
        let change: Change?
        if !observed.installed {
            change = Change(.argocd, action: .create, summary: "install ArgoCD\(wanted.map { " " + $0 } ?? "")",
                            fields: ["version": FieldChange(from: nil, to: wanted ?? "(from the manifest)")])
        } else if let wanted, let have = observed.version, have != wanted {
            change = Change(.argocd, action: .update, summary: "upgrade ArgoCD \(have) → \(wanted)",
                            fields: ["version": FieldChange(from: have, to: wanted)])
        } else if !observed.available {
            let waiting = observed.notReady.map { "\($0.name) \($0.ready)/\($0.replicas)" }
                + ObservedArgo.required.filter { name in !observed.workloads.contains { $0.name == name } }.map { "\($0) missing" }
            change = Change(.argocd, action: .update, summary: "wait for ArgoCD to be available (\(waiting.joined(separator: ", ")))",
                            fields: ["available": FieldChange(from: "false", to: "true")])
        } else {
            change = nil
        }
        plan.add(change, or: .argocd)
        return plan
    }
}
