import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor move` between the two clusters of the seed's later lab: minikube on indri (the
/// stand-ins, ArgoCD in the API emulator) and k3s on ringtail over a real sshd (its own
/// emulator). ArgoCD's emulated sync creates the app's objects on the destination's
/// emulator, so where the app runs is where its Deployment and claim appear.
@Suite(.serialized) struct MoveTests {
    static let ringtailServer = "https://ringtail.tail8d86e.ts.net:6443"

    @Test func grafanaMovesToRingtailWithItsDataResumesAfterAFailureAndComesBack() async throws {
        let extra = """
            gitops:
              argocd:
                cluster: indri
                clusters: [ringtail]
                apps: [grafana]
            backups: {}
            """
        let text = TwoClusterLab.text(extra: extra).replacingOccurrences(of: "    containerRuntime: containerd\n", with: "    containerRuntime: containerd\n    kubeContext: minikube-indri\n")
        let two = try await TwoClusterLab(text, realKubectl: true)
        let lab = two.lab
        let indri = try await KubeAPIServer.start()
        let ringtail = try await KubeAPIServer.start()
        defer { Task { await indri.stop(); await ringtail.stop() } }
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig-indri", indri.kubeconfig(context: "minikube-indri")) + ":"
            + (try lab.scratch.write("kubeconfig-ringtail", ringtail.kubeconfig(context: "k3s-ringtail")))
        indri.store.destinations = [Self.ringtailServer: ringtail.store]
        _ = try await LocalRunner(environment: lab.environment).output(Command("minikube", ["start", "-p", "minikube", "--driver=docker", "--container-runtime=containerd"]))

        // grafana on indri: its claim bound by minikube's provisioner, its data on the node.
        let deployment: [String: Any] = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "grafana", "namespace": "monitoring"],
                                         "spec": ["replicas": 1]]
        let claim: [String: Any] = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "grafana", "namespace": "monitoring"],
                                    "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "2Gi"]]]]
        indri.store.appResources = ["grafana": [deployment, claim]]
        for object in [deployment, claim] { try indri.store.put(json: try Self.text(object)) }
        _ = indri.store.get(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "monitoring", name: "grafana")
        try indri.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}"#)
        try indri.store.put(json: try Self.text([
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": "grafana", "namespace": "argocd"],
            "spec": ["project": "default", "source": ["repoURL": "https://grafana.github.io/helm-charts", "chart": "grafana", "targetRevision": "8.5.0"],
                     "destination": ["server": "https://kubernetes.default.svc", "namespace": "monitoring"],
                     "syncPolicy": ["automated": ["prune": true, "selfHeal": true]]],
            "status": ["sync": ["status": "Synced", "revision": "8.5.0"], "health": ["status": "Healthy"],
                       "resources": [["group": "apps", "version": "v1", "kind": "Deployment", "namespace": "monitoring", "name": "grafana"],
                                     ["group": "", "version": "v1", "kind": "PersistentVolumeClaim", "namespace": "monitoring", "name": "grafana"]]],
        ]))
        let sourceDirectory = lab.world.nodeRoot("minikube") + "/tmp/hostpath-provisioner/monitoring/grafana"
        try FileManager.default.createDirectory(atPath: sourceDirectory + "/plugins", withIntermediateDirectories: true)
        try "SQLite format 3\u{0}".write(toFile: sourceDirectory + "/grafana.db", atomically: false, encoding: .utf8)
        try "{}".write(toFile: sourceDirectory + "/plugins/piechart.json", atomically: false, encoding: .utf8)
        let before = try MigrateTests.snapshot(sourceDirectory)
        // ringtail: local-path is the default class, and its config puts volumes elsewhere.
        try ringtail.store.put(json: #"{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"local-path","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"rancher.io/local-path"}"#)
        try ringtail.store.put(json: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"local-path-config","namespace":"kube-system"},"data":{"config.json":"{\"nodePathMap\":[{\"node\":\"DEFAULT_PATH_FOR_NON_LISTED_NODES\",\"paths\":[\"/var/lib/rancher/k3s/volumes\"]}]}"}}"#)

        let dry = try await lab.moor("move", "grafana", "--to", "ringtail", "--dry-run")
        #expect(dry.exit == 0, "\(dry.stderr)")
        for step in ["backup", "retarget", "restore", "resume", "healthy", "databases", "verify", "cleanup"] { #expect(dry.stdout.contains(step)) }
        #expect(dry.stdout.contains("dry run: nothing changed"))
        #expect(try Self.destination(indri) == "https://kubernetes.default.svc")

        // Unpacking on ringtail fails half-way: the app points there, paused; the source keeps everything.
        try lab.world.injectFault(tool: "sudo", match: "moor-restore")
        let failed = try await lab.moor("move", "grafana", "--to", "ringtail")
        #expect(failed.exit == 1)
        #expect(failed.stderr.contains("injected failure"), "\(failed.stderr)")
        #expect(try Self.destination(indri) == Self.ringtailServer)
        #expect(indri.store.get(apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd", name: "grafana")?.contains("automated") == false, "sync stays paused")
        #expect(indri.store.get(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "monitoring", name: "grafana") != nil)
        #expect(try MigrateTests.snapshot(sourceDirectory) == before)

        let resumed = try await lab.moor("move", "-o", "json")
        #expect(resumed.exit == 0, "\(resumed.stdout)\(resumed.stderr)")
        let move = try #require((try resumed.json()["moves"] as? [[String: Any]])?.first)
        let states = (move["steps"] as? [[String: Any]] ?? []).map { "\($0["name"]!)=\($0["state"]!)" }
        #expect(states == ["backup=already done", "retarget=already done", "restore=done", "resume=done", "healthy=done", "databases=done", "verify=done", "cleanup=done"], "\(states)")
        let pv = try #require(ringtail.store.names(apiVersion: "v1", kind: "PersistentVolume").first)
        let volume = try #require(ringtail.store.get(apiVersion: "v1", kind: "PersistentVolume", namespace: nil, name: String(pv.dropFirst())))
        let target = try #require(volume.range(of: #"/var/lib/rancher/k3s/volumes/[^"]*_monitoring_grafana"#, options: .regularExpression).map { String(volume[$0]) }, "\(volume)")
        #expect(volume.contains(#""storageClassName":"local-path""#), "\(volume)")
        #expect(try MigrateTests.snapshot(two.root + target) == before, "the same bytes on ringtail, where local-path's config puts volumes")
        #expect(ringtail.store.get(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "monitoring", name: "grafana")?.contains(#""phase":"Bound""#) == true)
        #expect(ringtail.store.get(apiVersion: "apps/v1", kind: "Deployment", namespace: "monitoring", name: "grafana") != nil, "ArgoCD deployed it on ringtail")
        #expect(indri.store.get(apiVersion: "apps/v1", kind: "Deployment", namespace: "monitoring", name: "grafana") == nil, "and it is gone from indri")
        #expect(indri.store.get(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "monitoring", name: "grafana") == nil)
        #expect(indri.store.get(apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd", name: "grafana")?.contains(#""selfHeal":true"#) == true, "sync policy back")
        let listed = try await lab.moor("backups", "-o", "json")
        #expect((try listed.json()["backups"] as? [[String: Any]])?.first?["id"] as? String ?? "" != "", "the move's backup is listed")

        let back = try await lab.moor("move", "--back", "grafana")
        #expect(back.exit == 0, "\(back.stdout)\(back.stderr)")
        #expect(try Self.destination(indri) == "https://kubernetes.default.svc")
        #expect(try MigrateTests.snapshot(sourceDirectory) == before, "back on indri with the same bytes")
        #expect(ringtail.store.get(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "monitoring", name: "grafana") == nil)
        let again = try await lab.moor("move", "grafana", "--to", "indri")
        #expect(again.exit == 1 && again.stderr.contains("grafana already deploys to cluster `indri`"), "\(again.stderr)")
    }

    static func text(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func destination(_ api: KubeAPIServer) throws -> String? {
        let text = try #require(api.store.get(apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd", name: "grafana"))
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return ((object?["spec"] as? [String: Any])?["destination"] as? [String: Any])?["server"] as? String
    }
}
