import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import MoorWatch

/// The seed's story, step by step, through the real engine: an empty machine, one `up` to
/// every app Healthy (a Secret's value missing first, then given), a Docker restart, checks.
struct DemoStory: Sendable {
    let scratch: String
    let standIn: String
    let environment: [String: String]
    let gitops: Bool
    var debug = false

    func run() async throws {
        let labPath = scratch + "/moor.yaml"
        // The GitOps part of the lab file comes from `moor-standin demo-setup`, with the data it set up.
        var labText = SeedLab.text(runtime: "containerd") + (gitops ? try String(contentsOfFile: scratch + "/gitops.yaml", encoding: .utf8) : "")
        if gitops, let server = try? Kubeconfig.parse(String(contentsOfFile: scratch + "/kubeconfig", encoding: .utf8)).clusters["minikube"]?.server {
            labText += "checks:\n  - name: kubernetes-api\n    url: \(server)/version\n    expect: [\"[STATUS] == 200\", \"[BODY].gitVersion == pat(v1.*)\"]\n"
        }
        try labText.write(toFile: labPath, atomically: true, encoding: .utf8)
        var context = try LiveContext.make(debug: debug, quiet: false, extraEnvironment: environment, stateDirectory: scratch + "/state")
        context.environment["MINIFLUX_DB_PASSWORD"] = nil
        let counter = CountingRunner(base: context.runner)
        context.runner = counter
        context.progress = DemoProgress()
        guard case .success(let lab) = LabLoader.load(text: labText, file: labPath) else {
            throw MoorError(.failed, "the demo's own lab file does not load")
        }
        func engine(_ context: MoorContext) throws -> ResourceEngine { try ResourceEngine(lab: lab, labPath: labPath, context: context) }
        func up(_ context: MoorContext, wait: Duration = .seconds(60)) async throws -> UpReport {
            try await context.journal.withRun(command: "up", labFile: labPath) { try await engine(context).up(UpOptions(waitTimeout: wait), run: $0) }
        }

        step("1. moor plan, on an empty machine")
        show(PlanText.render(try await engine(context).plan().plan))

        if gitops {
            step("2. moor up, before the miniflux database password is available (env://MINIFLUX_DB_PASSWORD)")
            do {
                show(PlanText.render(try await up(context, wait: .seconds(6))))
            } catch let error as MoorError {
                show("error: \(error.message)")
            }
            step("3. the password is given: moor up again")
            context.environment["MINIFLUX_DB_PASSWORD"] = "demo-miniflux-password"
            let report = try await up(context)
            show(PlanText.render(report))
            if let apps = report.observed["app"] as? [Application] {
                show(Table.render(header: ["APP", "SYNC", "HEALTH", "REVISION"],
                                  rows: apps.map { [$0.name, $0.syncStatus.description, $0.health.description, SyncProgress.short($0.syncedRevision)] }))
            }
        } else {
            step("2. moor up: create the cluster, write the mirrors, publish the API server")
            show(PlanText.render(try await up(context)))
        }

        step("\(gitops ? 4 : 3). moor up again: everything is in sync")
        let before = counter.count
        show(PlanText.render(try await up(context)))
        say("   (\(counter.count - before) read-only commands, nothing changed)")

        step("\(gitops ? 5 : 4). Docker Desktop restarts: the API server gets a new host port; moor up repoints tailscale serve")
        _ = try await LocalRunner(environment: environment).output(Command(standIn, ["docker-restart"]))
        show(PlanText.render(try await up(context)))

        step("\(gitops ? 6 : 5). a reboot: the node container stops and stays stopped; moor watch starts it and repoints the tailnet")
        try await watchPutsItBack(lab, labPath: labPath, context: context)

        if gitops {
            step("7. moor check")
            let report = await CheckRunner(lab: lab, context: context, labPath: labPath).run(lab.checks)
            show(CheckRender.table(report, color: false))
        }
        step("\(gitops ? 8 : 6). moor status")
        show(PlanText.render(try StatusReport(lab: lab, try await engine(context).plan())))
        say("\ndone: the same engine drives a real homelab. Start from examples/homelab.yaml (the seed's lab as one file):")
        say("   cp examples/homelab.yaml moor.yaml && moor validate && moor plan && moor up")
    }

    /// `moor watch` in this process for one event: the container stops, watch starts the
    /// cluster after its settle delay and re-syncs the exposure; then it is stopped.
    func watchPutsItBack(_ lab: LabFile, labPath: String, context: MoorContext) async throws {
        let seen = DemoLines()
        let log = WatchLog(write: { line in
            let text = line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line
            seen.add(text)
            Console.out("   " + text.trimmingCharacters(in: .newlines))
        })
        var settings = Watcher.Settings(lab: lab, labPath: labPath, spec: lab.watch ?? WatchSpec())
        settings.settleDelay = .seconds(1)
        var quiet = context
        quiet.progress = SilentProgress()
        let watcher = try Watcher(settings: settings, context: quiet, log: log, sink: nil, metricsServer: nil, metrics: WatchMetrics(),
                                  takeLock: WatchCommand.lockTaker(lab, options: try WriterOptions.parse([]), context: quiet))
        let running = Task { try await watcher.run() }
        defer { running.cancel() }
        try await seen.wait(for: "watching")
        try await Task.sleep(for: .milliseconds(300))
        _ = try await LocalRunner(environment: environment).output(Command(standIn, ["container-stop", lab.cluster?.name ?? "minikube"]))
        try await seen.wait(for: "applied expose")
        running.cancel()
        _ = try? await running.value
    }

    func say(_ line: String) { Console.out(line) }
    func step(_ title: String) { Console.out("\n== \(title)") }
    func show(_ text: String) { Console.out(text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n")) }
}

/// The demo's watch log, to wait for a line.
final class DemoLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String) { lock.withLock { lines.append(line) } }

    func wait(for text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !lock.withLock({ lines.contains { $0.contains(text) } }) {
            guard ContinuousClock.now < deadline else { throw MoorError(.failed, "the demo's watch did not log \"\(text)\" in time") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
