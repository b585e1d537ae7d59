import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// The status page `moor watch` serves, against the stand-ins, the API emulator (through the
/// real kubectl) and loopback services, telling the seed's story: the cluster up, the
/// tailnet forwarding to the API server's port, the mirrors ignored by the docker runtime,
/// miniflux Progressing for its missing Secret, and one check failing at the TLS layer.
/// Headless Chromium loads it (the DOM and two screenshots); the JSON API says the same
/// facts; the history survives a restart; a page load runs no command.
@Suite(.serialized) struct StatusPageTests {
    static let ntfyToken = "tk_page-must-not-show-0042"
    static let opValue = "op-value-never-on-the-page-77"

    final class Scene: @unchecked Sendable {
        let lab: Homelab
        let api: KubeAPIServer
        let web: HTTPRecorder
        let nas: TestServer
        let port: Int
        let env: [String: String]

        init() async throws {
            lab = try Homelab(lab: "version: 1\n", standIns: ["minikube", "docker", "tailscale", "op"])
            api = try await KubeAPIServer.start()
            lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube"))
            web = try await HTTPRecorder(status: 200)
            // A NAS's web UI with a self-signed certificate: the check fails at the TLS layer.
            nas = try await TestServer.start(.http(status: 200, body: "ok"), tls: try TestPKI.leaf("nas.example", dns: ["nas.example"], issuer: nil))
            let reserved = try await HTTPRecorder()
            port = reserved.port
            await reserved.stop()
            env = ["NTFY_TOKEN": StatusPageTests.ntfyToken]
            // First the cluster loop, as `up` leaves it (no gitops yet: ArgoCD is the emulator's).
            try lab.writeLab(Labs.seed(runtime: "docker"))
            let up = try await lab.moor("up")
            guard up.exit == 0 else { throw MoorError(.failed, "up failed: \(up.stderr)") }
            try lab.world.update { $0.opItems["op://blumeops/grafana admin/password"] = StatusPageTests.opValue }
            try seedApps()
            try lab.writeLab(labText())
            _ = try lab.scratch.write("argocd/manifests/miniflux/secret.yaml.tpl", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: miniflux-config
                  namespace: miniflux
                stringData:
                  DATABASE_URL: "postgres://miniflux:{{ op://blumeops/grafana admin/password }}@blumeops-pg-rw/miniflux"
                """)
        }

        func labText() -> String {
            Labs.seed(runtime: "docker") + """
                gitops:
                  argocd:
                    namespace: argocd
                    revision: main
                    apps: [grafana, miniflux]
                secrets:
                  - template: argocd/manifests/miniflux/secret.yaml.tpl
                watch:
                  reconcile: 1h
                  checks: 200ms
                  metrics:
                    listen: 127.0.0.1:\(port)
                  alerts:
                    ntfy:
                      url: http://127.0.0.1:9
                      topic: homelab
                      token: "{{ env://NTFY_TOKEN }}"
                checks:
                  - name: web
                    url: http://127.0.0.1:\(web.port)/health
                    tags: [apps]
                  - name: nas-ui
                    url: https://127.0.0.1:\(nas.port)/
                    tags: [storage]

                """
        }

        func seedApps() throws {
            for namespace in ["argocd", "monitoring", "miniflux"] {
                try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(namespace)"}}"#)
            }
            for (name, health, message) in [("grafana", "Healthy", nil), ("miniflux", "Progressing", #"secret "miniflux-config" not found"#)] {
                var healthStatus: [String: Any] = ["status": health]
                if let message { healthStatus["message"] = message }
                let object: [String: Any] = [
                    "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": name, "namespace": "argocd"],
                    "spec": ["project": "default", "source": ["repoURL": "https://git.example/blumeops", "targetRevision": "main", "path": "argocd/manifests/\(name)"],
                             "destination": ["server": "https://kubernetes.default.svc", "namespace": name]],
                    "status": ["sync": ["status": "Synced", "revision": "4f2a9c1e0b7d4f2a9c1e0b7d4f2a9c1e0b7d4f2a"], "health": healthStatus],
                ]
                try api.store.put(json: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
            }
        }

        var base: String { "http://127.0.0.1:\(port)" }

        func get(_ path: String) async -> (status: Int, headers: [String: String], body: String)? {
            guard let url = URL(string: base + path) else { return nil }
            var request = URLRequest(url: url)
            request.timeoutInterval = 5
            guard let (data, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse else { return nil }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
            return (http.statusCode, headers, String(decoding: data, as: UTF8.self))
        }

        func status() async -> [String: Any]? {
            guard let answer = await get("/api/v1/status"), answer.status == 200 else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        }

        /// Until the page has the cluster, both apps, and the nas-ui incident.
        func ready() async -> [String: Any]? {
            var last: [String: Any]?
            _ = await StatusPageTests.eventually(.seconds(30)) {
                last = await self.status()
                guard let status = last,
                      let clusters = status["clusters"] as? [[String: Any]], clusters.first?["state"] as? String == "running",
                      let argo = status["argocd"] as? [String: Any], (argo["apps"] as? [Any])?.count == 2,
                      let incidents = status["incidents"] as? [[String: Any]], incidents.contains(where: { $0["name"] as? String == "nas-ui" }),
                      let checks = status["checks"] as? [[String: Any]], checks.allSatisfy({ ($0["recent"] as? [Any])?.count ?? 0 >= 3 })
                else { return false }
                return true
            }
            return last
        }
    }

    /// Polls `condition` every 50 ms for up to `timeout`; true once it holds.
    static func eventually(_ timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    @Test func thePageTheAPIAndTheBrowserTellTheSeedsStory() async throws {
        let scene = try await Scene()
        _ = try await scene.lab.moor("doctor", "--only", "mirrors-used")
        let watch = try WatchRun(scene.lab, extra: scene.env)
        let status = try #require(await scene.ready(), "\(watch.log)")

        // The JSON API, field by field.
        let overall = try #require(status["overall"] as? [String: Any])
        #expect(overall["state"] as? String == "problems")
        let problems = try #require(overall["problems"] as? [String])
        let cluster = try #require((status["clusters"] as? [[String: Any]])?.first)
        #expect(cluster["name"] as? String == "minikube")
        #expect(cluster["provider"] as? String == "minikube")
        #expect(cluster["kubernetesVersion"] as? String == "v1.36.2")
        let port = try #require(cluster["apiServerPort"] as? Int)
        #expect(port == scene.lab.apiHostPort)
        let exposure = try #require(cluster["exposure"] as? [String: Any])
        let target = try #require(scene.lab.serveTarget)
        #expect(target.hasSuffix(":\(port)"))
        #expect(exposure["target"] as? String == target)
        #expect(exposure["matches"] as? Bool == true)
        let mirrors = try #require(cluster["mirrors"] as? [[String: Any]])
        #expect(mirrors.count == 4)
        #expect(mirrors.allSatisfy { $0["written"] as? Bool == true && $0["use"] as? String == "ignored by the docker runtime" }, "\(mirrors)")
        #expect((cluster["lastReconcile"] as? [String: Any])?["outcome"] as? String == "in sync")
        let apps = try #require((status["argocd"] as? [String: Any])?["apps"] as? [[String: Any]])
        let miniflux = try #require(apps.first { $0["name"] as? String == "miniflux" })
        #expect(miniflux["health"] as? String == "Progressing")
        #expect(miniflux["cause"] as? String == "Secret miniflux/miniflux-config is missing (template argocd/manifests/miniflux/secret.yaml.tpl)")
        #expect(apps.first { $0["name"] as? String == "grafana" }?["health"] as? String == "Healthy")
        let checks = try #require(status["checks"] as? [[String: Any]])
        let nas = try #require(checks.first { $0["name"] as? String == "nas-ui" })
        #expect(nas["state"] as? String == "fail")
        #expect(nas["layer"] as? String == "tls")
        #expect(nas["group"] as? String == "storage")
        #expect((nas["certificateDaysLeft"] as? Int).map { (88...90).contains($0) } == true, "\(nas)")
        #expect((nas["days"] as? [Any])?.count == 90)
        let web = try #require(checks.first { $0["name"] as? String == "web" })
        #expect(web["state"] as? String == "ok")
        #expect((web["uptime"] as? [String: Any])?["h24"] as? Double == 1)
        #expect((nas["uptime"] as? [String: Any])?["h24"] as? Double == 0)
        #expect(problems.contains("check nas-ui fails at the tls layer"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("app miniflux is Synced and Progressing") }, "\(problems)")
        #expect(problems.contains("4 mirrors on minikube are ignored by the docker runtime (registry.tail8d86e.ts.net, docker.io, ghcr.io, quay.io)"), "\(problems)")
        let incident = try #require((status["incidents"] as? [[String: Any]])?.first { $0["name"] as? String == "nas-ui" })
        #expect((incident["message"] as? String)?.hasPrefix("moor: nas-ui failing\ntls:") == true, "\(incident)")
        #expect(incident["resolvedAt"] == nil)
        let doctor = try #require(status["doctor"] as? [String: Any], "moor doctor's findings are not on the page")
        #expect((doctor["findings"] as? [[String: Any]])?.contains { $0["id"] as? String == "mirrors-used" && $0["verdict"] as? String == "fail" } == true)

        // The page says the same, and carries no secret.
        let page = try #require(await scene.get("/"))
        #expect(page.status == 200)
        #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        let apiBody = try #require(await scene.get("/api/v1/status")).body
        for secret in [Self.ntfyToken, Self.opValue, "token: emulator", "emulator"] {
            #expect(!page.body.contains(secret) && !apiBody.contains(secret), "a secret is served: \(secret)")
        }

        // Every check's state, layer and uptime as the API has them (both are stable here: web
        // always answers, the NAS never verifies).
        for check in checks {
            let name = try #require(check["name"] as? String)
            let h24 = ((check["uptime"] as? [String: Any])?["h24"] as? Double).map { String(format: "%.4f", $0) } ?? ""
            let row = "data-check=\"\(name)\" data-state=\"\(check["state"] as? String ?? "")\" data-layer=\"\(check["layer"] as? String ?? "")\" data-uptime-24h=\"\(h24)\""
            #expect(page.body.contains(row), "the page differs from the API for \(name): \(row)")
        }
        #expect(page.body.contains("data-port=\"\(port)\""))
        #expect(page.body.contains(#"data-app="miniflux" data-sync="Synced" data-health="Progressing""#))

        // A page load starts no command: no stand-in call, no kubectl request to the API.
        let calls = scene.lab.world.calls().count
        let requests = scene.api.store.requests.count
        for path in ["/", "/api/v1/status", "/api/v1/checks/web/history?days=90", "/badge/web.svg"] {
            #expect(await scene.get(path)?.status == 200, "\(path)")
        }
        #expect(scene.lab.world.calls().count == calls, "a page load ran a stand-in: \(scene.lab.world.calls().suffix(3))")
        #expect(scene.api.store.requests.count == requests, "a page load ran kubectl: \(scene.api.store.requests.suffix(3))")

        // A real browser: the DOM without JavaScript, then after its script refreshed the page in
        // place (every watch.checks, 200 ms here), and two screenshots.
        if let browser = Chromium.find() {
            // Headless Chromium ignores the switches that turn scripts off, so the page as
            // served, its script element removed, is what it renders without JavaScript.
            let script = try #require(page.body.range(of: "<script>").flatMap { start in
                page.body.range(of: "</script>", range: start.upperBound..<page.body.endIndex).map { start.lowerBound..<$0.upperBound } })
            let plainFile = try scene.lab.scratch.write("no-script.html", page.body.replacingCharacters(in: script, with: ""))
            let plain = try await browser.dumpDOM("file://" + plainFile, scratch: scene.lab.scratch.path)
            #expect(!plain.contains("<script"))
            for fact in [#"data-check="nas-ui" data-state="fail" data-layer="tls""#, #"data-check="web" data-state="ok""#, "data-port=\"\(port)\"",
                         #"data-app="miniflux" data-sync="Synced" data-health="Progressing""#, #"data-incident="nas-ui" data-open="true""#,
                         "Secret miniflux/miniflux-config is missing", #"data-use="ignored by the docker runtime""#] {
                #expect(plain.contains(fact), "without JavaScript the page lacks \(fact)")
            }
            let dom = try await browser.dumpDOM(scene.base + "/", scratch: scene.lab.scratch.path)
            #expect(dom.contains("data-refreshed=\""), "the script did not refresh the page")
            for name in ["web", "nas-ui"] { #expect(dom.contains("data-check=\"\(name)\""), "\(name) is not in the DOM") }
            #expect(dom.contains(#"data-check="nas-ui" data-state="fail" data-layer="tls""#))
            #expect(dom.contains(#"data-check="web" data-state="ok""#))
            #expect(dom.contains(#"data-uptime-24h="1.0000""#))
            #expect(dom.contains("data-port=\"\(port)\""))
            #expect(dom.contains("data-exposure-target=\"\(target)\" data-matches=\"true\""))
            #expect(dom.contains(#"data-app="miniflux" data-sync="Synced" data-health="Progressing""#))
            #expect(dom.contains("Secret miniflux/miniflux-config is missing"))
            #expect(dom.contains(#"data-incident="nas-ui" data-open="true""#))
            #expect(dom.contains(#"data-mirror="docker.io" data-written="true" data-use="ignored by the docker runtime""#))
            #expect(dom.contains("✗ \(problems.count) problem") || dom.contains("problems\" data-problems="))
            for (width, name) in [(1280, "status-1280.png"), (375, "status-375.png")] {
                let path = scene.lab.scratch.path + "/" + name
                try await browser.screenshot(scene.base + "/", width: width, height: 800, to: path, scratch: scene.lab.scratch.path)
                let png = try #require(FileManager.default.contents(atPath: path))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
                let size = Chromium.pngSize(png)
                #expect(size?.0 == width && size?.1 == 800, "\(name) is \(String(describing: size))")
                if let keep = ProcessInfo.processInfo.environment["MOOR_TEST_SCREENSHOTS"], !keep.isEmpty {
                    _ = FileManager.default.createFile(atPath: keep + "/" + name, contents: png)
                }
            }
        } else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI needs chromium (Debian's package) for the browser test")
        }

        // History across a restart: the runs and the day's cells are still there.
        let before = try #require(await scene.get("/api/v1/checks/web/history?days=90"))
        let runsBefore = try Self.runs(before.body)
        #expect(runsBefore >= 3)
        #expect(await watch.stop().status == 0)
        let again = try WatchRun(scene.lab, extra: scene.env)
        #expect(await Self.eventually { (try? Self.runs(await scene.get("/api/v1/checks/web/history?days=90")?.body ?? "")) ?? 0 > runsBefore }, "\(again.log)")
        let after = try #require(await scene.get("/api/v1/checks/web/history?days=90"))
        let day = try #require((try JSONSerialization.jsonObject(with: Data(after.body.utf8)) as? [String: Any])?["days"] as? [[String: Any]])
        #expect(day.count == 90)
        #expect((day.last?["runs"] as? Int ?? 0) > runsBefore, "today's cell lost the runs before the restart")
        #expect(await again.stop().status == 0)
    }

    static func runs(_ body: String) throws -> Int {
        ((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["runs"] as? [Any])?.count ?? 0
    }

    @Test func pageOffServesOnlyTheMetricsAndAPageWithoutAListenAddressIsAPositionedError() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        let reserved = try await HTTPRecorder()
        let port = reserved.port
        await reserved.stop()
        try lab.writeLab(Homelab.watchLab("  page: false\n  metrics:\n    listen: 127.0.0.1:\(port)\n", checks: "  - name: t\n    tcp: 127.0.0.1:9\n"))
        let watch = try WatchRun(lab)
        #expect(await Self.eventually { (try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)).map { String(decoding: $0.0, as: UTF8.self) } == "ok\n" }, "\(watch.log)")
        let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 404)
        #expect(await watch.stop().status == 0)

        try lab.writeLab("version: 1\nwatch:\n  page: true\n  history: 90x\n")
        let run = try await lab.moor("validate")
        #expect(run.exit == 65)
        #expect(run.stderr.contains("moor.yaml:3:9: error: `watch.page` is true but `watch.metrics.listen` is not set"), "\(run.stderr)")
        #expect(run.stderr.contains("moor.yaml:4:12: error: `watch.history` must be a number of days from 1 to 400 such as `90d`"), "\(run.stderr)")
    }
}

/// Headless Chromium (Debian's `chromium`, or Chrome on a Mac), run with its own profile in
/// the test's scratch directory.
struct Chromium {
    let path: String

    static func find() -> Chromium? {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                          "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map(Chromium.init)
    }

    func arguments(_ scratch: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
         "--user-data-dir=\(scratch)/chromium-profile", "--virtual-time-budget=3000"]
    }

    func dumpDOM(_ url: String, scratch: String) async throws -> String {
        let result = try await LocalRunner().run(Command(path, arguments(scratch) + ["--dump-dom", url], timeout: .seconds(60)))
        guard result.exitCode == 0 else { throw MoorError(.failed, "chromium --dump-dom exited \(result.exitCode): \(result.firstStderrLine ?? "")") }
        return result.stdoutText
    }

    func screenshot(_ url: String, width: Int, height: Int, to path: String, scratch: String) async throws {
        let result = try await LocalRunner().run(Command(self.path, arguments(scratch) + ["--window-size=\(width),\(height)", "--screenshot=\(path)", url], timeout: .seconds(60)))
        guard result.exitCode == 0 else { throw MoorError(.failed, "chromium --screenshot exited \(result.exitCode): \(result.firstStderrLine ?? "")") }
    }

    /// A PNG's width and height from its IHDR chunk.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        guard data.count >= 24 else { return nil }
        let bytes = [UInt8](data[16..<24])
        let width = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[4..<8].reduce(0) { $0 << 8 | Int($1) }
        return (width, height)
    }
}
