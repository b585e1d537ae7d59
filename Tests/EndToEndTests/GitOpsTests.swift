import Foundation
import Testing
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor apps` and `moor secrets` against a stand-in kubectl whose ArgoCD controller moves
/// synced apps along, a stand-in op, and real git repositories for revisions.
@Suite(.serialized) struct GitOpsTests {
    let lab: Homelab
    let repo: String
    let mainCommit: String

    static let secretValue = "s3cr3t-grafana-admin-Pa55"
    static let envValue = "miniflux-db-password-xyz"

    init() async throws {
        lab = try Homelab(lab: "version: 1\n")
        repo = lab.scratch.path + "/blumeops"
        mainCommit = try await Self.makeRepository(repo)
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
        let repo = repo
        try lab.world.update { world in
            world.addApplication("apps", repoURL: repo, targetRevision: "feature/p5.1")
            world.addApplication("grafana", repoURL: repo, targetRevision: "feature/p5.1", parent: "apps")
            world.addApplication("tailscale-operator", repoURL: repo, targetRevision: "feature/p5.1", parent: "apps")
            world.addApplication("miniflux", repoURL: repo, targetRevision: "main", parent: "apps")
            world.addApplication("cloudnative-pg", repoURL: "https://cloudnative-pg.github.io/charts", targetRevision: "0.22.1", chart: "cloudnative-pg", parent: "apps")
            world.opItems["op://blumeops/grafana admin/password"] = Self.secretValue
        }
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

    /// A real repository with `main` and a feature branch; returns main's commit.
    static func makeRepository(_ path: String) async throws -> String {
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
        _ = try await git("checkout", "-q", "main")
        return main
    }

    func kubectlCalls(since: Int, _ verb: String) -> [[String]] {
        lab.world.calls().dropFirst(since).filter { $0.first == "kubectl" && $0.contains(verb) }
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
        try lab.world.update { $0.failUnknownContexts = ["nowhere"] }
        let run = try await lab.moor("apps")
        #expect(run.exit == 1)
        #expect(run.stderr.hasSuffix("; this machine's kubeconfig has no context nowhere: run `moor kubeconfig --merge` (or set kubeContext)\n"))
    }

    @Test func retargetIsOnePatchPerAppAndBackRestores() async throws {
        let before = lab.world.calls().count
        let run = try await lab.moor("apps", "retarget")
        #expect(run.exit == 0, "\(run.stderr)")
        #expect(run.stdout.contains("retargeted grafana: feature/p5.1 → main"))
        #expect(run.stdout.contains("Helm charts, not retargeted: cloudnative-pg"))
        #expect(kubectlCalls(since: before, "get").count == 2, "the list, then one read-back")
        #expect(kubectlCalls(since: before, "patch").count == 3, "apps, grafana, tailscale-operator")
        let patch = try #require(kubectlCalls(since: before, "patch").first)
        #expect(patch.contains(#"{"spec":{"source":{"targetRevision":"main"}}}"#))
        #expect(try await lab.moor("apps", "-o", "json").stdout.contains(#""onTarget" : false"#) == false)

        let back = try await lab.moor("apps", "retarget", "--back")
        #expect(back.exit == 0, "\(back.stderr)")
        let list = try await lab.moor("apps")
        #expect(list.stdout.contains("not on main: apps, grafana, tailscale-operator"))
    }

    @Test func theSeedsPostMergeStepsAreOneCommand() async throws {
        let before = lab.world.calls().count
        let run = try await lab.moor("apps", "retarget", "--sync")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        #expect(kubectlCalls(since: before, "patch").count == 6, "three retargets, three sync requests")
        #expect(run.stdout.contains("synced"))
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
        let before = lab.world.calls().count
        let run = try await lab.moor("apps", "sync", "--interval", "50ms", "-o", "json")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        let report = try run.json()
        let apps = try #require(report["apps"] as? [[String: Any]])
        #expect(apps.allSatisfy { $0["result"] as? String == "synced" })
        #expect(apps.allSatisfy { $0["revision"] as? String == String(mainCommit.prefix(7)) })
        let polls = try #require(report["polls"] as? Int)
        #expect(kubectlCalls(since: before, "get").count == polls + 1, "one list per poll, plus the first")
        #expect(kubectlCalls(since: before, "patch").count == 3, "one operation patch per app")
        #expect(polls == 2, "OutOfSync → Running → Synced takes two polls")
    }

    @Test func aDegradedAppEndsTheWaitAtThePollThatSeesIt() async throws {
        try lab.world.update { $0.applications["grafana"]?.degradesOnSync = true }
        try lab.writeLab(Self.labText(appsList: "[apps, grafana]"))
        let before = lab.world.calls().count
        let start = ContinuousClock.now
        let run = try await lab.moor("apps", "sync", "--interval", "50ms", "--timeout", "30s")
        #expect(run.exit == 1)
        #expect(run.stdout.contains("Degraded: Deployment has exceeded its progress deadline"))
        #expect(run.stderr.contains("error: not every app synced: grafana (failed)"))
        #expect(kubectlCalls(since: before, "get").count == 3, "the first list, Running, then Degraded: no further poll")
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
        #expect(lab.world.load().secrets.sorted() == ["miniflux/miniflux-config", "monitoring/grafana-admin"])
        #expect(try await lab.moor("secrets", "status").exit == 0)
        #expect(lab.world.calls().contains(["op", "read", "--no-newline", "op://blumeops/grafana admin/password"]))

        // kubectl apply fails and echoes the manifest: the error is reported, the value is not.
        try lab.world.update { $0.failApplyEchoingInput = true }
        let failed = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "secrets", "apply", "--only",
                                            "argocd/manifests/grafana-config/secret-admin.yaml.tpl", "--debug")
        #expect(failed.exit == 1)
        #expect(failed.stderr.contains("kubectl apply of argocd/manifests/grafana-config/secret-admin.yaml.tpl failed with exit status 1"))
        #expect(failed.stderr.contains("<redacted>"))

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

    @Test func planAndUpCoverAppsAndSecrets() async throws {
        try lab.writeLab(Self.labText(appsList: "[apps, grafana]"))
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2)
        let resources = (try plan.json()["changes"] as? [[String: Any]])?.compactMap { $0["resource"] as? String }
        #expect(resources == ["secret:monitoring/grafana-admin", "secret:miniflux/miniflux-config", "app:apps", "app:grafana"], "secrets first: apps need them")
        let before = lab.world.calls().count
        let up = try await lab.moorWith(["MINIFLUX_DB_PASSWORD": Self.envValue], "up", "-o", "json")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        let lists = kubectlCalls(since: before, "applications.argoproj.io").filter { $0.contains("get") }.count
        let polls = lists - 3
        #expect(polls == 2, "observe, observe again after the secrets changed, one list a poll, verify: \(lists) lists")
        #expect(try await lab.moor("plan").exit == 0)
    }
}
