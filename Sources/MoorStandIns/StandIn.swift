import Foundation

/// What a stand-in invocation printed and how it exited.
public struct Outcome: Sendable {
    public var exitCode: Int32
    public var stdout: String
    /// Binary output (a tar archive), written instead of `stdout` when set.
    public var stdoutData: Data?
    public var stderr: String

    init(_ exitCode: Int32 = 0, stdout: String = "", stderr: String = "") {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Stand-ins for the tools that cannot run here: minikube, docker, tailscale and kubectl.
/// One executable, installed under each tool's name; it dispatches on that name.
public enum StandIn {
    public static let tools = ["minikube", "docker", "tailscale", "kubectl", "op"]
    /// Service managers, for `moor watch --install` tests only (never on the demo's PATH):
    /// they record the call and succeed.
    public static let serviceManagers = ["systemctl", "launchctl"]

    /// A k3s host's root (see `K3sStandIn`), when this process runs on one.
    static var k3sRoot: String? { ProcessInfo.processInfo.environment["MOOR_STANDIN_ROOT"] }

    public static func run(tool: String, arguments: [String], stdin: Data, store: WorldStore) -> Outcome {
        store.logCall([tool] + arguments)
        if let home = ProcessInfo.processInfo.environment["MINIKUBE_HOME"] { store.logMinikubeHome(home) }
        if store.takeFault(tool: tool, arguments: arguments, file: "hangs") {
            // Stands for a tool that never finishes: says where it is, then waits to be killed.
            try? "\(getpid())".write(toFile: store.directory + "/hung.pid", atomically: true, encoding: .utf8)
            while true { sleep(60) }
        }
        if store.takeFault(tool: tool, arguments: arguments, file: "slow") {
            Thread.sleep(forTimeInterval: 1.5)
        }
        if store.takeFault(tool: tool, arguments: arguments) {
            return Outcome(1, stderr: "\(tool): injected failure (stand-in fault for `\(arguments.joined(separator: " "))`)\n")
        }
        if let root = k3sRoot, ["k3s", "sudo"].contains(tool) || (tool == "systemctl" && arguments.last == "k3s") {
            let k3s = K3sStandIn(root: root, store: store)
            return tool == "k3s" ? k3s.k3s(arguments) : tool == "sudo" ? k3s.sudo(arguments, stdin: stdin) : k3s.systemctl(arguments)
        }
        do {
            switch tool {
            case "minikube": return try MinikubeStandIn(store: store).run(arguments, stdin: stdin)
            case "docker": return DockerStandIn(store: store).run(arguments)
            case "tailscale": return try TailscaleStandIn(store: store).run(arguments)
            case "kubectl": return try KubectlStandIn(store: store).run(arguments, stdin: stdin)
            case "op": return OpStandIn(store: store).run(arguments)
            case "systemctl" where arguments.contains("--user") && store.load().systemdUserBus == false:
                return Outcome(1, stderr: "Failed to connect to bus: No medium found\n")
            case "systemctl", "launchctl": return Outcome()
            default: return Outcome(127, stderr: "\(tool): not a stand-in tool\n")
            }
        } catch {
            return Outcome(1, stderr: "\(tool) stand-in: \(error)\n")
        }
    }

    /// Lays out `directory/bin` with one link a tool (of `only`, default all) to the stand-in executable.
    public static func install(executable: String, into directory: String, only: [String] = tools) throws -> String {
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for tool in only {
            let link = bin + "/" + tool
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: executable)
        }
        return bin
    }

    /// What a Docker Desktop restart does to minikube: the event streams end, and every
    /// running cluster's node container starts again (a `start` event) with a new published
    /// API server port.
    public static func simulateDockerRestart(store: WorldStore) throws {
        DockerEvents.endStreams(store)
        var restarted: [String] = []
        try store.update { world in
            for name in world.profiles.keys.sorted() where world.profiles[name]?.state == "Running" {
                let port = world.allocateAPIPort()
                world.profiles[name]?.hostPort = port
                restarted.append(name)
            }
        }
        for name in restarted { DockerEvents.append("start", profile: name, store: store) }
    }

    /// The node container of `profile` exits (a reboot, Docker quitting, an OOM kill): the
    /// cluster is stopped, with `die` and `stop` events. minikube sets no restart policy,
    /// so it stays stopped until someone (watch) starts it.
    public static func simulateContainerStop(store: WorldStore, profile: String) throws {
        try store.update { world in
            world.profiles[profile]?.state = "Stopped"
            world.profiles[profile]?.hostPort = nil
        }
        DockerEvents.append("kill", profile: profile, store: store, signal: 9)
        DockerEvents.append("die", profile: profile, store: store, exitCode: 137)
        DockerEvents.append("stop", profile: profile, store: store)
    }

    /// The entry point of the `moor-standin` executable: a tool's stand-in when called by a
    /// tool's name, else `moor-standin install BIN` (links every tool into BIN) or
    /// `moor-standin docker-restart` (what a Docker Desktop restart does), for the demo.
    public static func main() -> Never {
        let tool = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        if !(tools + serviceManagers + K3sStandIn.tools).contains(tool) { admin(Array(CommandLine.arguments.dropFirst())) }
        guard let directory = ProcessInfo.processInfo.environment["MOOR_STANDIN_DIR"] else {
            FileHandle.standardError.write(Data("\(tool) (moor stand-in): MOOR_STANDIN_DIR is not set\n".utf8))
            exit(127)
        }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let outcome = run(tool: tool, arguments: Array(CommandLine.arguments.dropFirst()), stdin: input,
                          store: WorldStore(directory: directory))
        FileHandle.standardOutput.write(outcome.stdoutData ?? Data(outcome.stdout.utf8))
        FileHandle.standardError.write(Data(outcome.stderr.utf8))
        exit(outcome.exitCode)
    }
}

extension StandIn {
    static func admin(_ arguments: [String]) -> Never {
        do {
            switch arguments.first {
            case "install" where arguments.count == 2:
                let me = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
                print(try install(executable: me, into: arguments[1]))
            case "demo-setup" where arguments.count == 2:
                guard let directory = ProcessInfo.processInfo.environment["MOOR_STANDIN_DIR"] else {
                    FileHandle.standardError.write(Data("moor-standin: MOOR_STANDIN_DIR is not set\n".utf8))
                    exit(64)
                }
                try DemoSetup.write(into: arguments[1], world: WorldStore(directory: directory))
            case "kube-api" where arguments.count == 2:
                KubeAPIServer.serveForever(stateFile: arguments[1])
            case "docker-restart":
                guard let directory = ProcessInfo.processInfo.environment["MOOR_STANDIN_DIR"] else {
                    FileHandle.standardError.write(Data("moor-standin: MOOR_STANDIN_DIR is not set\n".utf8))
                    exit(64)
                }
                try simulateDockerRestart(store: WorldStore(directory: directory))
            case "container-stop" where arguments.count == 2:
                guard let directory = ProcessInfo.processInfo.environment["MOOR_STANDIN_DIR"] else {
                    FileHandle.standardError.write(Data("moor-standin: MOOR_STANDIN_DIR is not set\n".utf8))
                    exit(64)
                }
                try simulateContainerStop(store: WorldStore(directory: directory), profile: arguments[1])
            default:
                FileHandle.standardError.write(Data("usage: moor-standin install BIN | moor-standin docker-restart | moor-standin container-stop PROFILE | moor-standin kube-api STATE.json\n".utf8))
                exit(64)
            }
        } catch {
            FileHandle.standardError.write(Data("moor-standin: \(error)\n".utf8))
            exit(1)
        }
        exit(0)
    }
}

/// Small argv helpers shared by the stand-ins.
struct Flags {
    let arguments: [String]

    /// `--name=value` or `--name value` (and a short alias).
    func value(_ name: String, short: String? = nil) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
            if argument == name || (short != nil && argument == short), index + 1 < arguments.count { return arguments[index + 1] }
        }
        return nil
    }

    func values(_ name: String) -> [String] {
        arguments.filter { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    func has(_ flag: String) -> Bool { arguments.contains(flag) }
}
