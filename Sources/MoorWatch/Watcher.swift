import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import ServiceLifecycle

/// Everything `moor watch` runs, as one swift-service-lifecycle service: the docker event
/// follower, the reconcile loop, the check schedule, alert delivery, and the metrics
/// (served and/or written to a textfile). On SIGTERM or SIGINT it stops starting work,
/// lets what runs finish for up to 0.8 s, cancels the rest (child processes get SIGTERM,
/// then SIGKILL), and returns within about 1.3 s.
public final class Watcher: Service, Sendable {
    public struct Settings: Sendable {
        public var lab: LabFile
        public var labPath: String
        public var spec: WatchSpec
        /// After a `die`/`stop`, wait this long before starting the cluster (Docker may be
        /// stopping everything, or a person may be stopping it on purpose and restarting).
        public var settleDelay: Duration = .seconds(3)
        /// How often the metrics textfile is rewritten when something changed.
        public var textfileInterval: Duration = .seconds(5)

        public init(lab: LabFile, labPath: String, spec: WatchSpec) {
            self.lab = lab
            self.labPath = labPath
            self.spec = spec
        }
    }

    let settings: Settings
    let context: MoorContext
    let log: WatchLog
    let metrics: WatchMetrics
    public let alerter: Alerter
    let reconciler: Reconciler
    let metricsServer: MetricsServer?
    let board: StatusBoard?
    let inFlight = InFlight()

    public init(settings: Settings, context: MoorContext, log: WatchLog, sink: (any AlertSink)?, metricsServer: MetricsServer?,
                metrics: WatchMetrics, board: StatusBoard? = nil, takeLock: @escaping Reconciler.LockTaker) throws {
        self.board = board
        self.settings = settings
        self.context = context
        self.log = log
        self.metrics = metrics
        self.metricsServer = metricsServer
        let names = Set(settings.lab.checks.map(\.name) + ReconcileDecision.alertNames)
        alerter = try Alerter(rule: settings.spec.alerts.rule, journal: context.journal, sink: sink, metrics: metrics, log: log,
                              names: names, inFlight: inFlight, now: { [clock = context.clock] in clock.date })
        reconciler = Reconciler(lab: settings.lab, labPath: settings.labPath, context: context, spec: settings.spec,
                                alerter: alerter, metrics: metrics, log: log, takeLock: takeLock)
    }

    public func run() async throws {
        await reconciler.setBoard(board)
        let (stopped, finish) = AsyncStream<Void>.makeStream()
        let done = Latch()
        let work = Task { [inFlight] in
            await self.loops()
            done.set()
            // Stopping: the shutdown below decides when to return, after deliveries too.
            if !inFlight.stopping { finish.finish() }
        }
        await withTaskCancellationOrGracefulShutdownHandler {
            for await _ in stopped {}
        } onCancelOrGracefulShutdown: { [log, inFlight] in
            // Nothing new begins; what is under way (a check, an alert's delivery, a
            // reconcile) gets 0.8 s to finish, then is cancelled: a child process gets
            // SIGTERM, then SIGKILL half a second later. Whatever still runs at 1.3 s (a
            // probe inside its timeout) is left to the process exit.
            inFlight.stop()
            log.event("stopping: letting work under way finish")
            Task {
                let start = ContinuousClock.now
                while !inFlight.idle, ContinuousClock.now - start < .milliseconds(800) { try? await Task.sleep(for: .milliseconds(10)) }
                if !inFlight.idle { log.event("stopping: cancelling what is still running") }
                work.cancel()
                while !done.isSet, ContinuousClock.now - start < .milliseconds(1300) { try? await Task.sleep(for: .milliseconds(10)) }
                finish.finish()
            }
        }
        writeTextfile()
        await metricsServer?.close()
        log.event("stopped")
    }

