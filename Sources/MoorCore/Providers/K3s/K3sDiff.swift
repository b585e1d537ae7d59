/// What observe found on a k3s host, and the served certificate's names.
public struct ObservedK3s: Sendable, Equatable, ClusterHealth {
    public var nodeUp: Bool { host.active }
    public var apiServerUp: Bool { host.active }

    public var host: K3sHostState
    /// The names in the API server's serving certificate; nil when it could not be read.
    public var servingNames: [String]?

    public init(host: K3sHostState, servingNames: [String]? = nil) {
        self.host = host
        self.servingNames = servingNames
    }

    public var serverConfig: K3sFiles.ServerConfig {
        let dropIns = host.files.keys.filter { $0.hasPrefix(K3sPaths.configDropIns + "/") && $0.hasSuffix(".yaml") }.sorted()
        return K3sFiles.serverConfig(([K3sPaths.config] + dropIns).compactMap { path in host.files[path].map { (path, $0.text) } })
    }

    /// The port the API server listens on (k3s's `https-listen-port`, default 6443).
    public var apiPort: Int { serverConfig.httpsListenPort ?? K3sPaths.defaultPort }
}

/// The pure diff of a k3s cluster: installed and running, its certificate names and port
/// (moor's config drop-in), and its registry mirrors (registries.yaml, verified through
/// the hosts.toml k3s renders from it). Changes that need a restart are applied together.
public enum K3sDiff {
    public static func diff(_ spec: ClusterSpec, _ observed: ObservedK3s) -> KindPlan {
        let label = spec.label
        var plan = KindPlan()
        let host = observed.host
        let clusterID = ResourceID.cluster(label)
        let where_ = spec.host ?? "this machine"
        guard host.installed else {
            let summary = spec.install.map { "install k3s \($0.version) on \(where_)" } ?? "k3s is not installed on \(where_)"
            plan.changes.append(Change(clusterID, action: .create, summary: summary, fields: ["k3s": FieldChange(from: nil, to: spec.install?.version ?? "installed")]))
            plan.changes += spec.registryMirrors.map {
                Change(.mirror(cluster: label, registry: $0.registry), action: .create, summary: "write \(K3sPaths.registries) once k3s is installed (mirror \($0.mirror))")
            }
            return plan
        }
        var clusterChange: Change?
        let config = observed.serverConfig
        let missingNames = spec.apiServer.names.filter { !config.tlsSANs.contains($0) }
        let portDiffers = spec.apiServer.port.map { $0 != observed.apiPort } ?? false
        let dropIn = K3sFiles.dropIn(names: spec.apiServer.names, port: spec.apiServer.port)
        if !missingNames.isEmpty || portDiffers {
            var fields: [String: FieldChange] = [:]
            if !missingNames.isEmpty { fields["tls-san"] = FieldChange(from: config.tlsSANs.joined(separator: ","), to: (config.tlsSANs + missingNames).joined(separator: ",")) }
            if portDiffers, let port = spec.apiServer.port { fields["https-listen-port"] = FieldChange(from: String(observed.apiPort), to: String(port)) }
            if let owner = owner(of: K3sPaths.moorConfig, host) {
                clusterChange = managedElsewhere(clusterID, path: K3sPaths.moorConfig, owner: owner, content: dropIn, fields: fields)
            } else {
                let what = missingNames.isEmpty ? "set https-listen-port" : "add \(missingNames.joined(separator: ", ")) to the API server's certificate names (tls-san)"
                clusterChange = Change(clusterID, action: .update, summary: "\(what) in \(K3sPaths.moorConfig) and restart k3s (in place)", fields: fields)
            }
        } else if host.active, let served = observed.servingNames, let unserved = spec.apiServer.names.first(where: { !served.contains($0) }) {
            clusterChange = Change(clusterID, action: .update, summary: "restart k3s: its serving certificate lacks \(unserved), which its configuration has",
                                   fields: ["certificate": FieldChange(from: served.joined(separator: ","), to: spec.apiServer.names.joined(separator: ","))])
        }
        if clusterChange == nil, !host.active {
            clusterChange = Change(clusterID, action: .start, summary: "start k3s on \(where_) (it is \(host.unit))",
                                   fields: ["state": FieldChange(from: host.unit, to: "active")])
        }
        plan.add(clusterChange, or: clusterID)
        plan.changes += mirrorChanges(spec, label: label, host)
        plan.unchanged += spec.registryMirrors.map { ResourceID.mirror(cluster: label, registry: $0.registry) }
            .filter { id in !plan.changes.contains { $0.id == id } }
        return plan
    }

