import Foundation
import Testing
import MoorCore
@testable import MoorEngine
@testable import MoorWatch

/// A cluster's row of the status page from what a reconcile observed, per provider: the
/// mirrors' use by runtime, the tailnet target against the port, k3s's version and port.
struct ClusterStatusReadingTests {
    static func serve(_ target: String) throws -> ServeConfig {
        try ServeConfig.parse(#"{"Services":{"svc:k8s":{"TCP":{"443":{"TCPForward":"\#(target)"}}}}}"#)
    }

    static func minikube(_ runtime: ContainerRuntime) -> ObservedCluster {
        ObservedCluster(name: "minikube", state: .running, config: .init(
            driver: .docker, containerRuntime: runtime, cpus: 6, memoryMiB: 11264, diskMiB: 204_800, apiServerPort: 6443,
            apiServerNames: [], listenAddress: "0.0.0.0", kubernetesVersion: "v1.36.2"))
    }

    @Test func theDockerRuntimeIgnoresWrittenMirrorsAndContainerdUsesThem() throws {
        let lab = try LabLoader.load(text: SeedLab.text(runtime: "docker"), file: "lab.yaml").get()
        let spec = try #require(lab.cluster)
        var observed: [String: any Sendable] = [
            "cluster": Self.minikube(.docker),
            "mirror": ObservedMirrors(files: [:], runtime: .docker, storageDriver: "overlay2"),
            "expose": ObservedExposure(apiHostPort: 32771, serve: try Self.serve("localhost:32771")),
        ]
        var row = ClusterStatusReading.cluster(spec, lab: lab, observed: observed, changes: [])
        #expect(row.state == "running" && row.kubernetesVersion == "v1.36.2" && row.apiServerPort == 32771)
        #expect(row.exposure == .init(resource: "expose:svc:k8s:443", target: "localhost:32771", matches: true))
        #expect(row.mirrors.count == 4 && row.mirrors.allSatisfy { $0.written && $0.use == "ignored by the docker runtime" })

        // The containerd image store under dockerd reads them.
        observed["mirror"] = ObservedMirrors(files: [:], runtime: .docker, storageDriver: "overlayfs io.containerd.snapshotter.v1")
        row = ClusterStatusReading.cluster(spec, lab: lab, observed: observed, changes: [])
        #expect(row.mirrors.allSatisfy { $0.use == "in use" })

        // A containerd node with one mirror still to write, and the tailnet on the old port.
        observed["cluster"] = Self.minikube(.containerd)
        observed["mirror"] = ObservedMirrors(files: [:], runtime: .containerd)
        observed["expose"] = ObservedExposure(apiHostPort: 50123, serve: try Self.serve("localhost:32771"))
        let changes = [Change(.mirror(cluster: nil, registry: "quay.io"), action: .create, summary: "write it"),
                       Change(ExposeDiff.id(try #require(lab.expose?.tailscale)), action: .update, summary: "forward to 50123")]
        row = ClusterStatusReading.cluster(spec, lab: lab, observed: observed, changes: changes)
        #expect(row.exposure?.matches == false && row.exposure?.target == "localhost:32771" && row.apiServerPort == 50123)
        #expect(row.mirrors.first { $0.registry == "quay.io" }.map { !$0.written && $0.use == "not in use" } == true)
        #expect(row.mirrors.filter { $0.registry != "quay.io" }.allSatisfy { $0.written && $0.use == "in use" })
        let status = LabStatus(generatedAt: Date(), lastObservation: nil, clusters: [row], argocd: nil, checks: [], incidents: [], doctor: nil)
        #expect(status.overall.problems == ["expose:svc:k8s:443 forwards to localhost:32771, not the API server's port 50123",
                                            "mirror quay.io on minikube is not written"])

        // A stopped node: nothing is known of the mirrors' use.
        observed["cluster"] = ObservedCluster(name: "minikube", state: .stopped)
        row = ClusterStatusReading.cluster(spec, lab: lab, observed: observed, changes: [])
        #expect(row.state == "stopped" && row.mirrors.allSatisfy { !$0.written && $0.use.hasPrefix("unknown") })
    }

    @Test func k3sGivesItsVersionAndListenPort() throws {
        let lab = try LabLoader.load(text: """
            version: 1
            hosts:
              ringtail: {ssh: ringtail}
            cluster:
              name: ringtail
              provider: k3s
              host: ringtail
              apiServer: {names: [ringtail.tail8d86e.ts.net], port: 6443}
              registryMirrors:
                - {registry: docker.io, mirror: "https://registry.ops.eblu.me"}
            """, file: "lab.yaml").get()
        let spec = try #require(lab.cluster)
        let host = K3sHostState(version: "v1.33.4+k3s1", unit: "active", files: [:])
        let row = ClusterStatusReading.cluster(spec, lab: lab, observed: ["cluster": ObservedK3s(host: host)], changes: [])
        #expect(row.provider == "k3s" && row.host == "ringtail" && row.state == "running")
        #expect(row.kubernetesVersion == "v1.33.4+k3s1" && row.apiServerPort == 6443)
        #expect(row.mirrors == [.init(registry: "docker.io", endpoint: "https://registry.ops.eblu.me", written: true, use: "in use")])
        let inactive = ClusterStatusReading.cluster(spec, lab: lab, observed: ["cluster": ObservedK3s(host: K3sHostState(version: "v1.33.4+k3s1", unit: "inactive", files: [:]))], changes: [])
        #expect(inactive.state == "stopped" && inactive.apiServerPort == nil)
    }
}
