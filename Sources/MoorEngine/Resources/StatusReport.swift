import MoorCore

/// The JSON of `moor status`: what is there now, from one observation.
public struct StatusReport: Sendable, Equatable, Encodable {
    public struct Cluster: Sendable, Equatable, Encodable {
        public var name: String
        public var state: ClusterState
        public var driver: String?
        public var apiServer: APIServer
        /// moor's name and the provider, in a lab of several clusters.
        public var id: String?
        public var provider: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(state, forKey: .state)
            try container.encode(driver, forKey: .driver)
            try container.encode(apiServer, forKey: .apiServer)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(provider, forKey: .provider)
        }
        enum CodingKeys: String, CodingKey { case name, state, driver, apiServer, id, provider }
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
        /// The cluster, in a lab of several.
        public var cluster: String?
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

    /// The lab's first cluster (the only one in a one-cluster lab).
    public var cluster: Cluster
    /// Every cluster, in a lab of several (absent from the JSON otherwise).
    public var clusters: [Cluster]?
    public var expose: Expose?
    public var mirrors: [Mirror]
    public var argocd: Argo?

    public init(lab: LabFile, _ result: PlanResult) throws {
        guard !lab.clusters.isEmpty else {
            throw MoorError(.invalidInput, "the lab file has no `cluster` section; add one to use status")
        }
        var all: [Cluster] = []
        var exposure: ObservedExposure?
        mirrors = []
        for spec in lab.clusters {
            let key = spec.label.map { "@\($0)" } ?? ""
            let observed = result.observed("cluster" + key, as: ObservedCluster.self)
            let exposed = result.observed("expose" + key, as: ObservedExposure.self)
            if exposed != nil { exposure = exposed }
            var state = observed?.state ?? .absent
            var port = exposed?.apiHostPort
            if let k3s = result.observed("cluster" + key, as: ObservedK3s.self) {
                state = k3s.host.active ? .running : k3s.host.installed ? .stopped : .absent
                port = port ?? (k3s.host.active ? k3s.apiPort : nil)
            }
            all.append(Cluster(name: spec.name, state: state, driver: observed?.config?.driver.description, apiServer: APIServer(hostPort: port),
                               id: lab.namesClusters ? spec.id : nil, provider: lab.namesClusters ? spec.provider.description : nil))
            mirrors += spec.registryMirrors.map {
                Mirror(registry: $0.registry, inSync: result.plan.change(for: .mirror(cluster: spec.label, registry: $0.registry)) == nil, cluster: spec.label)
            }
        }
        cluster = all[0]
        clusters = lab.namesClusters ? all : nil
        expose = lab.expose?.tailscale.map { ts in
            Expose(resource: ExposeDiff.id(ts).description, target: exposure?.target(ts),
                   inSync: result.plan.change(for: ExposeDiff.id(ts)) == nil)
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
        try container.encodeIfPresent(clusters, forKey: .clusters)
        try container.encode(expose, forKey: .expose)
        try container.encode(mirrors, forKey: .mirrors)
        try container.encode(argocd, forKey: .argocd)
    }
    enum CodingKeys: String, CodingKey { case cluster, clusters, expose, mirrors, argocd }
}
