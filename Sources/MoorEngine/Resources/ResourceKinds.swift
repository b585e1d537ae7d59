import MoorCore

/// The kinds of resource moor knows, and which of them a lab file uses. Adding a kind is
/// one file and one line here.
public enum ResourceKinds {
    static func declared(in lab: LabFile, labPath: String, context: MoorContext) -> [any ResourceKind] {
        var kinds: [any ResourceKind] = []
        if let cluster = lab.cluster {
            kinds.append(ClusterKind(spec: cluster))
            // Also with no mirrors listed: a hosts.toml moor wrote for one the lab dropped goes.
            kinds.append(MirrorKind(spec: cluster))
            if let expose = lab.expose?.tailscale {
                let host = expose.host ?? cluster.host
                kinds.append(ExposeKind(spec: expose, cluster: cluster, hostLabel: lab.host(named: host).ssh != nil ? host : nil))
            }
        }
        let apps = try? AppsEngine(lab: lab, labPath: labPath, context: context)
        if let gitops = lab.gitops, let apps { kinds.append(ArgoKind(spec: gitops, engine: apps, labPath: labPath)) }
        if !lab.secrets.isEmpty { kinds.append(SecretKind(engine: SecretsEngine(lab: lab, labPath: labPath, context: context))) }
        if let apps { kinds.append(AppKind(engine: apps)) }
        return kinds
    }
}
