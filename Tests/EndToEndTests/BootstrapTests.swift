import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// From an empty machine to every app Healthy in one `moor up`: stand-in minikube, docker,
/// tailscale and op; the real kubectl against the API emulator (which installs nothing but
/// stores what is applied, makes Deployments ready, and creates an app of apps' children as
/// it syncs); the install manifest served over HTTPS from loopback and fetched with curl.
extension Homelab {
    /// ArgoCD's install manifest (the fixture) over HTTPS on loopback, its CA given to curl.
    func serveArgoInstallManifest() async throws -> TestServer {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("manifests", dns: ["localhost"], ips: ["127.0.0.1"], issuer: ca)
        extraEnvironment["CURL_CA_BUNDLE"] = try scratch.write("ca.pem", ca.certificatePEM)
        return try await TestServer.start(.http(status: 200, body: try Fixtures.text("argocd/install.minimal.DERIVED.yaml")), tls: leaf)
    }
}

@Suite(.serialized) struct BootstrapTests {
    let lab: Homelab
    let api: KubeAPIServer
    let manifestServer: TestServer
    let manifestURL: String
    let repo = "ssh://forgejo@forge.tail8d86e.ts.net/eblume/blumeops.git"
    static let commit = "4c1ab1e0c2f8d5e6a7b8c9d0e1f2a3b4c5d6e7f8"

    init() async throws {
        lab = try Homelab(lab: "version: 1\n", standIns: ["minikube", "docker", "tailscale", "op"])
        api = try await KubeAPIServer.start()
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube"))
        manifestServer = try await lab.serveArgoInstallManifest()
        manifestURL = "https://127.0.0.1:\(manifestServer.port)/v3.1.9/install.yaml"
        try lab.writeLab(labText(manifest: manifestURL))
        _ = try lab.scratch.write("argocd/manifests/grafana-config/secret-admin.yaml.tpl",
                                  "apiVersion: v1\nkind: Secret\nmetadata:\n  name: grafana-admin\n  namespace: monitoring\nstringData:\n  password: \"{{ op://blumeops/grafana admin/password }}\"\n")
        _ = try lab.scratch.write("argocd/manifests/miniflux/secret.yaml.tpl",
                                  "apiVersion: v1\nkind: Secret\nmetadata:\n  name: miniflux-config\n  namespace: miniflux\nstringData:\n  DATABASE_URL: \"postgres://miniflux:{{ env://MINIFLUX_DB_PASSWORD }}@pg/miniflux\"\n")
        try lab.world.update { $0.opItems["op://blumeops/grafana admin/password"] = "grafana-pw-123456" }
        let repo = repo
        func child(_ name: String) -> [String: Any] {
            ["metadata": ["name": name, "namespace": "argocd"],
             "spec": ["project": "default", "source": ["repoURL": repo, "path": "argocd/manifests/\(name)", "targetRevision": "main"],
                      "destination": ["server": "https://kubernetes.default.svc", "namespace": name]]]
        }
        api.store.commits = ["\(repo)@main": Self.commit]
        api.store.appOfApps = ["\(repo)@argocd/apps": [child("grafana"), child("miniflux")]]
        api.store.requiresSecret = ["miniflux": "miniflux/miniflux-config"]
    }

    func labText(manifest: String) -> String {
        SeedLab.text(runtime: "containerd") + """
            kubeContext: minikube
            gitops:
              argocd:
                namespace: argocd
                revision: \(Self.commit)
                apps: [apps, grafana, miniflux]
                install:
                  manifest: \(manifest)
                root:
                  name: apps
                  repoURL: \(repo)
                  path: argocd/apps
            secrets:
              - template: argocd/manifests/grafana-config/secret-admin.yaml.tpl
              - template: argocd/manifests/miniflux/secret.yaml.tpl

            """
    }

