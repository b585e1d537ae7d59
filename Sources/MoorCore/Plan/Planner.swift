/// The pure diff: lab file × observation → plan. No process, no clock, no file.
public enum Planner {
    /// Docker Desktop needs about this much beyond the cluster's own memory.
    public static let dockerHeadroomMiB = 1024

    public static func plan(_ lab: LabFile, _ observation: Observation) -> Plan {
        var plan = clusterPlan(lab, observation)
        GitOpsPlanner.add(lab, observation, to: &plan)
        plan.warnings += observation.notes
        return plan
    }

    static func clusterPlan(_ lab: LabFile, _ observation: Observation) -> Plan {
        var plan = Plan()
        guard let spec = lab.cluster else { return plan }
        let clusterChange = cluster(spec, observation.cluster) ?? certificateNames(spec, observation)
        if let clusterChange { plan.changes.append(clusterChange) } else { plan.unchanged.append(ResourceName.cluster) }
        let nodeWillChange = clusterChange != nil
        for mirror in spec.registryMirrors {
            if let change = mirrorChange(mirror, files: nodeWillChange ? nil : observation.mirrorFiles) {
                plan.changes.append(change)
            } else {
                plan.unchanged.append(ResourceName.mirror(mirror.registry))
            }
        }
        if let expose = lab.expose?.tailscale {
            let port = nodeWillChange ? nil : observation.apiHostPort
            if let change = exposeChange(expose, hostPort: port, serve: observation.serve) {
                plan.changes.append(change)
            } else {
                plan.unchanged.append(ResourceName.expose(expose))
            }
        }
        plan.warnings = warnings(spec, observation, clusterChange: clusterChange)
        return plan
    }

    static func cluster(_ spec: ClusterSpec, _ observed: ObservedCluster) -> Change? {
        if observed.state == .absent {
            return Change(resource: ResourceName.cluster, action: .create,
                          summary: "create the \(spec.driver) cluster `\(spec.name)`", fields: desiredFields(spec))
        }
        if let config = observed.config {
            let differences = ClusterSettings.differences(spec, config)
            if !differences.isEmpty {
                let names = differences.keys.sorted().joined(separator: ", ")
                return Change(resource: ResourceName.cluster, action: .recreate,
                              summary: "recreate cluster `\(spec.name)`: \(names) can only be set when it is created",
                              fields: differences)
            }
        }
        switch observed.state {
        case .stopped:
            return Change(resource: ResourceName.cluster, action: .start, summary: "start the stopped cluster `\(spec.name)`",
                          fields: ["state": FieldChange(from: "stopped", to: "running")])
        case .paused:
            return Change(resource: ResourceName.cluster, action: .start, summary: "unpause cluster `\(spec.name)`",
                          fields: ["state": FieldChange(from: "paused", to: "running")])
        case .running, .error, .absent:
            return nil
        }
    }

    /// minikube fixes the API server certificate's names at creation (and the docker driver
    /// has dropped extra names before), so a name missing from the served certificate means
    /// recreating the cluster.
    static func certificateNames(_ spec: ClusterSpec, _ observation: Observation) -> Change? {
        guard observation.cluster.state == .running, let names = observation.apiServerCertificateNames else { return nil }
        let missing = spec.apiServer.names.filter { !names.contains($0) }
        guard !missing.isEmpty else { return nil }
        return Change(resource: ResourceName.cluster, action: .recreate,
                      summary: "recreate cluster `\(spec.name)`: its API server certificate lacks \(missing.joined(separator: ", ")), and minikube sets certificate names only when it creates a cluster",
                      fields: ["apiServer.certificate": FieldChange(from: names.joined(separator: ","), to: spec.apiServer.names.joined(separator: ","))])
    }

    static func desiredFields(_ spec: ClusterSpec) -> [String: FieldChange] {
        ClusterSettings.desired(spec).mapValues { FieldChange(from: nil, to: $0) }
    }

    static func mirrorChange(_ mirror: RegistryMirror, files: [String: String]?) -> Change? {
        let path = HostsToml.path(for: mirror.registry)
        let resource = ResourceName.mirror(mirror.registry)
        guard let files else {
            return Change(resource: resource, action: .create,
                          summary: "write \(path) once the node runs (mirror \(mirror.mirror))",
                          fields: ["file": FieldChange(from: nil, to: path)])
        }
        guard let current = files[path] else {
            return Change(resource: resource, action: .create, summary: "write \(path) (mirror \(mirror.mirror))",
                          fields: ["file": FieldChange(from: nil, to: path)])
        }
        if HostsToml.isEquivalent(current, to: mirror) { return nil }
        return Change(resource: resource, action: .update, summary: "rewrite \(path): it differs from the lab file",
                      fields: ["file": FieldChange(from: "differs", to: path)])
    }

    static func exposeChange(_ spec: TailscaleExpose, hostPort: Int?, serve: ServeConfig?) -> Change? {
        let resource = ResourceName.expose(spec)
        let what = spec.service.map { "\($0) tcp/\(spec.port)" } ?? "tailnet tcp/\(spec.port)"
        let current = serve?.tcpForward(service: spec.service, port: spec.port)
        guard let hostPort else {
            return Change(resource: resource, action: current == nil ? .create : .update,
                          summary: "point \(what) at the API server's host port once the cluster runs",
                          fields: ["target": FieldChange(from: current, to: "localhost:<api port>")])
        }
        if let serve, ServeTarget.matches(serve.tcpForward(service: spec.service, port: spec.port), hostPort: hostPort) {
            return nil
        }
        let desired = ServeTarget.desired(hostPort: hostPort)
        let summary = current.map { "repoint \(what) from \($0) to \(desired)" } ?? "serve \(what) → \(desired)"
        return Change(resource: resource, action: current == nil ? .create : .update, summary: summary,
                      fields: ["target": FieldChange(from: current, to: desired)])
    }

    static func warnings(_ spec: ClusterSpec, _ observation: Observation, clusterChange: Change?) -> [String] {
        var warnings = preflightProblems(spec, observation, clusterChange: clusterChange)
        if observation.cluster.state == .error {
            warnings.append("cluster `\(spec.name)` is up but its API server or kubelet is not running; see `minikube status -p \(spec.name)`")
        }
        let runtime = spec.containerRuntime ?? observation.cluster.config?.containerRuntime ?? "docker"
        if runtime == "docker", !spec.registryMirrors.isEmpty {
            let imageStore = observation.nodeStorageDriver.map { $0.contains("io.containerd.snapshotter") }
            if imageStore != true {
                let seen = imageStore == false ? "the node's dockerd uses the classic image store" : "unless the node's dockerd uses the containerd image store"
                warnings.append("registry mirrors may be ignored: with containerRuntime docker, kubelet pulls go through dockerd, which reads hosts.toml only with the containerd image store (\(seen)); set `cluster.containerRuntime: containerd` to use the mirrors")
            }
        }
        return warnings
    }

    /// Problems that make creating or starting the cluster fail; `up` refuses on these.
    public static func preflightProblems(_ spec: ClusterSpec, _ observation: Observation, clusterChange: Change?) -> [String] {
        guard let change = clusterChange, change.action != .start || observation.cluster.state == .stopped,
              spec.driver == "docker", let memory = spec.memoryMiB, let available = observation.dockerMemoryMiB else { return [] }
        if memory + dockerHeadroomMiB > available {
            return ["cluster.memory \(memory) MiB does not fit: Docker has \(available) MiB and needs about \(dockerHeadroomMiB) MiB for itself; raise Docker's memory or lower cluster.memory"]
        }
        return []
    }
}
