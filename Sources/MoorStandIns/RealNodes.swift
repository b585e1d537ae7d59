import Foundation
import MoorCore

/// minikube's docker driver on a real Docker engine (`World.realEngine` set): the node is a
/// container named for the profile, labelled `name.minikube.sigs.k8s.io=<profile>`, with a
/// volume on `/var` and the API port published as `127.0.0.1::<port>`; `ssh` is `docker exec`.
/// The profile's settings stay in the world, its state and port come from the engine. The
/// node image (scripts/test-engines) runs a real containerd and a TLS server on the API port.
struct RealNodes {
    let engine: World.RealEngine

    /// `docker WORDS`, the real CLI on PATH (DOCKER_HOST as the caller has it).
    func docker(_ arguments: [String], stdin: Data = Data()) throws -> Outcome {
        try NodeShell.exec("/usr/bin/env", ["docker"] + arguments, stdin: stdin)
    }

    /// `Running`, `Paused` or `Stopped` as the engine has the container, nil when there is none.
    func state(_ name: String) throws -> String? {
        let result = try docker(["container", "inspect", "--format", "{{.State.Status}}", name])
        guard result.exitCode == 0 else { return nil }
        switch result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "running": return "Running"
        case "paused": return "Paused"
        default: return "Stopped"
        }
    }

    func hostPort(_ name: String, port: Int) throws -> Int? {
        let result = try docker(["port", name, "\(port)/tcp"])
        guard result.exitCode == 0 else { return nil }
        return try DockerPorts.parse(result.stdout).first?.hostPort
    }

    /// Every profile with the state and port the engine reports.
    func refresh(_ world: inout World) throws {
        for (name, var profile) in world.profiles {
            profile.state = try self.state(name) ?? "Stopped"
            profile.hostPort = profile.state == "Running" ? try hostPort(name, port: profile.apiServerPort) : nil
            world.profiles[name] = profile
        }
    }

    var engineAnswers: Bool { (try? docker(["version", "--format", "{{.Server.Version}}"]).exitCode) == 0 }

    func create(_ name: String, _ profile: World.Profile) throws -> Outcome? {
        let labels = ["created_by.minikube.sigs.k8s.io=true", "name.minikube.sigs.k8s.io=\(name)",
                      "mode.minikube.sigs.k8s.io=\(name)", "role.minikube.sigs.k8s.io="] + engine.labels
        let volume = try docker(["volume", "create"] + labels.flatMap { ["--label", $0] } + [name])
        if volume.exitCode != 0 { return failure("creating volume \(name)", volume) }
        let address = profile.listenAddress.isEmpty ? "127.0.0.1" : profile.listenAddress
        var run = ["run", "-d", "--name", name, "--hostname", name, "--network", engine.network,
                   // Names of containers resolve; nothing else does, and fast.
                   "--dns", "127.0.0.1", "--dns-opt", "timeout:1", "--dns-opt", "attempts:1",
                   "--volume", "\(name):/var", "--publish", "\(address)::\(profile.apiServerPort)",
                   "--env", "MOOR_APISERVER_NAMES=\(profile.names.joined(separator: ","))",
                   "--env", "MOOR_APISERVER_PORT=\(profile.apiServerPort)",
                   // --privileged is refused here ("unable to apply caps"); this is enough for containerd.
                   "--cap-add", "SYS_ADMIN", "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined"]
        run += labels.flatMap { ["--label", $0] }
        let started = try docker(run + [engine.image])
        if started.exitCode != 0 { return failure("creating node container \(name)", started) }
        if let failed = try waitReady(name) { return failed }
        try installDefaultFiles(name, runtime: profile.runtime)
        return nil
    }

    func start(_ name: String) throws -> Outcome? {
        let started = try docker(["start", name])
        if started.exitCode != 0 { return failure("starting node container \(name)", started) }
        return try waitReady(name)
    }

    func stop(_ name: String) throws -> Outcome? {
        let stopped = try docker(["stop", "--time", "10", name])
        return stopped.exitCode == 0 ? nil : failure("stopping node container \(name)", stopped)
    }

    func delete(_ name: String) throws {
        _ = try docker(["rm", "--force", "--volumes", name])
        _ = try docker(["volume", "rm", "--force", name])
    }

    /// `minikube ssh -- WORDS`: the words joined by spaces, parsed by the node's shell. This
    /// one `sh -c` is what is imitated: minikube hands the joined line to the node's shell, so
    /// moor's quoting (ShellQuote) is tested against a real shell, as NodeShell does.
    func ssh(_ name: String, _ words: [String], stdin: Data) throws -> Outcome {
        try docker(["exec", "-i", name, "/bin/sh", "-c", words.joined(separator: " ")], stdin: stdin)
    }

    /// minikube returns once the API server answers: here once the node's TLS server runs
    /// (the init starts it after containerd answers).
    func waitReady(_ name: String) throws -> Outcome? {
        let deadline = Date().addingTimeInterval(30)
        var last = Outcome(1)
        while Date() < deadline {
            last = try docker(["exec", name, "test", "-s", "/run/apiserver.pid"])
            if last.exitCode == 0 { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return failure("waiting for the API server of \(name)", last)
    }

    /// What kicbase and minikube put in a new node: the CNI config for the runtime and
    /// Docker Hub's hosts.toml.
    func installDefaultFiles(_ name: String, runtime: String) throws {
        let cni = runtime == "docker" ? ("1-k8s.conflist", CNIFiles.bridge) : ("10-kindnet.conflist", CNIFiles.kindnet)
        let files = [("/etc/cni/net.d/" + cni.0, cni.1),
                     ("/etc/containerd/certs.d/docker.io/hosts.toml", "server = \"https://registry-1.docker.io\"")]
        for (path, text) in files {
            _ = try docker(["exec", name, "mkdir", "-p", (path as NSString).deletingLastPathComponent])
            _ = try docker(["exec", "-i", name, "cp", "/dev/stdin", path], stdin: Data(text.utf8))
        }
    }

    func failure(_ doing: String, _ result: Outcome) -> Outcome {
        let line = result.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(result.exitCode)"
        return Outcome(80, stderr: "X Exiting due to GUEST_PROVISION: \(doing): \(line)\n")
    }
}

extension MinikubeStandIn {
    /// The commands of `run` that change the node, against the real engine (`world` refreshed from it).
    func runReal(_ arguments: [String], name: String, flags: Flags, stdin: Data, world: World, nodes: RealNodes) throws -> Outcome {
        var world = world
        switch arguments.first {
        case "start":
            guard nodes.engineAnswers else {
                return Outcome(69, stderr: "X Exiting due to PROVIDER_DOCKER_NOT_RUNNING: \(DockerStandIn.daemonDown)")
            }
            if let profile = world.profiles[name] {
                if profile.state != "Running", try nodes.state(name) == nil {
                    if let failed = try nodes.create(name, profile) { return failed }
                } else if profile.state != "Running", let failed = try nodes.start(name) {
                    return failed
                }
            } else {
                let profile = create(flags, world: &world)
                world.profiles[name] = profile
                try store.save(world)
                if let failed = try nodes.create(name, profile) { return failed }
            }
            return Outcome(stdout: "* Done! kubectl is now configured to use \"\(name)\" cluster and \"default\" namespace by default\n")
        case "stop":
            guard world.profiles[name] != nil else { return notFound(name, json: false) }
            if let failed = try nodes.stop(name) { return failed }
            return Outcome(stdout: "* 1 node stopped.\n")
        case "unpause":
            guard world.profiles[name] != nil else { return notFound(name, json: false) }
            return Outcome(stdout: "* Unpaused 14 containers in: kube-system, kubernetes-dashboard, storage-gluster, istio-operator\n")
        case "delete":
            try nodes.delete(name)
            world.profiles[name] = nil
            try store.save(world)
            return Outcome(stdout: "* Removed all traces of the \"\(name)\" cluster.\n")
        case "ssh":
            guard world.profiles[name]?.state == "Running" else {
                return Outcome(80, stderr: "X Exiting due to GUEST_STATUS: state: unknown state \"\(name)\"\n")
            }
            return try nodes.ssh(name, Array(arguments.drop { $0 != "--" }.dropFirst()), stdin: stdin)
        default:
            return Outcome(14, stderr: "Error: unknown command \"\(arguments.first ?? "")\" for \"minikube\"\n")
        }
    }
}
