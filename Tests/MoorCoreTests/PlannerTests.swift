import Testing
import MoorCore
import MoorTestSupport

/// The cluster loop's pure diffs, composed in dependency order as the engine does, over one
/// observation value.
struct Observation {
    var cluster: ObservedCluster
    var apiHostPort: Int?
    var serve: ServeConfig?
    var mirrorFiles: [String: String]?
    var nodeStorageDriver: String?
    var apiServerCertificateNames: [String]? {
        get { cluster.certificateNames }
        set { cluster.certificateNames = newValue }
    }
    var dockerMemoryMiB: Int? {
        get { cluster.dockerMemoryMiB }
        set { cluster.dockerMemoryMiB = newValue }
    }

    init(cluster: ObservedCluster, apiHostPort: Int? = nil, serve: ServeConfig? = nil, mirrorFiles: [String: String]? = nil,
         nodeStorageDriver: String? = nil) {
        self.cluster = cluster
        self.apiHostPort = apiHostPort
        self.serve = serve
        self.mirrorFiles = mirrorFiles
        self.nodeStorageDriver = nodeStorageDriver
    }
}

enum Planner {
    static func plan(_ lab: LabFile, _ observation: Observation) -> Plan {
        var plan = Plan()
        guard let spec = lab.cluster else { return plan }
        let cluster = ClusterDiff.diff(spec, observation.cluster)
        plan.add(cluster)
        let upstream = UpstreamChanges(cluster.changes)
        let runtime = spec.containerRuntime ?? observation.cluster.config?.containerRuntime ?? "docker"
        do {
            plan.add(MirrorDiff.diff(spec, ObservedMirrors(files: observation.mirrorFiles, runtime: runtime, storageDriver: observation.nodeStorageDriver),
                                     upstream: upstream))
        }
        if let expose = lab.expose?.tailscale {
            plan.add(ExposeDiff.diff(expose, ObservedExposure(apiHostPort: observation.apiHostPort, serve: observation.serve), upstream: upstream))
        }
        return plan
    }

    static func preflightProblems(_ spec: ClusterSpec, _ observation: Observation, clusterChange: Change?) -> [String] {
        ClusterDiff.preflightProblems(spec, observation.cluster, change: clusterChange)
    }
}

@Suite struct PlannerTests {
    let lab: LabFile

    init() throws {
        lab = try LabLoader.load(text: Fixtures.example(), file: "homelab.yaml").get()
    }

    var matchingConfig: MinikubeProfiles.ProfileConfig {
        .init(driver: "docker", containerRuntime: "docker", cpus: 6, memoryMiB: 11264, diskMiB: 204800, apiServerPort: 6443,
              apiServerNames: ["k8s.tail8d86e.ts.net", "indri"], listenAddress: "0.0.0.0")
    }

