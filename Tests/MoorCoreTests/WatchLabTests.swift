import Foundation
import Testing
import MoorCore
import MoorTestSupport

/// The `watch:` section and a check's `interval`.
@Suite struct WatchLabTests: LabTextLoading {
    @Test func theIssuesExampleLoads() throws {
        let lab = try load("""
            version: 1
            watch:
              reconcile: 60s
              autoStart: true
              checks: 60s
              metrics:
                listen: 127.0.0.1:9464
                textfile: /opt/homebrew/var/node_exporter/moor.prom
              alerts:
                failureThreshold: 3
                successThreshold: 2
                sendOnResolved: true
                ntfy:
                  url: https://ntfy.sh
                  topic: homelab
                  token: "{{ env://NTFY_TOKEN }}"
                  priority: 4
            checks:
              - name: web
                url: https://example.com/
                interval: 5m
            """).get()
        let watch = try #require(lab.watch)
        #expect(watch.reconcileMilliseconds == 60_000)
        #expect(watch.autoStart)
        #expect(watch.metrics.listen == "127.0.0.1:9464")
        #expect(watch.metrics.textfile == "/opt/homebrew/var/node_exporter/moor.prom")
        #expect(watch.alerts.rule == AlertRule(failureThreshold: 3, successThreshold: 2, sendOnResolved: true))
        #expect(watch.alerts.ntfy?.topic == "homelab")
        #expect(watch.alerts.ntfy?.token == "{{ env://NTFY_TOKEN }}")
        #expect(watch.alerts.ntfy?.priority == 4)
        #expect(lab.checks.first?.intervalMilliseconds == 300_000)
    }

    @Test func theSharedExampleLoadsItsWatchSection() throws {
        let lab = try load(Fixtures.example()).get()
        #expect(lab.watch?.alerts.ntfy?.url == "https://ntfy.sh")
    }

    @Test func defaultsAreGatusDefaultsAndNoMetrics() throws {
        let watch = try #require(try load("version: 1\nwatch: {}\n").get().watch)
        #expect(watch == WatchSpec())
        #expect(watch.alerts.rule == AlertRule(failureThreshold: 3, successThreshold: 2, sendOnResolved: true))
        #expect(watch.metrics.listen == nil)
    }

    @Test(arguments: [
        ("watch:\n  metrics:\n    listen: 0.0.0.0:9464\n",
         "moor.yaml:4:13: error: `watch.metrics.listen` is `0.0.0.0:9464`, which is not a loopback address: metrics would be served to the network; set `watch.metrics.allowRemote: true` to mean it"),
        ("watch:\n  metrics:\n    listen: prometheus\n",
         "moor.yaml:4:13: error: `watch.metrics.listen` must be an IP address and port such as `127.0.0.1:9464`, found `prometheus`"),
        ("watch:\n  metrics:\n    textfile: moor.prom\n",
         "moor.yaml:4:15: error: `watch.metrics.textfile` must be an absolute path (node_exporter's textfile directory), found `moor.prom`"),
        ("watch:\n  reconcile: soon\n",
         "moor.yaml:3:14: error: `watch.reconcile` must be a duration of at least 1s such as `60s` or `5m`, found `soon`"),
        ("watch:\n  reconcile: 10ms\n",
         "moor.yaml:3:14: error: `watch.reconcile` must be a duration of at least 1s such as `60s` or `5m`, found `10ms`"),
        ("watch:\n  alerts:\n    failureThreshold: 0\n",
         "moor.yaml:4:23: error: `watch.alerts.failureThreshold` must be at least 1, found 0"),
        ("watch:\n  alerts:\n    ntfy:\n      topic: home lab\n",
         "moor.yaml:5:14: error: `watch.alerts.ntfy.topic` must be an ntfy topic (letters, digits, `-`, `_`, at most 64), found `home lab`"),
        ("watch:\n  alerts:\n    ntfy:\n      topic: t\n      token: tk_abc123\n",
         "moor.yaml:6:14: error: `watch.alerts.ntfy.token` must be a reference such as \"{{ env://NTFY_TOKEN }}\" or \"{{ op://vault/item/field }}\", never the token itself"),
        ("watch:\n  alerts:\n    ntfy:\n      topic: t\n      priority: 9\n",
         "moor.yaml:6:17: error: `watch.alerts.ntfy.priority` must be an ntfy priority from 1 to 5, found 9"),
        ("watch:\n  alerts:\n    ntfy: {url: https://ntfy.sh}\n",
         "moor.yaml:4:11: error: `watch.alerts.ntfy` is missing the required key `topic`"),
        ("watch:\n  autostart: true\n",
         "moor.yaml:3:3: error: unknown key `autostart` in `watch`; did you mean `autoStart`?"),
        ("checks:\n  - name: x\n    tcp: a:1\n    interval: often\n",
         "moor.yaml:5:15: error: `checks[0].interval` must be a duration of at least 100ms such as `60s` or `5m`, found `often`"),
    ])
    func badWatchSectionsGetOnePositionedMessage(text: String, expected: String) {
        #expect(problems("version: 1\n" + text) == [expected])
    }

    @Test func aCheckMayNotTakeTheNameOfWatchsOwnAlerts() throws {
        #expect(problems("version: 1\nwatch: {}\nchecks:\n  - name: reconcile\n    tcp: a:1\n")
                == ["moor.yaml:4:5: error: check name `reconcile` is the name of one of `moor watch`'s own alerts (backup, cluster-stopped, managed-elsewhere, reconcile, recreate-needed); rename the check"])
        #expect(try load("version: 1\nchecks:\n  - name: reconcile\n    tcp: a:1\n").get().checks.count == 1, "without watch the name is free")
    }

    @Test func aRemoteListenerIsAllowedWhenAskedFor() throws {
        let lab = try load("version: 1\nwatch:\n  metrics:\n    listen: 0.0.0.0:9464\n    allowRemote: true\n").get()
        #expect(lab.watch?.metrics.listen == "0.0.0.0:9464")
    }

    @Test func hostPortSplitsV4V6AndRefusesBadPorts() {
        #expect(Validate.hostPort("127.0.0.1:9464")! == ("127.0.0.1", 9464))
        #expect(Validate.hostPort("[::1]:9464")! == ("::1", 9464))
        #expect(Validate.hostPort("::1:9464") == nil)
        #expect(Validate.hostPort("127.0.0.1:0") == nil)
        #expect(Validate.hostPort("127.0.0.1") == nil)
        #expect(Validate.isLoopback("127.0.0.2") && Validate.isLoopback("::1") && !Validate.isLoopback("0.0.0.0"))
    }
}
