import Foundation

/// minikube's profile list, status, start, stop, unpause, delete and ssh, with minikube's
/// JSON shapes and exit codes (85 profile not found, status bit set, 69 no driver).
struct MinikubeStandIn {
    let store: WorldStore

    func run(_ arguments: [String], stdin: Data) throws -> Outcome {
        let flags = Flags(arguments: arguments)
        let name = flags.value("--profile", short: "-p") ?? "minikube"
        var world = store.load()
        let nodes = world.realEngine.map(RealNodes.init)
        if let nodes { try nodes.refresh(&world) }
        switch arguments.first {
        case "profile" where arguments.dropFirst().first == "list":
            return Outcome(stdout: MinikubeJSON.profileList(world))
        case "status":
            guard let profile = world.profiles[name] else { return notFound(name, json: flags.value("--output", short: "-o") == "json") }
            return MinikubeJSON.status(name: name, profile)
        default:
            break
        }
        if let nodes { return try runReal(arguments, name: name, flags: flags, stdin: stdin, world: world, nodes: nodes) }
        switch arguments.first {
        case "start":
            guard world.dockerRunning else {
                return Outcome(69, stderr: "X Exiting due to PROVIDER_DOCKER_NOT_RUNNING: \(DockerStandIn.daemonDown)")
            }
            var started = true
            if var profile = world.profiles[name] {
                started = profile.state != "Running"
                if started { profile.hostPort = world.allocateAPIPort() }
                profile.state = "Running"
                world.profiles[name] = profile
            } else {
                let profile = create(flags, world: &world)
                world.profiles[name] = profile
                try installDefaultFiles(name, names: profile.names, runtime: profile.runtime)
            }
            try store.save(world)
            if started { DockerEvents.append("start", profile: name, store: store) }
            return Outcome(stdout: "* Done! kubectl is now configured to use \"\(name)\" cluster and \"default\" namespace by default\n")
        case "stop":
            guard world.profiles[name] != nil else { return notFound(name, json: false) }
            world.profiles[name]?.state = "Stopped"
            world.profiles[name]?.hostPort = nil
            try store.save(world)
            DockerEvents.append("kill", profile: name, store: store, signal: 15)
            DockerEvents.append("die", profile: name, store: store, exitCode: 130)
            DockerEvents.append("stop", profile: name, store: store)
            return Outcome(stdout: "* 1 node stopped.\n")
        case "unpause":
            guard world.profiles[name] != nil else { return notFound(name, json: false) }
            world.profiles[name]?.state = "Running"
            try store.save(world)
            return Outcome(stdout: "* Unpaused 14 containers in: kube-system, kubernetes-dashboard, storage-gluster, istio-operator\n")
        case "delete":
            world.profiles[name] = nil
            try? FileManager.default.removeItem(atPath: store.nodeRoot(name))
            try store.save(world)
            return Outcome(stdout: "* Removed all traces of the \"\(name)\" cluster.\n")
        case "ssh":
            guard let profile = world.profiles[name], profile.state == "Running" else {
                return Outcome(80, stderr: "X Exiting due to GUEST_STATUS: state: unknown state \"\(name)\"\n")
            }
            let words = Array(arguments.drop { $0 != "--" }.dropFirst())
            return try NodeShell(root: store.nodeRoot(name), profile: profile, duOverrideKiB: world.duOverrideKiB).run(words, stdin: stdin)
        default:
            return Outcome(14, stderr: "Error: unknown command \"\(arguments.first ?? "")\" for \"minikube\"\n")
        }
    }

    func notFound(_ name: String, json: Bool) -> Outcome {
        let lines = ["Profile \"\(name)\" not found. Run \"minikube profile list\" to view all profiles.",
                     "To start a cluster, run: \"minikube start -p \(name)\""]
        guard json else { return Outcome(85, stdout: lines.map { "* \($0)\n" }.joined()) }
        let events = lines.map { line in
            JSONText.object([
                ("data", .object([("message", .string(line + "\n"))])),
                ("datacontenttype", .string("application/json")), ("id", .string(UUID().uuidString.lowercased())),
                ("source", .string("https://minikube.sigs.k8s.io/")), ("specversion", .string("1.0")),
                ("type", .string("io.k8s.sigs.minikube.info")),
            ]).compact() + "\n"
        }
        return Outcome(85, stdout: events.joined())
    }

