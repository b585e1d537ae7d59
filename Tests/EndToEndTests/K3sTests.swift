import Foundation
import Testing
import MoorCore
import MoorProbe
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// Two clusters in one lab: minikube here (stand-ins), k3s on ringtail behind a real sshd.
@Suite struct K3sTests {
    @Test func aTwoClusterLabConvergesInOneUpAndASecondUpIsANoOp() async throws {
        let two = try await TwoClusterLab()
        let lab = two.lab
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2, "\(plan.stderr)")
        let resources = try (plan.json()["changes"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? String }
        #expect(resources.contains("cluster:indri") && resources.contains("mirror:indri/docker.io"), "\(resources)")
        #expect(resources.contains("cluster:ringtail") && resources.contains("mirror:ringtail/docker.io"), "\(resources)")

        let up = try await lab.moor("up")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        #expect(lab.world.load().profiles["minikube"]?.state == "Running")
        let registries = try #require(two.file(K3sPaths.registries))
        #expect(K3sFiles.isManaged(registries))
        #expect(two.restarts == ["restart"], "one k3s restart for the names and the mirrors together: \(two.restarts)")
        #expect(Set(two.writes()) == [K3sPaths.moorConfig, K3sPaths.registries], "\(two.writes())")
        let rendered = try #require(two.file(K3sPaths.renderedHostsToml(for: "docker.io")))
        #expect(rendered.contains("[host.\"https://registry.ops.eblu.me/v2\"]") && rendered.contains("skip_verify = true"), "\(rendered)")

        let calls = lab.world.calls().count
        let again = try await lab.moor("up", "-o", "json")
        #expect(again.exit == 0, "\(again.stderr)")
        #expect((try again.json()["applied"] as? [Any])?.isEmpty == true, "\(again.stdout)")
        #expect(two.restarts == ["restart"])
        let sudoCalls = lab.world.calls().dropFirst(calls).filter { $0.first == "sudo" }
        #expect(sudoCalls.count == 1, "a no-op up reads ringtail with one command: \(sudoCalls)")
        #expect(try await lab.moor("plan").exit == 0)
        let status = try await lab.moor("status", "-o", "json")
        let clusters = try status.json()["clusters"] as? [[String: Any]] ?? []
        #expect(clusters.map { $0["id"] as? String } == ["indri", "ringtail"] && clusters.allSatisfy { $0["state"] as? String == "running" }, "\(status.stdout)")
        #expect((clusters.last?["apiServer"] as? [String: Any])?["hostPort"] as? Int == 6443)
    }

