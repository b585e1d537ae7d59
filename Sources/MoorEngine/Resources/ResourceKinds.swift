import MoorCore

/// The kinds of resource moor knows, and which of them a lab file uses. Adding a kind is
/// one file and one line here.
public enum ResourceKinds {
    static func declared(in lab: LabFile, labPath: String, context: MoorContext, providers: [ClusterProviders.Registration] = []) -> [any ResourceKind] {
        var kinds: [any ResourceKind] = []
        for cluster in lab.clusters {
            guard let provider = try? ClusterProviders.provider(for: cluster, extra: providers) else { continue }
            kinds += provider.kinds
            kinds.append(VolumesKind(spec: cluster, lab: lab))
            if let expose = lab.expose?.tailscale, (expose.cluster ?? lab.clusters.first?.id) == cluster.id {
                let host = expose.host ?? cluster.host
                kinds.append(ExposeKind(spec: expose, cluster: provider, hostLabel: lab.host(named: host).ssh != nil ? host : nil))
            }
        }
        let apps = try? AppsEngine(lab: lab, labPath: labPath, context: context)
        if let gitops = lab.gitops, let apps { kinds.append(ArgoKind(spec: gitops, engine: apps, labPath: labPath)) }
        if let gitops = lab.gitops, let context = lab.kubectlContext {
            for name in gitops.clusters where name != lab.primaryCluster?.id {
                guard let target = lab.cluster(named: name) else { continue }
                kinds.append(ArgoClusterKind(spec: gitops, target: target, server: lab.serverURL(of: target), kubeContext: context, lab: lab))
            }
        }
        if !lab.secrets.isEmpty { kinds.append(SecretKind(engine: SecretsEngine(lab: lab, labPath: labPath, context: context))) }
        if let apps { kinds.append(AppKind(engine: apps)) }
        kinds += lab.clusters.map { DatabasesKind(spec: $0, lab: lab) }
        return kinds
    }
}
