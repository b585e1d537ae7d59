import Foundation
import Testing
import MoorCore

/// The page rendered from a status: every value escaped, state never colour alone, the
/// landmarks and header cells, an all-well lab in one line.
struct StatusPageRenderTests {
    let now = Date(timeIntervalSince1970: 1_796_126_400)

    func check(_ name: String, state: String, layer: String? = nil) -> LabStatus.Check {
        LabStatus.Check(name: name, tags: ["apps"], target: "https://x/", cluster: nil, state: state, layer: layer,
                        detail: layer.map { "\($0): broke" }, lastRunAt: now, certificateDaysLeft: 10,
                        recent: [.init(at: now, state: state, durationMs: 12), .init(at: now, state: state, durationMs: 30)],
                        days: [.init(day: "2026-11-30", runs: 0, failures: 0), .init(day: "2026-12-01", runs: 100, failures: 1)],
                        uptime: .init(h24: 0.99, d7: nil, d30: 1))
    }

    @Test func anAllWellLabIsOneLineAndEveryStateHasASymbolAndAWord() {
        let status = LabStatus(generatedAt: now, lastObservation: now, clusters: [], argocd: nil,
                               checks: [check("api", state: "ok")], incidents: [], doctor: nil)
        let html = StatusPage(status: status, refreshMilliseconds: 60_000, timeZone: TimeZone(identifier: "UTC")!).render()
        #expect(html.contains(#"<p id="overall" class="overall ok" data-state="ok" role="status">✓ All well · last observation <time datetime="2026-12-01T12:00:00Z""#))
        #expect(html.contains("<span class=\"state s-ok\">✓ ok</span>"))
        for landmark in ["<header>", "<main id=\"main\"", "<footer>", "<section aria-labelledby=\"h-checks\">", "<th scope=\"col\">Check</th>",
                         "<th scope=\"row\">", "<a class=\"skip\" href=\"#main\">"] {
            #expect(html.contains(landmark), "\(landmark) missing")
        }
        #expect(html.contains(#"role="img" aria-label="last 2 results: 2 ok, 0 warn, 0 failed""#))
        #expect(html.contains(#"aria-label="2 days: 1 with runs, 0 at 100 %""#))
        #expect(html.contains("99.00 % · — · 100 %"))
        #expect(html.contains("<span class=\"num s-fail\">10 days left</span>"))
        #expect(html.contains("data-refresh-ms=\"60000\""))
    }

    @Test func everyValueIsEscaped() {
        let hostile = "<script>alert(1)</script>\"'&"
        var argo = LabStatus.Argo(revision: hostile, observedAt: now, apps: [
            .init(name: hostile, cluster: hostile, sync: "OutOfSync", health: "Degraded", syncedRevision: hostile, targetRevision: hostile,
                  onTarget: false, cause: hostile),
        ])
        argo.revision = hostile
        let cluster = LabStatus.Cluster(name: hostile, provider: "minikube", state: hostile, host: hostile, kubernetesVersion: hostile,
                                        exposure: .init(resource: hostile, target: hostile, matches: false),
                                        mirrors: [.init(registry: hostile, endpoint: hostile, written: true, use: hostile)],
                                        lastReconcile: .init(at: now, outcome: hostile, detail: hostile))
        let status = LabStatus(generatedAt: now, lastObservation: nil, clusters: [cluster], argocd: argo,
                               checks: [check(hostile, state: "fail", layer: hostile)],
                               incidents: [Incident(name: hostile, firedAt: now, resolvedAt: nil, message: hostile, resolution: nil)],
                               doctor: DoctorFindings(ranAt: now, findings: [.init(id: hostile, verdict: "fail", summary: hostile, fix: hostile, fixSafe: true, cluster: hostile)]))
        let html = StatusPage(status: status, refreshMilliseconds: 1000).render()
        #expect(!html.contains("<script>alert"), "a value reached the page unescaped")
        #expect(!html.contains("\"'&"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
        // One script element: the page's own.
        #expect(html.components(separatedBy: "<script>").count == 2)
        #expect(html.contains("✗ fail</span> at <strong>"))
        #expect(html.contains("data-problems=\"\(status.overall.problems.count)\""))
    }
}
