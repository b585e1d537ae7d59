import Foundation
import MoorCore
import MoorEngine
import MoorStandIns

/// The demo's steps: the real engine, stand-in tools first on PATH.
struct DemoScript {
    let scratch: String
    let standIn: String

    static func findStandIn() throws -> String {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let self_ = FileManager.default.fileExists(atPath: me) ? me : (Bundle.main.executablePath ?? CommandLine.arguments[0])
        let candidate = URL(fileURLWithPath: self_).deletingLastPathComponent().appendingPathComponent("moor-standin").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw CommandFailure(status: MoorExit.failure,
                                 message: "the stand-in tools (moor-standin) were not found beside moor at \(candidate); run `swift build` first, or pass --standin PATH")
        }
        return candidate
    }

    func run() async throws {
        let world = WorldStore(directory: scratch + "/world")
        try FileManager.default.createDirectory(atPath: world.directory, withIntermediateDirectories: true)
        let bin = try StandIn.install(executable: standIn, into: scratch)
        let labPath = scratch + "/moor.yaml"
        try SeedLab.text(runtime: "containerd").write(toFile: labPath, atomically: true, encoding: .utf8)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let environment = ["PATH": "\(bin):\(path)", "MOOR_STANDIN_DIR": world.directory]
        var context = try LiveContext.make(debug: false, quiet: false, environment: environment, stateDirectory: scratch + "/state")
        context.progress = DemoProgress()
        guard case .success(let lab) = LabLoader.load(text: SeedLab.text(runtime: "containerd"), file: labPath) else {
            throw CommandFailure(status: MoorExit.failure, message: "the demo's own lab file does not load")
        }
        let engine = Engine(lab: lab, labPath: labPath, context: context)

        say("moor demo: the seed homelab (minikube on docker, 4 registry mirrors, API server on svc:k8s)")
        say("stand-in minikube, docker and tailscale in \(bin); lab file \(labPath)")

        step("1. moor plan, with nothing there yet")
        show(PlanText.render(try await engine.plan()))

        step("2. moor up: create the cluster, write the mirrors, publish the API server")
        show(PlanText.render(try await engine.up(allowRecreate: false)))

        step("3. moor up again: everything is in sync")
        let before = world.calls().count
        show(PlanText.render(try await engine.up(allowRecreate: false)))
        say("   (\(world.calls().count - before) read-only commands, nothing changed)")

        step("4. Docker Desktop restarts: the API server gets a new host port")
        try StandIn.simulateDockerRestart(store: world)
        let port = world.load().profiles["minikube"]?.hostPort.map(String.init) ?? "?"
        say("   docker now publishes 6443/tcp on 127.0.0.1:\(port); tailscale still points at the old one")

        step("5. moor plan: exactly one change")
        show(PlanText.render(try await engine.plan()))

        step("6. moor up: repoint tailscale serve")
        show(PlanText.render(try await engine.up(allowRecreate: false)))

        step("7. moor status")
        show(PlanText.render(try await engine.status()))
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
