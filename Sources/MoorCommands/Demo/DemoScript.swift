import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem

/// The demo's steps: the real engine, stand-in tools first on PATH. The stand-ins are the
/// `moor-standin` executable the package builds beside `moor`; moor runs it, never links it.
struct DemoScript {
    let scratch: String
    let standIn: String

    /// `moor-standin` beside this executable (`swift run moor demo`, or an installed pair).
    static func findStandIn() throws -> String {
        let me = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let candidate = me.deletingLastPathComponent().appendingPathComponent("moor-standin").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw CommandEnd.failed("the stand-in tools (moor-standin) were not found beside moor at \(candidate); build them with `swift build --product moor-standin` (or `swift build`), or pass --standin PATH")
        }
        return candidate
    }

    func run() async throws {
        let world = scratch + "/world"
        try FileManager.default.createDirectory(atPath: world, withIntermediateDirectories: true)
        let environment = ["MOOR_STANDIN_DIR": world]
        let bin = try await LocalRunner(environment: environment).output(Command(standIn, ["install", scratch]))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let labPath = scratch + "/moor.yaml"
        let labText = SeedLab.text(runtime: "containerd")
        try labText.write(toFile: labPath, atomically: true, encoding: .utf8)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var context = try LiveContext.make(debug: false, quiet: false, extraEnvironment: environment.merging(["PATH": "\(bin):\(path)"]) { $1 },
                                           stateDirectory: scratch + "/state")
        let counter = CountingRunner(base: context.runner)
        context.runner = counter
        context.progress = DemoProgress()
        guard case .success(let lab) = LabLoader.load(text: labText, file: labPath) else {
            throw CommandEnd.failed("the demo's own lab file does not load")
        }
        let engine = try ResourceEngine(lab: lab, labPath: labPath, context: context)
        func up() async throws -> UpReport {
            try await context.journal.withRun(command: "up", labFile: labPath) { try await engine.up(run: $0) }
        }

        say("moor demo: the seed homelab (minikube on docker, 4 registry mirrors, API server on svc:k8s)")
        say("stand-in minikube, docker and tailscale in \(bin); lab file \(labPath)")

        step("1. moor plan, with nothing there yet")
        show(PlanText.render(try await engine.plan().plan))

        step("2. moor up: create the cluster, write the mirrors, publish the API server")
        show(PlanText.render(try await up()))

        step("3. moor up again: everything is in sync")
        let before = counter.count
        show(PlanText.render(try await up()))
        say("   (\(counter.count - before) read-only commands, nothing changed)")

        step("4. Docker Desktop restarts: the API server gets a new host port")
        _ = try await LocalRunner(environment: environment).output(Command(standIn, ["docker-restart"]))
        let planned = try await engine.plan()
        let port = planned.observed("expose", as: ObservedExposure.self)?.apiHostPort.map(String.init) ?? "?"
        say("   docker now publishes 6443/tcp on 127.0.0.1:\(port); tailscale still points at the old one")

        step("5. moor plan: exactly one change")
        show(PlanText.render(planned.plan))

        step("6. moor up: repoint tailscale serve")
        show(PlanText.render(try await up()))

        step("7. moor status")
        show(PlanText.render(try StatusReport(lab: lab, try await engine.plan())))
        say("\ndone: the same engine drives a real homelab with `moor up -f moor.yaml`.")
    }

    func say(_ line: String) { Console.out(line) }
    func step(_ title: String) { Console.out("\n== \(title)") }
    func show(_ text: String) { Console.out(text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n")) }
}

/// In the demo, progress is part of the story: it goes to stdout, in line.
struct DemoProgress: ProgressReporter {
    func note(_ line: String) { Console.out("   · \(line)") }
}

/// Counts the commands moor starts, for the demo's "N read-only commands".
final class CountingRunner: CommandRunner, @unchecked Sendable {
    let base: any CommandRunner
    private let lock = NSLock()
    private var started = 0

    init(base: any CommandRunner) { self.base = base }

    var count: Int { lock.withLock { started } }

    func run(_ command: Command) async throws -> CommandResult {
        lock.withLock { started += 1 }
        return try await base.run(command)
    }
}
