import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// Checks on a schedule, Gatus' alert rule, ntfy delivery: one alert, one resolved, nothing
/// repeated across a restart of watch, nothing lost while ntfy is down.
@Suite(.serialized) struct WatchAlertTests {
    static func lab(service: Int, ntfyPort: Int, failureThreshold: Int = 3) -> String {
        """
        version: 1
        watch:
          checks: 200ms
          alerts:
            failureThreshold: \(failureThreshold)
            successThreshold: 2
            sendOnResolved: true
            ntfy:
              url: http://127.0.0.1:\(ntfyPort)
              topic: homelab
              token: "{{ env://NTFY_TOKEN }}"
              priority: 4
        checks:
          - name: web
            url: http://127.0.0.1:\(service)/health
            expect: ["[STATUS] == 200"]

        """
    }

    static let token = "tk_s3cret-ntfy-token-0042"

    /// Waits until the service has answered `count` more checks.
    static func runs(_ count: Int, of service: HTTPRecorder) async -> Bool {
        let target = service.requests.count + count
        return await WatchRun.eventually(.seconds(20)) { service.requests.count >= target }
    }

    @Test func aFlippingServiceAlertsOnceAndResolvesOnceAcrossARestart() async throws {
        let service = try await HTTPRecorder(status: 200)
        let ntfy = try await HTTPRecorder(status: 200)
        let lab = try Homelab(lab: Self.lab(service: service.port, ntfyPort: ntfy.port))
        let env = ["NTFY_TOKEN": Self.token]
        var watch = try WatchRun(lab, extra: env)
        #expect(await Self.runs(3, of: service), "\(watch.log)")
        #expect(ntfy.requests.isEmpty)

        service.status = 500
        #expect(await WatchRun.eventually { ntfy.requests.count == 1 }, "\(watch.log)")
        let alert = try #require(ntfy.requests.first)
        #expect(alert.method == "POST")
        #expect(alert.uri == "/")
        #expect(alert.headers["authorization"] == "Bearer \(Self.token)")
        #expect(alert.headers["content-type"] == "application/json")
        let body = try #require(alert.json)
        #expect(body["topic"] as? String == "homelab")
        #expect(body["title"] as? String == "moor: web failing")
        #expect(body["tags"] as? [String] == ["rotating_light"])
        #expect(body["priority"] as? Int == 4)
        let message = try #require(body["message"] as? String)
        #expect(message.contains("[STATUS] == 200") && message.contains("500"), "\(message)")
        // It keeps failing: no second alert.
        #expect(await Self.runs(5, of: service))
        #expect(ntfy.requests.count == 1)

        // A restarted watch remembers the alert fired: still failing, nothing sent again.
        #expect(await watch.stop().status == 0)
        watch = try WatchRun(lab, extra: env)
        #expect(await Self.runs(6, of: service), "\(watch.log)")
        #expect(ntfy.requests.count == 1, "the restarted watch sent the alert again")

        service.status = 200
        #expect(await WatchRun.eventually { ntfy.requests.count == 2 }, "\(watch.log)")
        let resolved = try #require(ntfy.requests.last?.json)
        #expect(resolved["title"] as? String == "moor: web resolved")
        #expect(resolved["tags"] as? [String] == ["white_check_mark"])
        #expect(await Self.runs(5, of: service))
        #expect(ntfy.requests.count == 2)
        #expect(await watch.stop().status == 0)

        // The token is in no log, no journal, no state file.
        #expect(!watch.log.contains(Self.token))
        let journal = try Data(contentsOf: URL(fileURLWithPath: lab.scratch.path + "/state/journal.sqlite"))
        #expect(journal.range(of: Data(Self.token.utf8)) == nil)
    }

    @Test func anAlertWaitsForNtfyToComeUp() async throws {
        let service = try await HTTPRecorder(status: 500)
        let reserved = try await HTTPRecorder()
        let port = reserved.port
        await reserved.stop()
        let lab = try Homelab(lab: Self.lab(service: service.port, ntfyPort: port, failureThreshold: 1))
        let watch = try WatchRun(lab, extra: ["NTFY_TOKEN": Self.token])
        #expect(await WatchRun.eventually { watch.log.contains("could not send \"moor: web failing\"") }, "\(watch.log)")
        #expect(await Self.runs(3, of: service), "checks go on while ntfy is down")
        let ntfy = try await HTTPRecorder(status: 200, port: port)
        #expect(await WatchRun.eventually(.seconds(30)) { ntfy.requests.count == 1 }, "\(watch.log)")
        #expect(ntfy.requests.first?.json?["title"] as? String == "moor: web failing")
        try await Task.sleep(for: .seconds(1))
        #expect(ntfy.requests.count == 1)
        #expect(await watch.stop().status == 0)
        #expect(!watch.log.contains(Self.token))
    }

