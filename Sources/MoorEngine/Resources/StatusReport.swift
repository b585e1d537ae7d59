import MoorCore

/// The JSON of `moor status`: what is there now, from one observation.
public struct StatusReport: Sendable, Equatable, Encodable {
    public struct Cluster: Sendable, Equatable, Encodable {
        public var name: String
        public var state: ClusterState
        public var driver: String?
        public var apiServer: APIServer
    }

    public struct APIServer: Sendable, Equatable, Encodable {
        public var hostPort: Int?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hostPort, forKey: .hostPort)
        }
        enum CodingKeys: String, CodingKey { case hostPort }
    }

    public struct Expose: Sendable, Equatable, Encodable {
        public var resource: String
        public var target: String?
        public var inSync: Bool

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resource, forKey: .resource)
            try container.encode(target, forKey: .target)
            try container.encode(inSync, forKey: .inSync)
        }
        enum CodingKeys: String, CodingKey { case resource, target, inSync }
    }

    public struct Mirror: Sendable, Equatable, Encodable {
        public var registry: String
        public var inSync: Bool
    }

    /// ArgoCD and its apps, when the lab file has `gitops`.
    public struct Argo: Sendable, Equatable, Encodable {
        public struct Apps: Sendable, Equatable, Encodable {
            public var total: Int
            public var synced: Int
            public var healthy: Int
        }

        public var installed: Bool
        public var version: String?
        public var available: Bool
        public var apps: Apps

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(installed, forKey: .installed)
            try container.encode(version, forKey: .version)
            try container.encode(available, forKey: .available)
            try container.encode(apps, forKey: .apps)
        }
        enum CodingKeys: String, CodingKey { case installed, version, available, apps }
    }

    public var cluster: Cluster
    public var expose: Expose?
    public var mirrors: [Mirror]
    public var argocd: Argo?

    public init(lab: LabFile, _ result: PlanResult) throws {
        guard let spec = lab.cluster else {
            throw MoorError(.invalidInput, "the lab file has no `cluster` section; add one to use status")
        }
        let key = spec.label.map { "@\($0)" } ?? ""
        let observed = result.observed("cluster" + key, as: ObservedCluster.self)
        let exposure = result.observed("expose" + key, as: ObservedExposure.self)
        var state = observed?.state ?? .absent
        if let k3s = result.observed("cluster" + key, as: ObservedK3s.self) {
            state = k3s.host.active ? .running : k3s.host.installed ? .stopped : .absent
        }
        cluster = Cluster(name: spec.name, state: state, driver: observed?.config?.driver.description,
                          apiServer: APIServer(hostPort: exposure?.apiHostPort))
        expose = lab.expose?.tailscale.map { ts in
            Expose(resource: ExposeDiff.id(ts).description, target: exposure?.target(ts),
                   inSync: result.plan.change(for: ExposeDiff.id(ts)) == nil)
        }
        mirrors = spec.registryMirrors.map {
            Mirror(registry: $0.registry, inSync: result.plan.change(for: .mirror(cluster: spec.label, registry: $0.registry)) == nil)
        }
        if lab.gitops != nil {
            let argo = result.observed("argocd", as: ObservedArgo.self)
            let apps = result.observed("app", as: [Application].self) ?? []
            argocd = Argo(installed: argo?.installed ?? false, version: argo?.version, available: argo?.available ?? false,
                          apps: .init(total: apps.count, synced: apps.filter { $0.syncStatus == .synced }.count,
                                      healthy: apps.filter { $0.health == .healthy }.count))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cluster, forKey: .cluster)
        try container.encode(expose, forKey: .expose)
        try container.encode(mirrors, forKey: .mirrors)
        try container.encode(argocd, forKey: .argocd)
    }
    enum CodingKeys: String, CodingKey { case cluster, expose, mirrors, argocd }
}
