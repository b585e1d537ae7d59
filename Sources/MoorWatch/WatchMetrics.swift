import Foundation
import MoorCore
import MoorEngine
import MoorProbe
import Prometheus
import Synchronization

/// Watch's metrics in one swift-prometheus registry: checks under blackbox_exporter's names
/// (labelled `check`), the cluster loop, apps, reconciles and alerts under `moor_*`.
public final class WatchMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let state = Mutex<[String: CheckGauges]>([:])
    let dirty = Mutex(true)

    /// Per cluster (label `cluster`, moor's name for it): node up, API server up, exposure and mirrors in sync.
    let clusterGauges = Mutex<[String: [Gauge]]>([:])
    let appsTotal, appsSynced, appsHealthy: Gauge
    let lastReconcile: Gauge
    let reconcileErrors: Counter
    let alertSendErrors: Counter
    let eventStreamRestarts: Counter

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        appsTotal = Self.gauge(registry, "moor_apps_total", labels: [], help: "ArgoCD Applications found")
        appsSynced = Self.gauge(registry, "moor_apps_synced", labels: [], help: "ArgoCD Applications Synced")
        appsHealthy = Self.gauge(registry, "moor_apps_healthy", labels: [], help: "ArgoCD Applications Healthy")
        lastReconcile = Self.gauge(registry, "moor_last_reconcile_timestamp_seconds", labels: [], help: "When the last reconcile finished, in seconds since the epoch")
        reconcileErrors = Self.counter(registry, "moor_reconcile_errors_total", labels: [], help: "Reconciles that failed")
        alertSendErrors = Self.counter(registry, "moor_alert_send_errors_total", labels: [], help: "Alert messages ntfy did not take (each is tried again)")
        eventStreamRestarts = Self.counter(registry, "moor_docker_events_restarts_total", labels: [], help: "Times the docker events stream ended and was followed again")
    }

    func gauge(_ name: String, labels: [(String, String)], help: String) -> Gauge {
        Self.gauge(registry, name, labels: labels, help: help)
    }

    static func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)], help: String) -> Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    static func counter(_ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)], help: String) -> Counter {
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    // MARK: backups

    let backupGauges = Mutex<[String: (Gauge, Gauge)]>([:])

    /// A cluster's last good backup: when (seconds since the epoch) and its size.
    public func recordBackup(cluster: String, at date: Date, bytes: Int) {
        backupGauges.withLock { all in
            let pair = all[cluster] ?? (
                gauge("moor_backup_last_success_timestamp_seconds", labels: [("cluster", cluster)], help: "When the cluster's last verified backup was taken, in seconds since the epoch"),
                gauge("moor_backup_bytes", labels: [("cluster", cluster)], help: "The size of the cluster's last verified backup"))
            all[cluster] = pair
            pair.0.set(to: date.timeIntervalSince1970)
            pair.1.set(to: Double(bytes))
        }
        touch()
    }

    /// The text exposition format, for /metrics and the textfile.
    public func render() -> String { registry.emitToString() }

    /// Whether anything changed since the last `takeDirty`.
    func takeDirty() -> Bool { dirty.withLock { value in defer { value = false }; return value } }
    func touch() { dirty.withLock { $0 = true } }

    // MARK: checks

    struct CheckGauges: Sendable {
        var success: Gauge
        var duration: Gauge
        var phases: [String: Gauge] = [:]
        var status: Gauge?
        var expiry: Gauge?
        var tlsVersion: (String, Gauge)?
    }

    static func phaseValues(_ phases: ProbeResult.Phases) -> [(String, Double?)] {
        [("resolve", phases.resolve), ("connect", phases.connect), ("tls", phases.tls), ("processing", phases.firstByte), ("transfer", phases.transfer)]
    }

    /// Records one check's result under blackbox_exporter's names.
    public func record(_ result: CheckResult) {
        let name = result.name
        let labels = [("check", name)]
        state.withLock { all in
            var gauges = all[name] ?? CheckGauges(
                success: gauge("probe_success", labels: labels, help: "Displays whether or not the probe was a success"),
                duration: gauge("probe_duration_seconds", labels: labels, help: "Returns how long the probe took to complete in seconds"))
            gauges.success.set(to: result.state == .fail ? 0 : 1)
            gauges.duration.set(to: result.durationMs / 1000)
            if let phases = result.phases, result.status != nil || result.target.hasPrefix("http") {
                for (phase, value) in Self.phaseValues(phases) {
                    let gauge = gauges.phases[phase] ?? gauge(
                        "probe_http_duration_seconds", labels: labels + [("phase", phase)], help: "Duration of http request by phase, summed over all redirects")
                    gauges.phases[phase] = gauge
                    gauge.set(to: (value ?? 0) / 1000)
                }
            }
            if let status = result.status {
                let gauge = gauges.status ?? gauge("probe_http_status_code", labels: labels, help: "Response HTTP status code")
                gauges.status = gauge
                gauge.set(to: Double(status))
            }
            if let certificate = result.certificate {
                let expiry = gauges.expiry ?? gauge("probe_ssl_earliest_cert_expiry", labels: labels, help: "Returns last SSL chain expiry in unixtime")
                gauges.expiry = expiry
                expiry.set(to: certificate.earliestExpiry.timeIntervalSince1970)
                if let version = certificate.tlsVersion {
                    if let (old, gauge) = gauges.tlsVersion, old != version { registry.unregisterGauge(gauge); gauges.tlsVersion = nil }
                    let gauge = gauges.tlsVersion?.1 ?? gauge("probe_tls_version_info", labels: labels + [("version", version)], help: "Returns the TLS version used or NaN when unknown")
                    gauges.tlsVersion = (version, gauge)
                    gauge.set(to: 1)
                }
            }
            all[name] = gauges
        }
        touch()
    }

    // MARK: cluster, apps, reconcile, alerts

    /// The lab has no exposure (or no mirrors): nothing can be out of sync, so 1.
    public func cluster(_ name: String, up: Bool, apiServerUp api: Bool, exposeInSync expose: Bool, mirrorsInSync mirrors: Bool) {
        let gauges = clusterGauges.withLock { all in
            if let gauges = all[name] { return gauges }
            let labels = [("cluster", name)]
            let made = [
                gauge("moor_cluster_up", labels: labels, help: "1 when the cluster's node (or k3s) is running"),
                gauge("moor_apiserver_up", labels: labels, help: "1 when the provider reports the API server healthy"),
                gauge("moor_expose_in_sync", labels: labels, help: "1 when the tailnet forwards to the API server's current port"),
                gauge("moor_mirrors_in_sync", labels: labels, help: "1 when every registry mirror file matches the lab file"),
            ]
            all[name] = made
            return made
        }
        for (gauge, value) in zip(gauges, [up, api, expose, mirrors]) { gauge.set(to: value ? 1 : 0) }
        touch()
    }

    public func apps(total: Int, synced: Int, healthy: Int) {
        appsTotal.set(to: Double(total))
        appsSynced.set(to: Double(synced))
        appsHealthy.set(to: Double(healthy))
        touch()
    }

    public func reconciled(at date: Date, failed: Bool) {
        lastReconcile.set(to: date.timeIntervalSince1970)
        if failed { reconcileErrors.increment() }
        touch()
    }

    public func alertSendFailed() {
        alertSendErrors.increment()
        touch()
    }

    public func eventStreamRestarted() {
        eventStreamRestarts.increment()
        touch()
    }

    let alertGauges = Mutex<[String: Gauge]>([:])

    public func alert(_ name: String, firing: Bool) {
        alertGauges.withLock { gauges in
            let gauge = gauges[name] ?? gauge("moor_alert_firing", labels: [("check", name)], help: "1 while the alert is firing")
            gauges[name] = gauge
            gauge.set(to: firing ? 1 : 0)
        }
        touch()
    }
}