    @Test func planForOneClusterShowsOnlyThatCluster() async throws {
        let two = try await TwoClusterLab()
        let plan = try await two.lab.moor("plan", "--cluster", "ringtail", "-o", "json")
        #expect(plan.exit == 2, "\(plan.stderr)")
        let resources = try (plan.json()["changes"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? String }
        #expect(!resources.isEmpty && resources.allSatisfy { $0.contains("ringtail") }, "\(resources)")
        #expect(!two.lab.world.calls().contains { $0.first == "minikube" }, "minikube is not asked about")
        let unknown = try await two.lab.moor("plan", "--cluster", "ringtial")
        #expect(unknown.exit == 64 && unknown.stderr.contains("did you mean `ringtail`"), "\(unknown.stderr)")
    }

    @Test func aMirrorChangeIsOneWriteAndOneRestartVerifiedThroughTheRenderedHostsToml() async throws {
        let two = try await TwoClusterLab()
        #expect(try await two.lab.moor("up").exit == 0)
        try two.lab.writeLab(TwoClusterLab.text(ringtailMirror: "https://zot.ops.eblu.me"))
        let writesBefore = two.writes().count
        let up = try await two.lab.moor("up", "-o", "json")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect(Array(two.writes().dropFirst(writesBefore)) == [K3sPaths.registries])
        #expect(two.restarts == ["restart", "restart"], "\(two.restarts)")
        let rendered = try #require(two.file(K3sPaths.renderedHostsToml(for: "docker.io")))
        #expect(rendered.contains("https://zot.ops.eblu.me/v2"))
        let applied = try (up.json()["applied"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? String }
        #expect(applied == ["mirror:ringtail/docker.io"], "\(applied)")
    }

    @Test func aNameAddedToTLSSANIsAnInPlaceRestartVerifiedInTheServingCertificate() async throws {
        let two = try await TwoClusterLab()
        #expect(try await two.lab.moor("up").exit == 0)
        try two.lab.writeLab(TwoClusterLab.text(ringtailNames: ["ringtail.tail8d86e.ts.net", "k3s.tail8d86e.ts.net"]))
        let plan = try await two.lab.moor("plan", "--cluster", "ringtail", "-o", "json")
        let change = try #require((plan.json()["changes"] as? [[String: Any]])?.first)
        #expect(change["resource"] as? String == "cluster:ringtail" && change["action"] as? String == "update", "\(plan.stdout)")
        let up = try await two.lab.moor("up")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect(two.restarts.count == 2)
        let pem = try #require(two.file(K3sPaths.servingCertificate))
        #expect(ClientIdentity.names(inPEM: pem)?.contains("k3s.tail8d86e.ts.net") == true)
        #expect(two.file(K3sPaths.moorConfig)?.contains("k3s.tail8d86e.ts.net") == true)
    }

    @Test func aNixOSRegistriesYAMLIsManagedElsewhereAndLeftUntouched() async throws {
        let two = try await TwoClusterLab()
        let store = two.root + "/nix/store/0a1b2c-k3s-registries.yaml"
        try FileManager.default.createDirectory(atPath: two.root + "/nix/store", withIntermediateDirectories: true)
        try "mirrors:\n  docker.io:\n    endpoint:\n      - \"https://nix.example\"\n".write(toFile: store, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: two.root + K3sPaths.registries, withDestinationPath: store)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let plan = try await two.lab.moor("plan", "--cluster", "ringtail")
        #expect(plan.exit == 2)
        #expect(plan.stdout.contains("managed elsewhere (Nix"), "\(plan.stdout)")
        #expect(plan.stdout.contains("https://registry.ops.eblu.me"), "the content the lab file asks for: \(plan.stdout)")
        let up = try await two.lab.moor("up", "--cluster", "ringtail")
        #expect(up.exit == 2, "\(up.stderr)")
        #expect(up.stderr.contains("/etc/rancher/k3s/registries.yaml is managed elsewhere (Nix"), "\(up.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        #expect(!two.writes().contains(K3sPaths.registries))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: two.root + K3sPaths.registries)
        #expect(link == store)
        // watch does not write it either: it raises `managed-elsewhere` and leaves the file.
        let textfile = two.lab.scratch.path + "/moor.prom"
        try two.lab.writeLab(TwoClusterLab.text(extra: "watch:\n  reconcile: 1s\n  metrics:\n    textfile: \(textfile)\n"))
        let watch = try WatchRun(two.lab, arguments: ["--cluster", "ringtail"])
        #expect(await WatchRun.eventually(.seconds(30)) {
            ((try? String(contentsOfFile: textfile, encoding: .utf8)) ?? "").contains(#"moor_alert_firing{check="managed-elsewhere"} 1"#)
        }, "\(watch.log)")
        #expect(watch.log.contains("is managed elsewhere (Nix"), "\(watch.log)")
        #expect(await watch.stop().status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }

    @Test func kubeconfigMergeHoldsBothClustersForTheRealKubectl() async throws {
        let indriAccess = "    remoteAccess:\n      context: minikube-indri\n      server: https://k8s.tail8d86e.ts.net:443\n      path: ~/.kube/minikube-indri/config.yml\n"
        let text = TwoClusterLab.text().replacingOccurrences(of: "    containerRuntime: containerd\n", with: "    containerRuntime: containerd\n" + indriAccess)
        let two = try await TwoClusterLab(text)
        #expect(try await two.lab.moor("up").exit == 0)
        // minikube's own certificates for the local cluster (as `minikube start` leaves them).
        let minikubeCA = try TestPKI.authority("minikubeCA")
        let minikubeUser = try TestPKI.leaf("minikube-user", issuer: minikubeCA)
        _ = try two.lab.scratch.write(".minikube/ca.crt", minikubeCA.certificatePEM)
        _ = try two.lab.scratch.write(".minikube/profiles/minikube/client.crt", minikubeUser.certificatePEM)
        _ = try two.lab.scratch.write(".minikube/profiles/minikube/client.key", minikubeUser.keyPEM, mode: 0o600)
        // The merged file already holds another cluster's context: it stays.
        let merged = two.lab.scratch.path + "/.kube/config"
        try FileManager.default.createDirectory(atPath: two.lab.scratch.path + "/.kube", withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other:6443\ncontexts:\n- name: other\n  context:\n    cluster: other\n    user: other\nusers:\n- name: other\n  user: {}\ncurrent-context: other\n"
            .write(toFile: merged, atomically: true, encoding: .utf8)
        let k3s = try await two.lab.moor("kubeconfig", "--cluster", "ringtail", "--merge", "--no-verify")
        #expect(k3s.exit == 0, "\(k3s.stderr)")
        let written = try String(contentsOfFile: two.lab.scratch.path + "/.kube/k3s-ringtail/config.yml", encoding: .utf8)
        #expect(written.contains("k3s-ringtail") && written.contains("https://ringtail.tail8d86e.ts.net:6443") && !written.contains("name: default"), "\(written)")
        let indri = try await two.lab.moor("kubeconfig", "--cluster", "indri", "--merge", "--no-verify")
        #expect(indri.exit == 0, "\(indri.stderr)")
        let kubectl = try await LocalRunner(environment: ["KUBECONFIG": merged, "PATH": "/usr/local/bin:/usr/bin:/bin"])
            .run(Command("kubectl", ["config", "get-contexts", "-o", "name"], timeout: .seconds(20)))
        #expect(kubectl.exitCode == 0, "\(kubectl.stderrText)")
        #expect(Set(kubectl.stdoutText.split(separator: "\n")) == ["k3s-ringtail", "minikube-indri", "other"], "\(kubectl.stdoutText)")
        let view = try await LocalRunner(environment: ["KUBECONFIG": merged, "PATH": "/usr/local/bin:/usr/bin:/bin"])
            .run(Command("kubectl", ["config", "view", "--minify", "--context", "k3s-ringtail", "-o", "jsonpath={.clusters[0].cluster.server}"], timeout: .seconds(20)))
        #expect(view.stdoutText == "https://ringtail.tail8d86e.ts.net:6443", "\(view.stdoutText)\(view.stderrText)")
    }

    @Test func argoCDGetsRingtailAsAClusterAndAnAppDeployingThereIsShownByItsName() async throws {
        let extra = """
            gitops:
              argocd:
                cluster: indri
                clusters: [ringtail]
                apps: [web]
            """
        let text = TwoClusterLab.text(extra: extra).replacingOccurrences(of: "    containerRuntime: containerd\n", with: "    containerRuntime: containerd\n    kubeContext: minikube-indri\n")
        let two = try await TwoClusterLab(text, realKubectl: true)
        let api = try await KubeAPIServer.start()
        defer { Task { await api.stop() } }
        two.lab.extraEnvironment["KUBECONFIG"] = try two.lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube-indri"))
        try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}"#)
        let app: [String: Any] = [
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": "web", "namespace": "argocd"],
            "spec": ["project": "default", "source": ["repoURL": "https://charts.example", "chart": "web", "targetRevision": "1.0.0"],
                     "destination": ["server": "https://ringtail.tail8d86e.ts.net:6443", "namespace": "web"]],
            "status": ["sync": ["status": "Synced", "revision": "1.0.0"], "health": ["status": "Healthy"]],
        ]
        try api.store.put(json: String(decoding: try JSONSerialization.data(withJSONObject: app), as: UTF8.self))

        let plan = try await two.lab.moor("plan", "-o", "json")
        let resources = try (plan.json()["changes"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? String }
        #expect(resources.contains("argocdcluster:ringtail"), "\(resources) \(plan.stdout) \(plan.stderr)")
        let up = try await two.lab.moor("up")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        let secret = try #require(api.store.get(apiVersion: "v1", kind: "Secret", namespace: "argocd", name: "cluster-ringtail"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(secret.utf8)) as? [String: Any])
        let labels = (object["metadata"] as? [String: Any])?["labels"] as? [String: String]
        #expect(labels?["argocd.argoproj.io/secret-type"] == "cluster")
        let data = (object["data"] as? [String: String] ?? [:]).compactMapValues { Data(base64Encoded: $0).map { String(decoding: $0, as: UTF8.self) } }
        #expect(data["name"] == "ringtail" && data["server"] == "https://ringtail.tail8d86e.ts.net:6443", "\(data.keys)")
        #expect(data["config"]?.contains("keyData") == true)
        #expect(!up.stdout.contains(two.client.keyPEM) && !up.stderr.contains("keyData"), "the client key never reaches the output")
        let runs = try await two.lab.moor("history", "-o", "json").json()["runs"] as? [[String: Any]] ?? []
        let upRun = try #require(runs.first { $0["command"] as? String == "up" }?["id"] as? Int)
        let history = try await two.lab.moor("history", String(upRun), "-o", "json")
        #expect(!history.stdout.contains("keyData") && history.stdout.contains("config-sha256"), "\(history.stdout)")

        let again = try await two.lab.moor("plan")
        #expect(again.exit == 0, "the Secret is current: \(again.stdout)")
        // New client certificate in k3s.yaml (k3s rotated it): the Secret is updated.
        let rotated = try TestPKI.leaf("system:admin", issuer: two.ca)
        try TwoClusterLab.k3sYAML(ca: two.ca, client: rotated).write(toFile: two.root + K3sPaths.kubeconfig, atomically: true, encoding: .utf8)
        let stale = try await two.lab.moor("plan", "-o", "json")
        let update = (try stale.json()["changes"] as? [[String: Any]] ?? []).first { $0["resource"] as? String == "argocdcluster:ringtail" }
        #expect(update?["action"] as? String == "update", "\(stale.stdout)")
        #expect(try await two.lab.moor("up").exit == 0)
        #expect(try await two.lab.moor("plan").exit == 0)
        let apps = try await two.lab.moor("apps", "-o", "json")
        let rows = try apps.json()["apps"] as? [[String: Any]] ?? []
        #expect(rows.first?["cluster"] as? String == "ringtail", "\(apps.stdout)")
        let table = try await two.lab.moor("apps")
        #expect(table.stdout.contains("CLUSTER") && table.stdout.contains("ringtail"), "\(table.stdout)")
    }

    @Test func watchStartsAnInactiveK3sAndLabelsItsMetricsWithTheCluster() async throws {
        let two = try await TwoClusterLab()
        let textfile = two.lab.scratch.path + "/moor.prom"
        try two.lab.writeLab(TwoClusterLab.text(extra: "watch:\n  reconcile: 1s\n  metrics:\n    textfile: \(textfile)\n"))
        #expect(try await two.lab.moor("up").exit == 0)
        let watch = try WatchRun(two.lab)
        #expect(await WatchRun.eventually { watch.log.contains("(k3s on ringtail): no container events") }, "\(watch.log)")
        K3sStandIn.setActive(false, root: two.root)
        #expect(await WatchRun.eventually { two.restarts.last == "start" }, "\(watch.log)")
        #expect(await WatchRun.eventually { watch.log.contains("applied cluster:ringtail") }, "\(watch.log)")
        #expect(watch.log.contains("start k3s on ringtail (it is inactive)"), "\(watch.log)")
        #expect(await watch.stop().status == 0)
        let metrics = try String(contentsOfFile: textfile, encoding: .utf8)
        #expect(metrics.contains(#"moor_cluster_up{cluster="ringtail"} 1"#) && metrics.contains(#"moor_cluster_up{cluster="indri"} 1"#), "\(metrics)")
    }

    @Test func doctorRunsWhatAppliesToK3sAndSaysWhyTheMinikubeOnesAreSkipped() async throws {
        let two = try await TwoClusterLab()
        #expect(try await two.lab.moor("up").exit == 0)
        let doctor = try await two.lab.moor("doctor", "--cluster", "ringtail", "--only", "mirrors-used,server-certs,node-disk,cni-conflict,docker-memory,api-port", "-o", "json")
        let rows = try doctor.json()["diagnoses"] as? [[String: Any]] ?? []
        func row(_ id: String) -> [String: Any]? { rows.first { $0["id"] as? String == id } }
        #expect(row("mirrors-used")?["verdict"] as? String == "ok", "\(doctor.stdout)\(doctor.stderr)")
        #expect(row("server-certs")?["verdict"] as? String == "ok", "\(doctor.stdout)")
        #expect(row("node-disk")?["verdict"] as? String != "fail", "\(doctor.stdout)")
        for id in ["cni-conflict", "docker-memory", "api-port"] {
            #expect(row(id)?["verdict"] as? String == "skipped" && (row(id)?["summary"] as? String ?? "").contains("k3s"), "\(id): \(doctor.stdout)")
        }
        #expect(rows.allSatisfy { $0["cluster"] as? String == "ringtail" })
        // k3s has not rendered a changed registries.yaml: the doctor says so, `up` fixes it.
        let registries = two.root + K3sPaths.registries
        try (try String(contentsOfFile: registries, encoding: .utf8)).replacingOccurrences(of: "registry.ops.eblu.me", with: "zot.example")
            .write(toFile: registries, atomically: true, encoding: .utf8)
        let again = try await two.lab.moor("doctor", "--cluster", "ringtail", "--only", "mirrors-used")
        #expect(again.exit == 2 && again.stdout.contains("mirrors-used: fail"), "\(again.stdout)")
    }

    @Test func anEmptyHostGetsK3sInstalledWithTheLabsFilesInPlaceAndTheSecondUpIsANoOp() async throws {
        // What the upstream script does, in short: install the binary and the unit, start it.
        let script = """
            set -e
            [ -n "$INSTALL_K3S_VERSION" ] && [ "$INSTALL_K3S_EXEC" = server ]
            printf '%s' "$INSTALL_K3S_VERSION" > "$MOOR_STANDIN_ROOT/.standin/k3s-version"
            printf '%s\\n' "$@" > "$MOOR_STANDIN_ROOT/.standin/install-arguments"
            systemctl start k3s
            """
        let text = TwoClusterLab.text().replacingOccurrences(of: "    provider: k3s\n", with: "    provider: k3s\n    install:\n      version: v1.32.9+k3s1\n      script: install-k3s.sh\n")
        let two = try await TwoClusterLab(text, k3sInstalled: false)
        _ = try two.lab.scratch.write("install-k3s.sh", script)
        let plan = try await two.lab.moor("plan", "--cluster", "ringtail")
        #expect(plan.stdout.contains("install k3s v1.32.9+k3s1 on ringtail"), "\(plan.stdout)")
        let up = try await two.lab.moor("up", "--cluster", "ringtail")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        #expect(up.stderr.contains("k3s on ringtail is Ready"), "\(up.stderr)")
        #expect(two.file("/.standin/k3s-version") == "v1.32.9+k3s1")
        #expect(two.restarts == ["start"], "installed once, with registries.yaml and the drop-in already there: \(two.restarts)")
        #expect(two.file(K3sPaths.renderedHostsToml(for: "docker.io"))?.contains("registry.ops.eblu.me") == true)
        let again = try await two.lab.moor("up", "--cluster", "ringtail", "-o", "json")
        #expect((try again.json()["applied"] as? [Any])?.isEmpty == true, "\(again.stdout)\(again.stderr)")
    }

    @Test func withoutInstallAMissingK3sNamesTheInstallCommand() async throws {
        let two = try await TwoClusterLab(k3sInstalled: false)
        let up = try await two.lab.moor("up", "--cluster", "ringtail")
        #expect(up.exit == 1)
        #expect(up.stderr.contains("k3s is not installed on ringtail") && up.stderr.contains("curl -sfL https://get.k3s.io | sh -")
                && up.stderr.contains("install: {version:"), "\(up.stderr)")
        #expect(two.writes().isEmpty, "nothing written on a host without k3s")
    }

    @Test func checksThatNameAClusterRunOnItsHostAndStayWithItUnderDashDashCluster() async throws {
        let checks = """
            checks:
              - name: k3s-version
                cluster: ringtail
                command: [k3s, --version]
              - name: everywhere
                command: ["true"]
            """
        let two = try await TwoClusterLab(TwoClusterLab.text(extra: checks))
        let all = try await two.lab.moor("check", "-o", "json")
        #expect(all.exit == 0, "\(all.stdout)\(all.stderr)")
        let rows = try all.json()["checks"] as? [[String: Any]] ?? []
        #expect(rows.first { $0["name"] as? String == "k3s-version" }?["cluster"] as? String == "ringtail", "\(all.stdout)")
        #expect(two.lab.world.calls().contains { $0 == ["k3s", "--version"] }, "ran on ringtail, where k3s is")
        let indri = try await two.lab.moor("check", "--cluster", "indri", "-o", "json")
        let names = try (indri.json()["checks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["everywhere"], "\(indri.stdout)")
        let table = try await two.lab.moor("check")
        #expect(table.stdout.contains("CLUSTER") && table.stdout.contains("ringtail"), "\(table.stdout)")
    }

    @Test func migrateNeedsOneClusterAndSaysK3sChangesInPlace() async throws {
        let two = try await TwoClusterLab()
        let both = try await two.lab.moor("migrate")
        #expect(both.exit == 64 && both.stderr.contains("--cluster"), "\(both.stderr)")
        let k3s = try await two.lab.moor("migrate", "--cluster", "ringtail")
        #expect(k3s.exit == 1 && k3s.stderr.contains("k3s changes its names, port and mirrors in place"), "\(k3s.stderr)")
    }

    @Test func theTailnetNamesMustResolveToTheK3sHost() async throws {
        // Names on loopback only: localhost is the host (sshd's HostName 127.0.0.1); a name that
        // does not resolve (.invalid never does) fails naming it.
        let good = try await TwoClusterLab(TwoClusterLab.text(ringtailNames: ["localhost"], ringtailServer: "https://localhost:6443"))
        let ok = try await good.lab.moor("doctor", "--cluster", "ringtail", "--only", "tailnet-name", "-o", "json")
        let okRow = try (ok.json()["diagnoses"] as? [[String: Any]] ?? []).first
        #expect(okRow?["verdict"] as? String == "ok", "\(ok.stdout)\(ok.stderr)")
        try good.lab.writeLab(TwoClusterLab.text(ringtailNames: ["localhost", "ringtail.invalid"], ringtailServer: "https://localhost:6443"))
        let bad = try await good.lab.moor("doctor", "--cluster", "ringtail", "--only", "tailnet-name")
        #expect(bad.exit == 2 && bad.stdout.contains("ringtail.invalid does not resolve"), "\(bad.stdout)")
    }

    @Test func aSudoThatWantsAPasswordNamesSudoers() async throws {
        let two = try await TwoClusterLab()
        _ = FileManager.default.createFile(atPath: two.root + "/.standin/sudo-wants-password", contents: Data())
        let plan = try await two.lab.moor("plan", "--cluster", "ringtail")
        #expect(plan.exit == 1)
        #expect(plan.stderr.contains("sudo on ringtail wants a password") && plan.stderr.contains("sudoers"), "\(plan.stderr)")
    }
}

/// The k3s stand-ins print and render what k3s does (Tests/Fixtures/k3s).
@Suite struct K3sStandInFidelityTests {
    @Test func versionAndTheRenderedHostsTomlMatchTheRecordings() async throws {
        let scratch = try Scratch("moor-k3s-fidelity")
        let bin = try StandIn.install(executable: Homelab.standIn, into: scratch.path, only: ["k3s", "sudo", "systemctl"])
        let root = scratch.path + "/root"
        try K3sStandIn.provision(root: root, active: false, kubeconfig: "")
        _ = try scratch.write("root/etc/rancher/k3s/registries.yaml", try Fixtures.text("k3s/registries.yaml"))
        let runner = LocalRunner(environment: ["PATH": "\(bin):/usr/bin:/bin", "MOOR_STANDIN_DIR": scratch.path, "MOOR_STANDIN_ROOT": root])
        let version = try await runner.run(Command("k3s", ["--version"], timeout: .seconds(10)))
        #expect(version.stdoutText == (try Fixtures.text("k3s/version.txt").replacingOccurrences(of: "v1.33.4+k3s1", with: K3sStandIn.defaultVersion)))
        #expect(K3sVersion.parse(version.stdoutText) == K3sVersion.parse(try Fixtures.text("k3s/version.txt")))
        let started = try await runner.run(Command("sudo", ["-n", "systemctl", "start", "k3s"], timeout: .seconds(10)))
        #expect(started.exitCode == 0, "\(started.stderrText)")
        let rendered = try String(contentsOfFile: root + K3sPaths.renderedHostsToml(for: "docker.io"), encoding: .utf8)
        #expect(try TOMLSubset.parse(rendered) == TOMLSubset.parse(try Fixtures.text("k3s/hosts.toml")), "\(rendered)")
        #expect(rendered.hasPrefix("# File generated by k3s. DO NOT EDIT."))
        let active = try await runner.run(Command("systemctl", ["is-active", "k3s"], timeout: .seconds(10)))
        #expect(active.stdoutText == "active\n")
    }
}

/// The lab file's errors for several clusters, each positioned.
@Suite struct ClusterLabFileTests {
    func problems(_ text: String) -> [String] {
        switch LabLoader.load(text: text, file: "moor.yaml") {
        case .success: return []
        case .failure(let error): return error.diagnostics.map { "\($0.position.line):\($0.position.column): \($0.message)" }
        }
    }

    @Test func unknownProviderForeignFieldsSharedProfilesAndUnknownArgoCluster() {
        let text = """
            version: 1
            clusters:
              indri:
                provider: minikube
              twin:
                provider: minikube
                profile: indri
              ringtail:
                provider: k3s
                driver: docker
              odd:
                provider: k3d
            gitops:
              argocd:
                cluster: indry
            """
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("12:15:") && $0.contains("must be one of minikube, k3s, found `k3d`") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("10:5:") && $0.contains("`clusters.ringtail.driver` does not apply to a k3s cluster") }, "\(found)")
        #expect(found.contains { $0.contains("clusters `indri` and `twin` are the same minikube profile `indri`") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("15:14:") && $0.contains("names the cluster `indry`") && $0.contains("did you mean `indri`?") }, "\(found)")
    }

    @Test func theShorthandKeepsItsNamesAndSeveralClustersNeedArgoCDsCluster() throws {
        let one = try LabLoader.load(text: "version: 1\ncluster:\n  name: minikube\n  registryMirrors:\n    - registry: docker.io\n      mirror: https://m\n", file: "moor.yaml").get()
        #expect(one.clusters.count == 1 && one.cluster?.label == nil && one.cluster?.id == "minikube")
        let found = problems("version: 1\nclusters:\n  a: {provider: minikube}\n  b: {provider: k3s, host: b}\nhosts:\n  b: {ssh: b}\ngitops:\n  argocd: {}\n")
        #expect(found.contains { $0.contains("say which one ArgoCD runs in with `gitops.argocd.cluster`") }, "\(found)")
        #expect(ResourceID(parsing: "mirror:ringtail/docker.io") == .mirror(cluster: "ringtail", registry: "docker.io"))
        #expect(ResourceID(parsing: "cluster:ringtail")?.description == "cluster:ringtail")
        #expect(ResourceID(parsing: "mirror:docker.io") == .mirror(cluster: nil, registry: "docker.io"))
    }
}