    @Test func sigtermWhileAnAlertIsBeingSentFinishesItAndItIsNotSentAgain() async throws {
        let service = try await HTTPRecorder(status: 500)
        let ntfy = try await HTTPRecorder(status: 200)
        ntfy.delay = .milliseconds(600)
        let lab = try Homelab(lab: Self.lab(service: service.port, ntfyPort: ntfy.port, failureThreshold: 1))
        let watch = try WatchRun(lab, extra: ["NTFY_TOKEN": Self.token])
        #expect(await WatchRun.eventually { ntfy.requests.count == 1 }, "\(watch.log)")
        // ntfy has the request and has not answered yet: stop watch now.
        let (status, took) = await watch.stop()
        #expect(status == 0)
        #expect(took < SignalTests.bound)
        #expect(watch.log.contains("sent \"moor: web failing\""), "the send under way finished: \(watch.log)")
        ntfy.delay = .zero
        let again = try WatchRun(lab, extra: ["NTFY_TOKEN": Self.token])
        #expect(await Self.runs(5, of: service), "\(again.log)")
        #expect(ntfy.requests.count == 1, "sent again after the restart")
        #expect(await again.stop().status == 0)
    }

    @Test func metricsParseWithPrometheusClientAndTheTextfileMatches() async throws {
        let service = try await HTTPRecorder(status: 200)
        let reserved = try await HTTPRecorder()
        let port = reserved.port
        await reserved.stop()
        let textfile = "\(NSTemporaryDirectory())moor-\(UUID().uuidString.prefix(8)).prom"
        let lab = try Homelab(lab: Homelab.watchLab("""
              reconcile: 1s
              checks: 200ms
              metrics:
                listen: 127.0.0.1:\(port)
                textfile: \(textfile)

            """, checks: """
              - name: web
                url: http://127.0.0.1:\(service.port)/health
              - name: port
                tcp: 127.0.0.1:\(service.port)
                interval: 300ms

            """))
        #expect(try await lab.moor("up").exit == 0)
        let watch = try WatchRun(lab)
        let metricsURL = "http://127.0.0.1:\(port)/metrics"
        #expect(await WatchRun.eventually { FileManager.default.fileExists(atPath: textfile) && (try? String(contentsOfFile: textfile, encoding: .utf8))?.contains("probe_success{check=\"port\"}") == true }, "\(watch.log)")
        let parsed = try await Self.parse(url: metricsURL)
        for name in ["probe_success", "probe_duration_seconds", "probe_http_duration_seconds", "probe_http_status_code",
                     "moor_cluster_up", "moor_apiserver_up", "moor_expose_in_sync", "moor_mirrors_in_sync", "moor_apps_total",
                     "moor_apps_synced", "moor_apps_healthy", "moor_last_reconcile_timestamp_seconds", "moor_reconcile_errors",
                     "moor_alert_firing", "moor_alert_send_errors", "moor_docker_events_restarts"] {
            #expect(parsed[name] != nil, "\(name) missing from \(parsed.keys.sorted())")
        }
        let success = parsed["probe_success"] ?? []
        #expect(success.contains { $0.labels == ["check": "web"] && $0.value == 1 })
        #expect(success.contains { $0.labels == ["check": "port"] && $0.value == 1 })
        let phases = Set((parsed["probe_http_duration_seconds"] ?? []).compactMap { $0.labels["phase"] })
        #expect(phases == ["resolve", "connect", "tls", "processing", "transfer"])
        #expect(parsed["probe_http_status_code"]?.first { $0.labels["check"] == "web" }?.value == 200)
        #expect(parsed["moor_cluster_up"]?.first?.value == 1)
        #expect(parsed["moor_expose_in_sync"]?.first?.value == 1)
        #expect(parsed["moor_mirrors_in_sync"]?.first?.value == 1)
        #expect((parsed["moor_last_reconcile_timestamp_seconds"]?.first?.value ?? 0) > Date().timeIntervalSince1970 - 60)
        let fromFile = try await Self.parse(file: textfile)
        #expect(Set(fromFile.keys) == Set(parsed.keys))
        let health = try await LocalRunner().run(Command("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz"]))
        #expect(health.stdoutText == "200")
        #expect(await watch.stop().status == 0)
        try? FileManager.default.removeItem(atPath: textfile)
    }

    struct Sample: Equatable { var labels: [String: String]; var value: Double }

    /// Families by name, through Python's prometheus_client (the reference parser).
    static func parse(url: String? = nil, file: String? = nil) async throws -> [String: [Sample]] {
        let script = """
            import json, sys, urllib.request
            from prometheus_client.parser import text_string_to_metric_families
            text = urllib.request.urlopen(sys.argv[2]).read().decode() if sys.argv[1] == "url" else open(sys.argv[2]).read()
            out = {}
            for family in text_string_to_metric_families(text):
                out[family.name] = [{"labels": s.labels, "value": s.value} for s in family.samples]
            print(json.dumps(out))
            """
        let result = try await LocalRunner().run(Command("python3", ["-c", script, url == nil ? "file" : "url", url ?? file ?? ""]))
        guard result.exitCode == 0 else { throw ParseFailure(message: result.stderrText) }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: [[String: Any]]] ?? [:]
        return object.mapValues { samples in
            samples.map { Sample(labels: $0["labels"] as? [String: String] ?? [:], value: ($0["value"] as? NSNumber)?.doubleValue ?? .nan) }
        }
    }

    struct ParseFailure: Error { var message: String }
}