    func inSyncObservation(port: Int = 50123) -> Observation {
        var files: [String: String] = [:]
        for mirror in lab.cluster!.registryMirrors { files[HostsToml.path(for: mirror.registry)] = HostsToml.render(mirror) }
        return Observation(cluster: ObservedCluster(name: "minikube", state: .running, config: matchingConfig), apiHostPort: port,
                           serve: try! ServeConfig.parse(#"{"Services":{"svc:k8s":{"TCP":{"443":{"TCPForward":"localhost:\#(port)"}}}}}"#),
                           mirrorFiles: files, nodeStorageDriver: "overlayfs [[\"driver-type\",\"io.containerd.snapshotter.v1\"]]")
    }

    @Test func nothingThereMeansCreateEverything() {
        let plan = Planner.plan(lab, Observation(cluster: ObservedCluster(name: "minikube", state: .absent)))
        #expect(plan.changes.map(\.resource) == ["cluster", "mirror:registry.tail8d86e.ts.net", "mirror:docker.io",
                                                 "mirror:ghcr.io", "mirror:quay.io", "expose:svc:k8s:443"])
        #expect(plan.changes.map(\.action) == [.create, .create, .create, .create, .create, .create])
        #expect(plan.changes[0].fields["cpus"] == FieldChange(from: nil, to: "6"))
        #expect(plan.changes[0].fields["memory"] == FieldChange(from: nil, to: "11GiB"))
        #expect(plan.unchanged.isEmpty)
    }

    @Test func inSyncMeansAnEmptyPlan() {
        let plan = Planner.plan(lab, inSyncObservation())
        #expect(plan.isEmpty)
        #expect(plan.unchanged.count == 6)
        #expect(plan.warnings.isEmpty, "the containerd image store is in use, so no mirror warning")
    }

    @Test func aNewHostPortIsOneExposeChange() throws {
        var observation = inSyncObservation()
        observation.apiHostPort = 50999
        let plan = Planner.plan(lab, observation)
        #expect(plan.changes.count == 1)
        let change = try #require(plan.changes.first)
        #expect(change.resource == "expose:svc:k8s:443")
        #expect(change.action == .update)
        #expect(change.fields["target"] == FieldChange(from: "localhost:50123", to: "localhost:50999"))
    }

    @Test func a127TargetIsInSync() throws {
        var observation = inSyncObservation()
        observation.serve = try ServeConfig.parse(#"{"Services":{"svc:k8s":{"TCP":{"443":{"TCPForward":"127.0.0.1:50123"}}}}}"#)
        #expect(Planner.plan(lab, observation).isEmpty)
    }

    @Test func stoppedAndPausedClustersStart() {
        for state in [ClusterState.stopped, .paused] {
            let plan = Planner.plan(lab, Observation(cluster: ObservedCluster(name: "minikube", state: state, config: matchingConfig)))
            #expect(plan.changes.first?.action == .start)
            #expect(plan.changes.first?.fields["state"]?.from == state.rawValue)
        }
    }

    @Test func changedSettingsMeanRecreateWithTheFields() throws {
        var config = matchingConfig
        config.cpus = 4
        config.apiServerNames = ["indri"]
        config.listenAddress = ""
        var observation = inSyncObservation()
        observation.cluster.config = config
        let change = try #require(Planner.plan(lab, observation).change(for: .cluster(nil)))
        #expect(change.action == .recreate)
        #expect(Set(change.fields.keys) == ["cpus", "apiServer.names", "apiServer.listenAddress"])
        #expect(change.fields["cpus"] == FieldChange(from: "4", to: "6"))
        #expect(change.fields["apiServer.listenAddress"] == FieldChange(from: "127.0.0.1", to: "0.0.0.0"))
    }

    @Test func aCertificateWithoutANameMeansRecreate() throws {
        var observation = inSyncObservation()
        observation.apiServerCertificateNames = ["minikube", "indri", "127.0.0.1"]
        let change = try #require(Planner.plan(lab, observation).change(for: .cluster(nil)))
        #expect(change.action == .recreate)
        #expect(change.summary.contains("lacks k8s.tail8d86e.ts.net"))
        #expect(change.fields["apiServer.certificate"] == FieldChange(from: "minikube,indri,127.0.0.1", to: "k8s.tail8d86e.ts.net,indri"))
        observation.apiServerCertificateNames = ["minikube", "k8s.tail8d86e.ts.net", "indri"]
        #expect(Planner.plan(lab, observation).isEmpty)
    }

    @Test func unsetSettingsAreNotCompared() throws {
        var spec = ClusterSpec()
        spec.name = "minikube"
        let lab = LabFile(cluster: spec)
        let config = MinikubeProfiles.ProfileConfig(driver: "docker", containerRuntime: "containerd", cpus: 2, memoryMiB: 4000,
                                                    diskMiB: 20000, apiServerPort: 8443, apiServerNames: [], listenAddress: "")
        #expect(Planner.plan(lab, Observation(cluster: ObservedCluster(name: "minikube", state: .running, config: config))).isEmpty)
    }

    @Test func mirrorFilesAreComparedSemantically() {
        var observation = inSyncObservation()
        let quay = HostsToml.path(for: "quay.io")
        let original = observation.mirrorFiles?[quay] ?? ""
        observation.mirrorFiles?[quay] = "# edited\n" + original
        #expect(Planner.plan(lab, observation).isEmpty)
        observation.mirrorFiles?[quay] = "server = \"https://quay.io\"\n"
        #expect(Planner.plan(lab, observation).changes.map(\.resource) == ["mirror:quay.io"])
        #expect(Planner.plan(lab, observation).changes.first?.action == .update)
        observation.mirrorFiles?[quay] = nil
        #expect(Planner.plan(lab, observation).changes.first?.action == .create)
    }

    @Test func aMirrorTheLabDroppedIsRemovedOnlyIfMoorWroteIt() throws {
        var observation = inSyncObservation()
        var smaller = lab
        smaller.cluster?.registryMirrors.removeAll { $0.registry == "quay.io" || $0.registry == "ghcr.io" }
        // ghcr.io's file is not moor's (a user wrote it): it stays.
        observation.mirrorFiles?[HostsToml.path(for: "ghcr.io")] = "server = \"https://ghcr.io\"\n"
        observation.mirrorFiles?[HostsToml.path(for: "registry.local:5000")] = HostsToml.render(
            RegistryMirror(registry: "registry.local:5000", mirror: "http://registry.local:5000"))
        let plan = Planner.plan(smaller, observation)
        #expect(plan.changes.map(\.resource) == ["mirror:quay.io", "mirror:registry.local:5000"])
        #expect(plan.changes.map(\.action) == [.remove, .remove])
        #expect(plan.changes.first?.summary.contains("/etc/containerd/certs.d/quay.io/hosts.toml") == true)
        // No mirrors at all: every file moor wrote goes, and nothing warns about the runtime.
        smaller.cluster?.registryMirrors = []
        observation.nodeStorageDriver = "overlay2 [[\"Backing Filesystem\",\"extfs\"]]"
        let none = Planner.plan(smaller, observation)
        #expect(none.changes.filter { $0.action == .remove }.count == 4)
        #expect(none.warnings.isEmpty)
    }

    @Test func grepOutputKeepsHostsTomlFilesNotAskedForByName() {
        let output = "/etc/containerd/certs.d/registry.local:5000/hosts.toml:server = \"x\"\n/etc/containerd/certs.d/docker.io/hosts.toml:a\n/etc/containerd/certs.d/docker.io/hosts.toml:b\n"
        let files = GrepFiles.parse(output, paths: ["/etc/containerd/certs.d/docker.io/hosts.toml"], endingIn: "/hosts.toml")
        #expect(files == ["/etc/containerd/certs.d/registry.local:5000/hosts.toml": "server = \"x\"\n",
                          "/etc/containerd/certs.d/docker.io/hosts.toml": "a\nb\n"])
        #expect(HostsToml.registry(at: "/etc/containerd/certs.d/registry.local:5000/hosts.toml") == "registry.local:5000")
        #expect(HostsToml.registry(at: "/etc/containerd/certs.d/a/b/hosts.toml") == nil)
    }

    @Test func dockerRuntimeWithoutTheImageStoreWarns() {
        var observation = inSyncObservation()
        observation.nodeStorageDriver = "overlay2 [[\"Backing Filesystem\",\"extfs\"]]"
        let warnings = Planner.plan(lab, observation).warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("containerRuntime: containerd") == true)
    }

    @Test func preflightRefusesMemoryThatDoesNotFit() {
        var observation = Observation(cluster: ObservedCluster(name: "minikube", state: .absent))
        observation.dockerMemoryMiB = 12 * 1024
        #expect(Planner.plan(lab, observation).warnings.allSatisfy { !$0.contains("does not fit") })
        observation.dockerMemoryMiB = 11 * 1024
        let change = Planner.plan(lab, observation).change(for: .cluster(nil))
        #expect(Planner.preflightProblems(lab.cluster!, observation, clusterChange: change).first?.contains("does not fit") == true)
    }
}