    func loops() async {
        let lab = settings.lab
        let spec = settings.spec
        let clusterNames = lab.clusters.map { lab.namesClusters ? $0.id : $0.name }
        log.event("watching \(settings.labPath): \(clusterNames.isEmpty ? "" : "cluster \(clusterNames.joined(separator: ", ")), ")\(lab.checks.count) check(s), reconcile every \(spec.reconcileMilliseconds / 1000) s\(metricsServer?.port.map { ", metrics on port \($0)" } ?? "")")
        let (triggers, trigger) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(4))
        await withTaskGroup(of: Void.self) { group in
            if !lab.clusters.isEmpty {
                // A provider names the container whose events to follow; the others rely on
                // the periodic reconcile.
                for cluster in lab.clusters {
                    guard let provider = try? ClusterProviders.provider(for: cluster) else { continue }
                    if provider.eventContainer != nil {
                        group.addTask { await self.follow(cluster, trigger) }
                    } else {
                        log.event("\(provider.withoutEvents); reconciling every \(spec.reconcileMilliseconds / 1000) s")
                    }
                }
                group.addTask {
                    trigger.yield("start")
                    while !Task.isCancelled {
                        do { try await self.context.clock.sleep(for: .milliseconds(spec.reconcileMilliseconds)) } catch { return }
                        trigger.yield("periodic reconcile")
                    }
                }
                group.addTask {
                    for await reason in triggers {
                        guard !Task.isCancelled, self.inFlight.begin() else { return }
                        await self.reconciler.reconcile(reason)
                        self.inFlight.end()
                    }
                }
            }
            if !lab.checks.isEmpty {
                group.addTask { await self.scheduler().run() }
            }
            if let backups = lab.backups, !lab.clusters.isEmpty {
                let scheduler = BackupScheduler(lab: lab, labPath: settings.labPath, context: context, spec: backups, alerter: alerter,
                                                metrics: metrics, log: log, inFlight: inFlight)
                group.addTask { await scheduler.run() }
            }
            if spec.metrics.textfile != nil {
                group.addTask {
                    while !Task.isCancelled {
                        self.writeTextfile()
                        do { try await self.context.clock.sleep(for: self.settings.textfileInterval) } catch { return }
                    }
                }
            }
            await group.waitForAll()
        }
        trigger.finish()
    }

    /// Events of the node container: `start` re-syncs at once; `die`/`stop` start the
    /// cluster again after the settle delay (with `autoStart`; without, the reconcile alerts).
    func follow(_ cluster: ClusterSpec, _ trigger: AsyncStream<String>.Continuation) async {
        let session = ObservationSession(lab: settings.lab, labPath: settings.labPath, context: context)
        let (runner, _) = session.clusterHost(cluster)
        let follower = EventFollower(profile: cluster.name, runner: runner, clock: context.clock, log: log)
        let settle = settings.settleDelay
        let clock = context.clock
        let pending = SettlePending()
        await follower.run(restarted: { [metrics] in metrics.eventStreamRestarted() }, reconnected: { [log] in
            log.event("docker answers again; re-syncing cluster \(cluster.name)")
            trigger.yield("docker answers again")
        }) { [log] event in
            switch event.action {
            case "start", "unpause":
                if event.action == "start", let board = self.board {
                    board.restarted(StatusBoard.id(cluster, self.settings.lab), at: Date(timeIntervalSince1970: TimeInterval(event.time)))
                }
                log.event("container \(cluster.name): \(event.action); re-syncing")
                trigger.yield("container \(event.action)")
            case "die", "stop", "kill", "pause", "oom":
                log.event("container \(cluster.name): \(event.action)\(event.attributes["exitCode"].map { " (exit \($0))" } ?? "")")
                // `die` and `stop` come together: one reconcile after the settle delay.
                if event.action == "die" || event.action == "stop" || event.action == "oom", await pending.begin() {
                    Task {
                        try? await clock.sleep(for: settle)
                        await pending.end()
                        trigger.yield("container \(event.action)")
                    }
                }
            default:
                break
            }
        }
    }

    func scheduler() -> CheckScheduler {
        let runner = CheckRunner(lab: settings.lab, context: context, labPath: settings.labPath)
        var scheduler = CheckScheduler(checks: settings.lab.checks, defaultInterval: .milliseconds(settings.spec.checksMilliseconds),
                                       runner: runner, clock: context.clock, log: log) { [metrics, alerter, board] result in
            metrics.record(result)
            board?.record(result)
            await alerter.evaluate(result.name, success: result.state != .fail, detail: Self.alertDetail(result))
        }
        scheduler.inFlight = inFlight
        return scheduler
    }

    /// The check's detail line, then each condition that failed with its values.
    static func alertDetail(_ result: CheckResult) -> String {
        let failed = result.conditions.filter { !$0.success }.map { "\($0.condition): \($0.output)" }
        return ([result.detail] + failed).joined(separator: "\n")
    }

    func writeTextfile() {
        guard let path = settings.spec.metrics.textfile.map({ Files.expandTilde($0, home: context.home) }), metrics.takeDirty() else { return }
        do {
            try context.files.write(Array(metrics.render().utf8), to: path, mode: 0o644)
        } catch {
            log.event("could not write the metrics textfile \(path): \(error)")
            metrics.touch()
        }
    }
}

/// Whether a reconcile after a stop is already waiting out the settle delay.
actor SettlePending {
    var waiting = false

    func begin() -> Bool {
        if waiting { return false }
        waiting = true
        return true
    }

    func end() { waiting = false }
}
