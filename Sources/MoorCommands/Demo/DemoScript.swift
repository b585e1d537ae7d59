import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem

/// The demo's steps: the real engine, stand-in tools first on PATH, and (when kubectl is
/// installed) the API emulator for ArgoCD. The stand-ins are the `moor-standin` executable the
/// package builds beside `moor`; moor runs it, never links it.
struct DemoScript {
    let scratch: String
    let standIn: String
    var debug = false

    /// `moor-standin` beside this executable (`swift run moor demo`, or an installed pair), or
    /// in `../libexec/moor/` (the Homebrew formula keeps it off PATH there).
    static func findStandIn() throws -> String {
        let me = Bundle.main.executableURL?.resolvingSymlinksInPath() ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let directory = me.deletingLastPathComponent()
        let candidates = [directory.appendingPathComponent("moor-standin").path,
                          directory.deletingLastPathComponent().appendingPathComponent("libexec/moor/moor-standin").path]
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw MoorError(.fileMissing, "the stand-in tools (moor-standin) were not found at \(candidates.joined(separator: " or ")); build them with `swift build --product moor-standin` (or `swift build`), or pass --standin PATH")
    }

    func run() async throws {
        let world = scratch + "/world"
        try FileManager.default.createDirectory(atPath: world, withIntermediateDirectories: true)
        let standInEnvironment = ["MOOR_STANDIN_DIR": world]
        let tools = ["minikube", "docker", "tailscale", "op"]
        let bin = try await LocalRunner(environment: standInEnvironment).output(Command(standIn, ["install", scratch])).trimmingCharacters(in: .whitespacesAndNewlines)
        for tool in ["kubectl"] { try? FileManager.default.removeItem(atPath: bin + "/" + tool) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let kubectl = LocalRunner.lookup("kubectl", in: path)
        say("moor demo: the seed homelab (minikube, docker driver, containerd runtime, 4 registry mirrors, API server on svc:k8s\(kubectl == nil ? ")" : ", ArgoCD with an app of apps)")")
        say("stand-in \(tools.joined(separator: ", ")) in \(bin)\(kubectl.map { "; the real kubectl (\($0)) against moor's Kubernetes API emulator" } ?? "")")
        var environment = standInEnvironment
        environment["PATH"] = "\(bin):\(path)"
        guard kubectl != nil else {
            say("(kubectl is not installed: showing the cluster loop only; install kubectl for the ArgoCD part)")
            return try await DemoStory(scratch: scratch, standIn: standIn, environment: environment, gitops: false, debug: debug).run()
        }
        _ = try await LocalRunner(environment: standInEnvironment).output(Command(standIn, ["demo-setup", scratch]))
        environment["KUBECONFIG"] = scratch + "/kubeconfig"
        let story = DemoStory(scratch: scratch, standIn: standIn, environment: environment, gitops: true, debug: debug)
        try await Background.run(Command(standIn, ["kube-api", scratch + "/kube-api.json"], environment: standInEnvironment)) {
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: scratch + "/kubeconfig") {
                guard ContinuousClock.now < deadline else { throw MoorError(.failed, "the demo's API emulator did not start") }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await story.run()
        }
    }

    func say(_ line: String) { Console.out(line) }
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

    func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        lock.withLock { started += 1 }
        return try await base.stream(command, line: line)
    }
}