    func create(_ flags: Flags, world: inout World) -> World.Profile {
        var profile = World.Profile()
        profile.driver = flags.value("--driver", short: "-d") ?? "docker"
        profile.runtime = flags.value("--container-runtime", short: "-c") ?? "docker"
        profile.cpus = flags.value("--cpus").flatMap { Int($0) } ?? 2
        profile.memory = flags.value("--memory", short: "-m").flatMap(Self.mebibytes) ?? 4000
        profile.disk = flags.value("--disk-size").flatMap(Self.mebibytes) ?? 20000
        profile.apiServerPort = flags.value("--apiserver-port").flatMap { Int($0) } ?? 8443
        profile.names = flags.values("--apiserver-names").flatMap { $0.split(separator: ",").map(String.init) }
        profile.listenAddress = flags.value("--listen-address") ?? ""
        profile.hostPort = world.allocateAPIPort()
        return profile
    }

    /// kicbase ships a docker.io hosts.toml, and minikube writes the API server certificate
    /// with its own names plus `--apiserver-names`; every new node has both.
    func installDefaultFiles(_ name: String, names: [String], runtime: String) throws {
        // The CNI minikube picks: kindnet for containerd and cri-o on the docker driver, its bridge for docker.
        let cni = store.nodeRoot(name) + "/etc/cni/net.d"
        try FileManager.default.createDirectory(atPath: cni, withIntermediateDirectories: true)
        if runtime == "docker" {
            try CNIFiles.bridge.write(toFile: cni + "/1-k8s.conflist", atomically: true, encoding: .utf8)
        } else {
            try CNIFiles.kindnet.write(toFile: cni + "/10-kindnet.conflist", atomically: true, encoding: .utf8)
        }
        let directory = store.nodeRoot(name) + "/etc/containerd/certs.d/docker.io"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "server = \"https://registry-1.docker.io\"".write(toFile: directory + "/hosts.toml", atomically: true, encoding: .utf8)
        let certs = store.nodeRoot(name) + "/var/lib/minikube/certs"
        try FileManager.default.createDirectory(atPath: certs, withIntermediateDirectories: true)
        let pem = try APIServerCertificate.pem(names: ["minikubeCA", "control-plane.minikube.internal", "kubernetes.default.svc.cluster.local",
                                                      "kubernetes.default.svc", "kubernetes.default", "kubernetes", "localhost"] + names,
                                               ips: ["192.168.49.2", "10.96.0.1", "127.0.0.1", "10.0.0.1"])
        try pem.write(toFile: certs + "/apiserver.crt", atomically: true, encoding: .utf8)
    }

    /// minikube's units: a bare number is MB; b, k, m, g suffixes (with or without `b`), binary.
    static func mebibytes(_ text: String) -> Int? {
        let lower = text.lowercased()
        let digits = lower.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        switch lower.dropFirst(digits.count) {
        case "", "m", "mb": return number
        case "g", "gb": return number * 1024
        case "k", "kb": return number / 1024
        default: return nil
        }
    }
}

/// CNI configs as minikube writes them (fixtures/cni and minikube's kindnet manifest).
public enum CNIFiles {
    public static let bridge = """

        {
          "cniVersion": "0.4.0",
          "name": "bridge",
          "plugins": [
            {"type": "bridge", "bridge": "bridge", "addIf": "true", "isDefaultGateway": true, "forceAddress": false,
             "ipMasq": true, "hairpinMode": true, "ipam": {"type": "host-local", "subnet": "10.244.0.0/16"}},
            {"type": "portmap", "capabilities": {"portMappings": true}},
            {"type": "firewall"}
          ]
        }
        """

    public static let kindnet = """
        {
          "cniVersion": "0.3.1",
          "name": "kindnet",
          "plugins": [
            {"type": "ptp", "ipMasq": false, "ipam": {"type": "host-local", "dataDir": "/run/cni-ipam-state",
             "routes": [{"dst": "0.0.0.0/0"}], "ranges": [[{"subnet": "10.244.0.0/24"}]]}, "mtu": 1500},
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """
}