    public static func mirrorChanges(_ spec: ClusterSpec, label: String?, _ host: K3sHostState) -> [Change] {
        let file = host.files[K3sPaths.registries]
        let entries = file.flatMap { K3sFiles.readRegistries($0.text) } ?? [:]
        let wanted = K3sFiles.registries(spec.registryMirrors)
        let owner = owner(of: K3sPaths.registries, host)
        var changes: [Change] = []
        for mirror in spec.registryMirrors {
            let id = ResourceID.mirror(cluster: label, registry: mirror.registry)
            let entry = entries[mirror.registry]
            if !K3sFiles.matches(entry, mirror) {
                let fields = ["endpoint": FieldChange(from: entry?.endpoints.joined(separator: ","), to: mirror.mirror)]
                if let owner {
                    changes.append(managedElsewhere(id, path: K3sPaths.registries, owner: owner, content: wanted, fields: fields))
                } else {
                    changes.append(Change(id, action: entry == nil ? .create : .update,
                                          summary: "\(entry == nil ? "add" : "change") \(mirror.registry) in \(K3sPaths.registries) (mirror \(mirror.mirror)) and restart k3s",
                                          fields: fields))
                }
            } else if host.active, !K3sFiles.rendered(host.files[K3sPaths.renderedHostsToml(for: mirror.registry)]?.text, uses: mirror) {
                changes.append(Change(id, action: .update,
                                      summary: "restart k3s: \(K3sPaths.renderedHostsToml(for: mirror.registry)) does not yet send pulls to \(mirror.mirror)",
                                      fields: ["rendered": FieldChange(from: "stale", to: mirror.mirror)]))
            }
        }
        let listed = Set(spec.registryMirrors.map(\.registry))
        for registry in entries.keys.sorted() where !listed.contains(registry) {
            let id = ResourceID.mirror(cluster: label, registry: registry)
            if let owner {
                changes.append(managedElsewhere(id, path: K3sPaths.registries, owner: owner, content: wanted, fields: ["endpoint": FieldChange(from: entries[registry]?.endpoints.joined(separator: ","), to: "absent")]))
            } else {
                changes.append(Change(id, action: .remove, summary: "remove \(registry) from \(K3sPaths.registries): the lab file lists no mirror for it",
                                      fields: ["endpoint": FieldChange(from: entries[registry]?.endpoints.joined(separator: ","), to: "absent")]))
            }
        }
        return changes
    }

    /// Who else owns a file moor would write, or nil when moor may write it. A drop-in
    /// follows its directory's config.yaml: on NixOS both come from the Nix configuration.
    static func owner(of path: String, _ host: K3sHostState) -> String? {
        if let owner = host.files[path]?.ownerElsewhere { return owner }
        if path == K3sPaths.moorConfig, let owner = host.files[K3sPaths.config]?.ownerElsewhere { return owner }
        return nil
    }

    static func managedElsewhere(_ id: ResourceID, path: String, owner: String, content: String, fields: [String: FieldChange]) -> Change {
        var fields = fields
        fields["content"] = FieldChange(from: nil, to: content)
        return Change(id, action: .managedElsewhere,
                      summary: "\(path) is managed elsewhere (\(owner)): moor does not write it; make it hold:\n\(content)", fields: fields)
    }
}
