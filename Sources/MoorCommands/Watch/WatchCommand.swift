import ArgumentParser
import Foundation
import Logging
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import MoorWatch
import ServiceLifecycle

/// `moor watch`: keep the cluster loop converged, run the checks on a schedule, alert
/// through ntfy and export metrics, until SIGTERM or SIGINT (then exit 0). `--install`,
/// `--uninstall` and `--print` manage it as a LaunchAgent or a systemd user unit.
struct WatchCommand: AsyncParsableCommand, HandlesOwnSignals {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep the lab converged after reboots and Docker restarts, run checks on a schedule, alert and export metrics.",
        discussion: "Runs until SIGTERM or Ctrl-C (exit 0). --install makes it a LaunchAgent (macOS) or a systemd user unit (Linux).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var writer: WriterOptions

    @Flag(help: "Install and load moor watch as a LaunchAgent (macOS) or systemd user unit (Linux) for this lab file.")
    var install = false

    @Flag(help: "Stop, unload and remove the installed service.")
    var uninstall = false

    @Flag(name: .customLong("print"), help: "Print the LaunchAgent plist or systemd unit --install would write, and write nothing.")
    var printOnly = false

    func validate() throws {
        if [install, uninstall, printOnly].filter({ $0 }).count > 1 {
            throw ValidationError("give at most one of --install, --uninstall, --print")
        }
    }

    func run() async throws {
        let path = options.labPath()
        if uninstall {
            let context = try LiveContext.make(options)
            for line in try await ServiceInstaller(files: serviceFiles(labPath: path), context: context).uninstall() { Console.out(line) }
            return
        }
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        if install || printOnly {
            let context = try LiveContext.make(options)
            let installer = ServiceInstaller(files: serviceFiles(labPath: path), context: context)
            if printOnly { return Console.out(try installer.text()) }
            for line in try await installer.install() { Console.out(line) }
            return
        }
        try await watch(lab, path)
    }

    func watch(_ lab: LabFile, _ path: String) async throws {
        guard lab.cluster != nil || !lab.checks.isEmpty else {
            throw MoorError(.invalidInput, "\(path) has no `cluster` and no `checks`: nothing to watch")
        }
        let context = try LiveContext.make(debug: options.debug, quiet: true)
        let spec = lab.watch ?? WatchSpec()
        let log = WatchLog()
        var sink: (any AlertSink)?
        if let ntfy = spec.alerts.ntfy {
            let secrets = SecretsEngine(lab: lab, labPath: path, context: context)
            let token = ntfy.token.map { template in TokenSource { try await secrets.render(template, purpose: "watch.alerts.ntfy.token") } }
            sink = NtfySink(spec: ntfy, token: token, prober: context.prober)
        }
        if let textfile = spec.metrics.textfile.map({ Files.expandTilde($0, home: context.home) }) {
            // node_exporter's collector directory is its own: moor writes into it, never creates it.
            let directory = (textfile as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw MoorError(.fileMissing, "the directory of watch.metrics.textfile, \(directory), does not exist; create it (node_exporter's --collector.textfile.directory) or change the path")
            }
        }
        let metrics = WatchMetrics()
        // The status page's board keeps check history in the journal whether or not the page
        // is served, so turning it on later shows what happened before.
        let retention = HistoryRetention(days: spec.historyDays)
        let board = StatusBoard(lab: lab, journal: context.journal, retention: retention, now: { [clock = context.clock] in clock.date })
        _ = try? context.journal.pruneHistory(now: context.clock.date, calendar: HistoryCalendar(), retention: retention)
        let routes = spec.servesPage ? StatusRoutes(board: board, refreshMilliseconds: spec.checksMilliseconds, maxDays: spec.historyDays) : nil
        var server: MetricsServer?
        if let listen = spec.metrics.listen, let (host, port) = MoorCore.Validate.hostPort(listen) {
            do {
                server = try await MetricsServer.start(host: host, port: port, metrics: metrics, routes: routes)
            } catch {
                throw MoorError(.unavailable, "cannot serve metrics on \(listen) (watch.metrics.listen): \(error)")
            }
        }
        let watcher = try Watcher(settings: Watcher.Settings(lab: lab, labPath: path, spec: spec), context: context, log: log,
                                  sink: sink, metricsServer: server, metrics: metrics, board: board,
                                  takeLock: Self.lockTaker(lab, options: writer, context: context))
        var logger = Logger(label: "moor.watch") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        var configuration = ServiceGroupConfiguration(services: [.init(service: watcher)], logger: logger)
        configuration.gracefulShutdownSignals = [.sigterm, .sigint]
        try await ServiceGroup(configuration: configuration).run()
    }

    /// The cluster's writer lock for each reconcile that changes something; a lock that
    /// stays busy is a reconcile failure with the holder's name, as `up` would say it.
    static func lockTaker(_ lab: LabFile, options: WriterOptions, context: MoorContext) -> Reconciler.LockTaker {
        { try await ClusterLock.take(lab, command: "watch", options: options, context: context) }
    }

    /// The absolute paths the service needs, and the PATH (and state directory) it runs with.
    func serviceFiles(labPath: String) -> ServiceFiles {
        let environment = ProcessInfo.processInfo.environment
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        let absolute = labPath.hasPrefix("/") ? labPath : FileManager.default.currentDirectoryPath + "/" + labPath
        var keep: [String: String] = [:]
        for key in ["PATH", "MOOR_STATE_DIR", "KUBECONFIG"] { keep[key] = environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        return ServiceFiles(executable: executable, labPath: URL(fileURLWithPath: absolute).standardizedFileURL.path,
                            home: environment["HOME"] ?? Files.homeDirectory, environment: keep)
    }
}
