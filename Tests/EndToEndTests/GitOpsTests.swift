import Foundation
import Testing
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor apps`, `moor secrets` and `up` with gitops, through the real kubectl against the API
/// emulator (whose ArgoCD controller step moves a requested sync along), a stand-in op, and
/// real git repositories for revisions.
@Suite(.serialized) struct GitOpsTests {
    let lab: Homelab
    let api: KubeAPIServer
    let repo: String
    let mainCommit: String

    static let secretValue = "s3cr3t-grafana-admin-Pa55"
    static let envValue = "miniflux-db-password-xyz"

    init() async throws {
        lab = try Homelab(lab: "version: 1\n", standIns: ["minikube", "docker", "tailscale", "op"])
        api = try await KubeAPIServer.start()
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube-indri"))
        repo = lab.scratch.path + "/blumeops"
        let (main, feature) = try await Self.makeRepository(repo)
        mainCommit = main
        api.store.commits = ["\(repo)@main": main, "\(repo)@feature/p5.1": feature]
        try lab.writeLab(Self.labText(appsList: "[apps, grafana, tailscale-operator, miniflux, cloudnative-pg]"))
        _ = try lab.scratch.write("argocd/manifests/grafana-config/secret-admin.yaml.tpl", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: grafana-admin
              namespace: monitoring
            stringData:
              password: "{{ op://blumeops/grafana admin/password }}"
            """)
        _ = try lab.scratch.write("argocd/manifests/miniflux/secret.yaml.tpl", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: miniflux-config
              namespace: miniflux
            stringData:
              DATABASE_URL: "postgres://miniflux:{{ env://MINIFLUX_DB_PASSWORD }}@blumeops-pg-rw/miniflux"
            """)
        for namespace in ["argocd", "monitoring", "miniflux"] {
            try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(namespace)"}}"#)
        }
        try addApplication("apps", repoURL: repo, targetRevision: "feature/p5.1")
        try addApplication("grafana", repoURL: repo, targetRevision: "feature/p5.1", parent: "apps")
        try addApplication("tailscale-operator", repoURL: repo, targetRevision: "feature/p5.1", parent: "apps")
        try addApplication("miniflux", repoURL: repo, targetRevision: "main", parent: "apps")
        try addApplication("cloudnative-pg", repoURL: "https://cloudnative-pg.github.io/charts", targetRevision: "0.22.1", chart: "cloudnative-pg", parent: "apps")
        try lab.world.update { $0.opItems["op://blumeops/grafana admin/password"] = Self.secretValue }
    }

    /// An ArgoCD Application on `repoURL` at `targetRevision` (a Helm chart when `chart` is set).
    func addApplication(_ name: String, repoURL: String, targetRevision: String, chart: String? = nil, parent: String? = nil) throws {
        var source: [String: Any] = ["repoURL": repoURL, "targetRevision": targetRevision]
        if let chart { source["chart"] = chart } else { source["path"] = "argocd/manifests/\(name)" }
        var metadata: [String: Any] = ["name": name, "namespace": "argocd"]
        if let parent { metadata["annotations"] = ["argocd.argoproj.io/tracking-id": "\(parent):argoproj.io/Application:argocd/\(name)"] }
        let object: [String: Any] = [
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": metadata,
            "spec": ["project": "default", "source": source, "destination": ["server": "https://kubernetes.default.svc", "namespace": name]],
            "status": ["sync": ["status": "Synced", "revision": "0000000000000000000000000000000000000000"], "health": ["status": "Healthy"]],
        ]
        try api.store.put(json: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    static func labText(appsList: String) -> String {
        """
        version: 1
        kubeContext: minikube-indri
        gitops:
          argocd:
            namespace: argocd
            revision: main
            parent: apps
            apps: \(appsList)
        secrets:
          - template: argocd/manifests/grafana-config/secret-admin.yaml.tpl
          - template: argocd/manifests/miniflux/secret.yaml.tpl

        """
    }

    /// A real repository with `main` and a feature branch; returns both commits.
    static func makeRepository(_ path: String) async throws -> (String, String) {
        func git(_ arguments: String...) async throws -> String {
            let command = Command("git", ["-C", path, "-c", "user.name=moor", "-c", "user.email=moor@test", "-c", "init.defaultBranch=main"] + arguments)
            return try await LocalRunner().output(command).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = try await git("init", "-q")
        try "apps\n".write(toFile: path + "/README", atomically: true, encoding: .utf8)
        _ = try await git("add", "README")
        _ = try await git("commit", "-q", "-m", "main")
        _ = try await git("branch", "-M", "main")
        let main = try await git("rev-parse", "HEAD")
        _ = try await git("checkout", "-q", "-b", "feature/p5.1")
        try "feature\n".write(toFile: path + "/FEATURE", atomically: true, encoding: .utf8)
        _ = try await git("add", "FEATURE")
        _ = try await git("commit", "-q", "-m", "feature")
        let feature = try await git("rev-parse", "HEAD")
        _ = try await git("checkout", "-q", "main")
        return (main, feature)
    }

    /// Requests to the emulator since `since`: lists of Applications, or PATCHes of them.
    func appRequests(since: Int, _ method: String) -> [String] {
        api.store.requests.dropFirst(since).filter {
            $0.hasPrefix(method + " /apis/argoproj.io/v1alpha1/namespaces/argocd/applications") && (method != "GET" || $0.contains("applications?"))
        }
    }

    @Test func listShowsWhichAppsAreNotOnMain() async throws {
        let run = try await lab.moor("apps", "-o", "json")
        #expect(run.exit == 0, "\(run.stderr)")
        let apps = try #require(try run.json()["apps"] as? [[String: Any]])
        let onTarget = Dictionary(uniqueKeysWithValues: apps.map { ($0["name"] as! String, $0["onTarget"] as! Bool) })
        #expect(onTarget == ["apps": false, "grafana": false, "tailscale-operator": false, "miniflux": true, "cloudnative-pg": true])
        #expect(apps.first { $0["name"] as? String == "grafana" }?["parent"] as? String == "apps")
        #expect(apps.first { $0["name"] as? String == "apps" }?["parent"] is NSNull)
        for key in ["name", "sync", "health", "targetRevision", "syncedRevision", "onTarget", "parent"] { #expect(apps[0].keys.contains(key)) }
        let text = try await lab.moor("apps")
        #expect(text.stdout.contains("not on main: apps, grafana, tailscale-operator"))
    }

    @Test func anUnknownContextSaysHowToGetOne() async throws {
        try lab.writeLab(Self.labText(appsList: "[apps]").replacingOccurrences(of: "kubeContext: minikube-indri", with: "kubeContext: nowhere"))
        let run = try await lab.moor("apps")
        #expect(run.exit == 1)
        #expect(run.stderr.hasSuffix("; this machine's kubeconfig has no context nowhere: run `moor kubeconfig --merge` (or set kubeContext)\n"), "\(run.stderr)")
    }

    @Test func retargetIsOnePatchPerAppReadsBackAndBackRestores() async throws {
        let before = api.store.requests.count
        let run = try await lab.moor("apps", "retarget")
        #expect(run.exit == 0, "\(run.stderr)")
        #expect(run.stdout.contains("retargeted grafana: feature/p5.1 → main"))
        #expect(run.stdout.contains("Helm charts, not retargeted: cloudnative-pg"))
        #expect(appRequests(since: before, "GET").count == 2, "the list, then one read-back")
        #expect(appRequests(since: before, "PATCH").count == 3, "apps, grafana, tailscale-operator")
        #expect(try await lab.moor("apps", "-o", "json").stdout.contains(#""onTarget" : false"#) == false)

        let back = try await lab.moor("apps", "retarget", "--back")
        #expect(back.exit == 0, "\(back.stderr)")
        let list = try await lab.moor("apps")
        #expect(list.stdout.contains("not on main: apps, grafana, tailscale-operator"))
        let runs = try await lab.moor("history", "-o", "json")
        #expect((try runs.json()["runs"] as? [[String: Any]])?.prefix(2).map { $0["command"] as? String } == ["apps retarget", "apps retarget"])
    }

    @Test func aPatchThatDoesNotStickIsAnErrorNamingTheApp() async throws {
        api.store.dropWrites = true
        let run = try await lab.moor("apps", "retarget", "--apps", "grafana")
        #expect(run.exit == 1)
        #expect(run.stderr.contains("kubectl patched grafana but it still tracks feature/p5.1 instead of main"), "\(run.stderr)")
    }

    @Test func theSeedsPostMergeStepsAreOneCommandAndOneJSONDocument() async throws {
        let before = api.store.requests.count
        let run = try await lab.moor("apps", "retarget", "--sync", "-o", "json")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        #expect(appRequests(since: before, "PATCH").count == 6, "three retargets, three sync requests")
        let report = try run.json()
        #expect((report["retargeted"] as? [Any])?.count == 3)
        let sync = try #require(report["sync"] as? [String: Any], "one document with the sync result in it")
        #expect((sync["apps"] as? [[String: Any]])?.allSatisfy { $0["result"] as? String == "synced" } == true)
        let plain = try await lab.moor("apps", "retarget", "-o", "json")
        #expect(try plain.json()["sync"] is NSNull, "null without --sync")
        let list = try await lab.moor("apps", "-o", "json")
        #expect(!list.stdout.contains(#""onTarget" : false"#))
    }

    @Test func retargetingAChildAloneWarnsAboutItsParent() async throws {
        let run = try await lab.moor("apps", "retarget", "--apps", "grafana")
        #expect(run.stdout.contains("warning: grafana is managed by apps (app of apps): apps's self-heal will put its old revision back; retarget apps too"))
    }

    @Test func syncWaitsWithOneListPerPoll() async throws {
        try lab.writeLab(Self.labText(appsList: "[apps, grafana, miniflux]"))
        _ = try await lab.moor("apps", "retarget")
        let before = api.store.requests.count
        let run = try await lab.moor("apps", "sync", "--interval", "50ms", "-o", "json")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        let report = try run.json()
        let apps = try #require(report["apps"] as? [[String: Any]])
        #expect(apps.allSatisfy { $0["result"] as? String == "synced" })
        #expect(apps.allSatisfy { $0["revision"] as? String == String(mainCommit.prefix(7)) })
        let polls = try #require(report["polls"] as? Int)
        #expect(appRequests(since: before, "GET").count == polls + 1, "one list per poll, plus the first")
        #expect(appRequests(since: before, "PATCH").count == 3, "one operation patch per app")
        #expect(polls == 2, "OutOfSync → Running → Synced takes two polls")
    }

    @Test func aDegradedAppEndsTheWaitAtThePollThatSeesIt() async throws {
        api.store.degradeOnSync = ["grafana"]
        try lab.writeLab(Self.labText(appsList: "[apps, grafana]"))
        let before = api.store.requests.count
        let start = ContinuousClock.now
        let run = try await lab.moor("apps", "sync", "--interval", "50ms", "--timeout", "30s")
        #expect(run.exit == 1)
        #expect(run.stdout.contains("Degraded: Deployment has exceeded its progress deadline"))
        #expect(run.stderr.contains("error: not every app synced: grafana (failed)"))
        #expect(appRequests(since: before, "GET").count == 3, "the first list, Running, then Degraded: no further poll")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func secretsStatusAndApplyNeverWriteAValue() async throws {
        let status = try await lab.moor("secrets", "status", "-o", "json")
        #expect(status.exit == 2)
        let rows = try #require(try status.json()["secrets"] as? [[String: Any]])
        #expect(rows.map { "\($0["namespace"]!)/\($0["name"]!)" } == ["monitoring/grafana-admin", "miniflux/miniflux-config"])
        #expect(rows.allSatisfy { $0["present"] as? Bool == false })

        let missingEnv = try await lab.moor("secrets", "apply")
        #expect(missingEnv.exit == 1)
        #expect(missingEnv.stderr.contains("needs the environment variable MINIFLUX_DB_PASSWORD, which is not set"))

        let applied = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "secrets", "apply", "--debug")
        #expect(applied.exit == 0, "\(applied.stderr)")
        #expect(api.store.names(apiVersion: "v1", kind: "Secret") == ["miniflux/miniflux-config", "monitoring/grafana-admin"])
        #expect(try await lab.moor("secrets", "status").exit == 0)
        #expect(lab.world.calls().contains(["op", "read", "--no-newline", "op://blumeops/grafana admin/password"]))

        // A new value, which the API server refuses, quoting it: reported, the value is not.
        try lab.world.update { $0.opItems["op://blumeops/grafana admin/password"] = Self.secretValue + "-rotated" }
        api.store.rejectSecretsQuotingValues = true
        let failed = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "secrets", "apply", "--only",
                                            "argocd/manifests/grafana-config/secret-admin.yaml.tpl", "--debug")
        #expect(failed.exit == 1)
        #expect(failed.stderr.contains("kubectl apply of argocd/manifests/grafana-config/secret-admin.yaml.tpl failed with exit status 1"), "\(failed.stderr)")
        #expect(failed.stderr.contains("<redacted>"), "\(failed.stderr)")

        for output in [status, missingEnv, applied, failed] {
            for value in [Self.secretValue, Self.envValue] {
                #expect(!output.stdout.contains(value) && !output.stderr.contains(value))
            }
        }
        let state = lab.scratch.path + "/state"
        for file in FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? [] {
            guard let data = FileManager.default.contents(atPath: state + "/" + file) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(Self.secretValue) && !text.contains(Self.envValue), "\(file)")
        }
    }

    @Test func aSecretKubectlReportsButTheClusterDoesNotHaveIsAFailureNamingIt() async throws {
        api.store.dropWrites = true
        let apply = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "secrets", "apply")
        #expect(apply.exit == 1)
        #expect(apply.stderr.contains("kubectl applied argocd/manifests/grafana-config/secret-admin.yaml.tpl but the Secret monitoring/grafana-admin is not in the cluster"), "\(apply.stderr)")
        try lab.writeLab(Self.labText(appsList: "[apps, miniflux]"))
        let up = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "up")
        #expect(up.exit == 1)
        #expect(up.stderr.contains("but the Secret monitoring/grafana-admin is not in the cluster"), "\(up.stderr)")
    }

    @Test func planAndUpCoverAppsAndSecretsInOneJournalRun() async throws {
        try lab.writeLab(Self.labText(appsList: "[apps, grafana]"))
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2)
        let resources = (try plan.json()["changes"] as? [[String: Any]])?.compactMap { $0["resource"] as? String }
        #expect(resources == ["secret:monitoring/grafana-admin", "secret:miniflux/miniflux-config", "app:apps", "app:grafana"], "secrets first: apps need them")
        let runsBefore = try await lab.moor("history", "-o", "json").json()["runs"] as? [[String: Any]] ?? []
        let before = api.store.requests.count
        let up = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "up", "-o", "json")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        let lists = appRequests(since: before, "GET").count
        #expect(lists == 5, "observe, observe again after the secrets changed, two polls, verify: \(lists) lists")
        let runs = try await lab.moor("history", "-o", "json").json()["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == runsBefore.count + 1, "one journal run for the whole up")
        let run = try #require(runs.first)
        #expect(run["command"] as? String == "up" && run["outcome"] as? String == "ok")
        let changes = try await lab.moor("history", String(run["id"] as? Int ?? 0), "-o", "json").json()["changes"] as? [[String: Any]] ?? []
        #expect(Set(changes.compactMap { $0["resource"] as? String }).isSuperset(of: ["app:apps", "app:grafana", "secret:monitoring/grafana-admin"]))
        #expect(try await lab.moor("plan").exit == 0)
    }
}