    @Test func anEmptyMachineEndsWithEveryAppHealthyAndTheSecondUpIsANoOp() async throws {
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2, "\(plan.stderr)")
        let planned = (try plan.json()["changes"] as? [[String: Any]])?.compactMap { $0["resource"] as? String } ?? []
        #expect(planned == ["cluster", "mirror:registry.tail8d86e.ts.net", "mirror:docker.io", "mirror:ghcr.io", "mirror:quay.io",
                            "expose:svc:k8s:443", "argocd", "secret:monitoring/grafana-admin", "secret:miniflux/miniflux-config",
                            "app:apps", "app:grafana", "app:miniflux"], "in dependency order")

        // The miniflux password is not available yet: everything else goes ahead, and the app
        // that needs it is named with the Secret and the template that makes it.
        let first = try await lab.moor("up", "--timeout", "15s")
        #expect(first.exit == 1)
        #expect(first.stderr.contains("secret:miniflux/miniflux-config stays missing"), "\(first.stderr)")
        #expect(first.stderr.contains("miniflux: Progressing — Secret miniflux/miniflux-config is missing (template argocd/manifests/miniflux/secret.yaml.tpl)"), "\(first.stderr)")
        #expect(first.stderr.contains("moor: grafana: Synced, Healthy"), "progress, one line a state change")
        #expect(api.store.names(apiVersion: "apps/v1", kind: "Deployment").count == 6)
        #expect(api.store.names(apiVersion: "v1", kind: "Secret") == ["monitoring/grafana-admin"])
        #expect(api.store.names(apiVersion: "v1", kind: "Namespace").contains("/monitoring"), "the Secret's namespace was created first")

        let second = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": "pw-0123456789"], "up", "-o", "json")
        #expect(second.exit == 0, "\(second.stdout)\(second.stderr)")
        let apps = try #require(try second.json()["apps"] as? [[String: Any]])
        #expect(apps.map { "\($0["name"]!)=\($0["sync"]!)/\($0["health"]!)" }.sorted() == ["apps=Synced/Healthy", "grafana=Synced/Healthy", "miniflux=Synced/Healthy"])

        let status = try await lab.moor("status", "-o", "json")
        let argocd = try #require(try status.json()["argocd"] as? [String: Any])
        #expect(argocd["installed"] as? Bool == true && argocd["version"] as? String == "v3.1.9" && argocd["available"] as? Bool == true)
        #expect(argocd["apps"] as? [String: Int] == ["total": 3, "synced": 3, "healthy": 3])

        let before = api.store.requests.count
        let calls = lab.world.calls().count
        let third = try await lab.moor("up", "-o", "json")
        #expect(third.exit == 0, "\(third.stderr)")
        #expect((try third.json()["applied"] as? [Any])?.isEmpty == true)
        let requests = api.store.requests.dropFirst(before)
        #expect(requests.allSatisfy { $0.hasPrefix("GET") }, "\(Array(requests))")
        let lists = requests.filter { $0.contains("?limit=500") }
        #expect(lists.count == 4, "one list for the apps, one for the Secrets, deployments and statefulsets for argocd: \(Array(lists))")
        #expect(lab.world.calls().count - calls <= 4, "the cluster loop's reads (containerd: no image-store read)")

        // The manifest was fetched once into the state directory: with its server gone, plan
        // still reads the version asked for from the copy.
        await manifestServer.stop()
        #expect(try await lab.moor("plan").exit == 0)
        let cached = try FileManager.default.contentsOfDirectory(atPath: lab.scratch.path + "/state/manifests")
        #expect(cached.count == 1)
    }

    /// The lab lists no apps, so the wait covers every app the root creates; the miniflux
    /// template is gone from the lab file, so its Secret is never made and miniflux stays
    /// Progressing. `up` must fail naming it, not call the bootstrap done.
    @Test func withNoAppsListedTheWaitCoversEveryAppTheRootCreates() async throws {
        let children = ["grafana", "miniflux", "forgejo", "prometheus", "loki", "devpi", "navidrome", "homepage"]
        let repo = repo
        api.store.appOfApps = ["\(repo)@argocd/apps": children.map { name in
            ["metadata": ["name": name, "namespace": "argocd"],
             "spec": ["project": "default", "source": ["repoURL": repo, "path": "argocd/manifests/\(name)", "targetRevision": "main"],
                      "destination": ["server": "https://kubernetes.default.svc", "namespace": name]]] as [String: Any]
        }]
        try lab.writeLab(labText(manifest: manifestURL)
            .replacingOccurrences(of: "    apps: [apps, grafana, miniflux]\n", with: "")
            .replacingOccurrences(of: "  - template: argocd/manifests/miniflux/secret.yaml.tpl\n", with: ""))
        // miniflux never settles, so this waits the whole timeout: long enough for the other seven on a loaded
        // 2-core machine (8 s was not, once, in CI).
        let up = try await lab.moor("up", "--timeout", "25s")
        #expect(up.exit == 1, "\(up.stdout)\(up.stderr)")
        let error = String(up.stderr.split(separator: "\n").last { $0.hasPrefix("error:") } ?? "")
        #expect(error.hasPrefix("error: 1 app(s) not Synced and Healthy"), "\(up.stderr)")
        #expect(error.contains(#"miniflux: Progressing — secret "miniflux-config" not found"#), "\(up.stderr)")
        for healthy in children where healthy != "miniflux" {
            #expect(!error.contains("\(healthy):"), "\(healthy) is Healthy and not named")
            #expect(up.stderr.contains("moor: \(healthy): Synced, Healthy"), "\(healthy) was waited on")
        }
        #expect(!up.stdout.contains("change(s) applied"), "\(up.stdout)")
        // The next up still has miniflux to do.
        #expect(try await lab.moor("plan").exit == 2)
    }

    @Test func anAppTheRootNeverCreatesIsReportedAsMissing() async throws {
        try lab.writeLab(labText(manifest: manifestURL).replacingOccurrences(of: "apps: [apps, grafana, miniflux]", with: "apps: [apps, grafana, devpi]"))
        let up = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": "pw-0123456789"], "up", "--timeout", "12s")
        #expect(up.exit == 1)
        #expect(up.stderr.contains("devpi: missing (apps has not created it)"), "\(up.stderr)")
        let error = String(up.stderr.split(separator: "\n").last { $0.hasPrefix("error:") } ?? "")
        #expect(error.hasPrefix("error: 1 app(s) not Synced and Healthy"), "grafana is Healthy, so only devpi is stuck: \(error)")
    }

    @Test func anUnreachableManifestIsNamedWithTheWayOut() async throws {
        let closed = try await TestServer.start(.silent)
        let port = closed.port
        await closed.stop()
        try lab.writeLab(labText(manifest: "https://127.0.0.1:\(port)/install.yaml"))
        let up = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": "pw"], "up")
        #expect(up.exit == 1)
        #expect(up.stderr.contains("could not download https://127.0.0.1:\(port)/install.yaml"), "\(up.stderr)")
        #expect(up.stderr.contains("set gitops.argocd.install.manifest to the file's path"))
    }
}
