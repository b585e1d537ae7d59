import Testing
import MoorCore
import MoorTestSupport

@Suite struct ArgoDiffTests {
    func workloads(version: String, ready: Int = 1) -> [ArgoWorkload] {
        ["argocd-server", "argocd-repo-server", "argocd-redis"].map {
            ArgoWorkload(kind: "Deployment", name: $0, image: $0 == "argocd-redis" ? "redis:7" : "quay.io/argoproj/argocd:\(version)", replicas: 1, ready: ready)
        } + [ArgoWorkload(kind: "StatefulSet", name: "argocd-application-controller", image: "quay.io/argoproj/argocd:\(version)", replicas: 1, ready: ready)]
    }

    @Test func installUpgradeWaitOrNothing() {
        let install = ArgoInstall(version: "v3.1.9")
        let none = ArgoDiff.diff(install, ObservedArgo(workloads: [], desiredVersion: "v3.1.9"))
        #expect(none.changes.map(\.summary) == ["install ArgoCD v3.1.9"])
        let old = ArgoDiff.diff(install, ObservedArgo(workloads: workloads(version: "v3.0.0"), desiredVersion: "v3.1.9"))
        #expect(old.changes.map(\.summary) == ["upgrade ArgoCD v3.0.0 → v3.1.9"])
        let starting = ArgoDiff.diff(install, ObservedArgo(workloads: workloads(version: "v3.1.9", ready: 0), desiredVersion: "v3.1.9"))
        #expect(starting.changes.first?.summary.hasPrefix("wait for ArgoCD to be available (argocd-server 0/1") == true)
        let fine = ArgoDiff.diff(install, ObservedArgo(workloads: workloads(version: "v3.1.9"), desiredVersion: "v3.1.9"))
        #expect(fine.changes.isEmpty && fine.unchanged == [.argocd])
        #expect(ArgoDiff.diff(nil, ObservedArgo(workloads: [], desiredVersion: nil)).changes.isEmpty, "no install section: moor installs nothing")
    }

    @Test func theManifestSaysWhichVersionItInstalls() throws {
        let manifest = try Fixtures.text("argocd/install.minimal.DERIVED.yaml")
        #expect(ObservedArgo.version(inManifest: manifest) == "v3.1.9")
        #expect(ObservedArgo.version(inManifest: "image: redis:7\n") == nil)
    }

    @Test func rootAndChildrenArePlanned() throws {
        var spec = GitOpsSpec()
        spec.apps = ["apps", "grafana"]
        spec.root = RootApp(name: "apps", repoURL: "ssh://git/x", path: "argocd/apps")
        let plan = GitOpsDiff.apps(spec, [])
        #expect(plan.changes.map(\.resource) == ["app:apps", "app:grafana"])
        #expect(plan.changes.map(\.action) == [.create, .create])
        #expect(plan.warnings.isEmpty, "a child missing while the root will create it is waited for, not warned about")
        spec.root = nil
        #expect(GitOpsDiff.apps(spec, []).warnings.count == 2)
    }
}
