/// What observe found for the registry mirrors: the hosts.toml files in the node (nil when
/// the node does not run) and, for the docker runtime, the node's dockerd storage driver.
public struct ObservedMirrors: Sendable, Equatable {
    public var files: [String: String]?
    public var runtime: ContainerRuntime
    public var storageDriver: String?

    public init(files: [String: String]?, runtime: ContainerRuntime, storageDriver: String? = nil) {
        self.files = files
        self.runtime = runtime
        self.storageDriver = storageDriver
    }
}

/// The pure diff of `mirror:<registry>`: each mirror's hosts.toml, compared semantically.
public enum MirrorDiff {
    public static func diff(_ spec: ClusterSpec, _ observed: ObservedMirrors, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        let files = upstream.changes(kind: "cluster") ? nil : observed.files
        for mirror in spec.registryMirrors {
            plan.add(change(mirror, spec: spec, files: files), or: .mirror(cluster: spec.label, registry: mirror.registry))
        }
        plan.changes += removals(spec, files: files)
        if !spec.registryMirrors.isEmpty, let warning = runtimeWarning(observed) { plan.warnings.append(warning) }
        return plan
    }

    static func change(_ mirror: RegistryMirror, spec: ClusterSpec, files: [String: String]?) -> Change? {
        let path = HostsToml.path(for: mirror.registry)
        let id = ResourceID.mirror(cluster: spec.label, registry: mirror.registry)
        guard let files else {
            return Change(id, action: .create, summary: "write \(path) once the node runs (mirror \(mirror.mirror))",
                          fields: ["file": FieldChange(from: nil, to: path)])
        }
        guard let current = files[path] else {
            return Change(id, action: .create, summary: "write \(path) (mirror \(mirror.mirror))",
                          fields: ["file": FieldChange(from: nil, to: path)])
        }
        if HostsToml.isEquivalent(current, to: mirror) { return nil }
        return Change(id, action: .update, summary: "rewrite \(path): it differs from the lab file",
                      fields: ["file": FieldChange(from: "differs", to: path)])
    }

    /// A hosts.toml moor wrote (it starts with moor's header) for a registry the lab file no
    /// longer lists: containerd would keep using that mirror, so it goes. Files moor did not
    /// write (kicbase's own docker.io one, a user's) are left alone.
    static func removals(_ spec: ClusterSpec, files: [String: String]?) -> [Change] {
        let listed = Set(spec.registryMirrors.map(\.registry))
        return (files ?? [:]).keys.sorted().compactMap { path in
            guard let registry = HostsToml.registry(at: path), !listed.contains(registry), HostsToml.isManaged(files?[path] ?? "") else { return nil }
            return Change(.mirror(cluster: spec.label, registry: registry), action: .remove,
                          summary: "remove \(path): moor wrote it and the lab file no longer lists a mirror for \(registry)",
                          fields: ["file": FieldChange(from: path, to: "absent")])
        }
    }

    /// With the docker runtime, kubelet pulls go through dockerd, which reads hosts.toml only
    /// with the containerd image store.
    public static func runtimeWarning(_ observed: ObservedMirrors) -> String? {
        guard observed.runtime == .docker else { return nil }
        let imageStore = observed.storageDriver.map { $0.contains("io.containerd.snapshotter") }
        guard imageStore != true else { return nil }
        let seen = imageStore == false ? "the node's dockerd uses the classic image store" : "unless the node's dockerd uses the containerd image store"
        return "registry mirrors may be ignored: with containerRuntime docker, kubelet pulls go through dockerd, which reads hosts.toml only with the containerd image store (\(seen)); set `cluster.containerRuntime: containerd` to use the mirrors"
    }
}
