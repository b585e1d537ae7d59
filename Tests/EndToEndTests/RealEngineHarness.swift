import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// The real Docker engine of `scripts/test-engines up`, whose exports (DOCKER_HOST and the
/// images) the test process inherits. The tests run when `docker version` answers; under
/// `CI=true` they run anyway, and fail when it does not.
enum RealEngine {
    static let environment = ProcessInfo.processInfo.environment

    static let answers: Bool = {
        let result = try? docker(["version", "--format", "{{.Server.Version}}"])
        return result?.exitCode == 0 && environment["MOOR_TEST_NODE_IMAGE"] != nil
    }()

    static var required: Bool { environment["CI"] == "true" }
    static var enabled: Bool { answers || required }

    /// Why the engine cannot be used, for the failure under CI.
    static func ready() throws {
        guard answers else {
            throw MoorError(.unavailable, "the real Docker engine does not answer (or MOOR_TEST_NODE_IMAGE is unset): run `eval \"$(scripts/test-engines up)\"` first")
        }
    }

    static var nodeImage: String { environment["MOOR_TEST_NODE_IMAGE"] ?? "" }
    static var registryImage: String { environment["MOOR_TEST_REGISTRY_IMAGE"] ?? "" }
    static var pullImage: String { environment["MOOR_TEST_PULL_IMAGE"] ?? "" }

    /// The directory of the real `docker` CLI, for the PATH moor runs with.
    static let dockerDirectory: String = {
        for directory in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = String(directory) + "/docker"
            if FileManager.default.isExecutableFile(atPath: path),
               (try? FileManager.default.destinationOfSymbolicLink(atPath: path))?.hasSuffix("moor-standin") != true {
                return String(directory)
            }
        }
        return "/usr/bin"
    }()

    /// The real `docker` (never a stand-in), synchronously.
    @discardableResult
    static func docker(_ arguments: [String], stdin: String = "") throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let result = try NodeProcess.run(dockerDirectory + "/docker", arguments, stdin: Data(stdin.utf8))
        return (result.exitCode, result.stdout, result.stderr)
    }

    @discardableResult
    static func dockerOK(_ arguments: [String], stdin: String = "") throws -> String {
        let result = try docker(arguments, stdin: stdin)
        guard result.exitCode == 0 else {
            throw MoorError(.toolFailed, "docker \(arguments.joined(separator: " ")) exited \(result.exitCode): \(result.stderr)")
        }
        return result.stdout
    }
}

/// A homelab whose node is a real container: stand-ins for minikube (driving the real engine),
/// tailscale, kubectl and op; the real docker. Each lab has its own network, registry
/// container (alias `registry.test`) and profile name; `close()` removes them.
final class EngineLab: @unchecked Sendable {
    let lab: Homelab
    let id = "moor-" + UUID().uuidString.prefix(8).lowercased()
    var profile: String { id }
    var network: String { id + "-net" }
    var registry: String { id + "-registry" }

    /// `realKubectl`: the real kubectl (for the API emulator) instead of the stand-in.
    init(realKubectl: Bool = false, lab text: (String) -> String) throws {
        try RealEngine.ready()
        lab = try Homelab(lab: "", standIns: ["minikube", "tailscale", "op"] + (realKubectl ? [] : ["kubectl"]))
        try lab.writeLab(text(id))
        let kubectl = realKubectl ? (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/kubectl") }.map { ":\($0)" } ?? "" : ""
        lab.extraEnvironment["PATH"] = "\(lab.bin):\(RealEngine.dockerDirectory):/usr/bin:/bin\(kubectl)"
        if let host = RealEngine.environment["DOCKER_HOST"] { lab.extraEnvironment["DOCKER_HOST"] = host }
        try RealEngine.dockerOK(["network", "create", "--label", "moor-test=1", network])
        try RealEngine.dockerOK(["run", "-d", "--name", registry, "--label", "moor-test=1", "--network", network,
                                 "--network-alias", "registry.test", "--publish", "127.0.0.1::5000", RealEngine.registryImage])
        try lab.world.update { $0.realEngine = World.RealEngine(image: RealEngine.nodeImage, network: network, labels: ["moor-test=1"]) }
    }

    /// The node's API port on the host, as the engine reports it now.
    func hostPort() throws -> Int? {
        let result = try RealEngine.docker(["port", profile, "8443/tcp"])
        guard result.exitCode == 0 else { return nil }
        return try DockerPorts.parse(result.stdout).first?.hostPort
    }

    func containerID() throws -> String? {
        let result = try RealEngine.docker(["container", "inspect", "--format", "{{.Id}}", profile])
        return result.exitCode == 0 ? result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// `sh -c SCRIPT` in the node, its stdout.
    func inNode(_ script: String, stdin: String = "") throws -> String {
        try RealEngine.dockerOK(["exec", "-i", profile, "/bin/sh", "-c", script], stdin: stdin)
    }

    /// The registry's log: one access line a request it answered.
    func registryLog() throws -> String {
        let result = try RealEngine.docker(["logs", registry])
        return result.stdout + result.stderr
    }

    /// Pushes the pull image into the registry as `library/busybox:moor-test`, through its
    /// published loopback port (the engine takes loopback registries over plain HTTP).
    func pushPullImage() throws {
        let published = try RealEngine.dockerOK(["port", registry, "5000/tcp"]).split(separator: "\n").first.map(String.init) ?? ""
        let tag = "\(published)/library/busybox:moor-test"
        try RealEngine.dockerOK(["tag", RealEngine.pullImage, tag])
        try RealEngine.dockerOK(["push", "--quiet", tag])
        try RealEngine.dockerOK(["rmi", tag])
    }

    var serveTarget: String? { lab.serveTarget }

    func close() {
        _ = try? RealEngine.docker(["rm", "--force", "--volumes", profile, registry])
        _ = try? RealEngine.docker(["volume", "rm", "--force", profile])
        _ = try? RealEngine.docker(["network", "rm", network])
    }

    deinit { close() }

    /// A lab whose cluster is `profile` on the docker driver with containerd, exposed on the
    /// tailnet, with Docker Hub mirrored through the test's registry when `mirror`.
    static func text(profile: String, mirror: Bool = true, cpus: Int = 2, watch: String = "") -> String {
        var text = """
            version: 1
            cluster:
              name: \(profile)
              driver: docker
              containerRuntime: containerd
              cpus: \(cpus)
              apiServer:
                names: ["k8s.tail8d86e.ts.net", "indri"]
                port: 8443

            """
        if mirror {
            text += """
                  registryMirrors:
                    - registry: docker.io
                      mirror: http://registry.test:5000

                """
        }
        text += """
            expose:
              tailscale:
                service: svc:k8s
                port: 443

            """
        if !watch.isEmpty { text += "watch:\n" + watch }
        return text
    }
}

/// The names in the certificate a TLS server at `address` (`host:port`) presents, read with
/// the real `openssl s_client`.
func servedNames(_ address: String) throws -> [String] {
    let served = try NodeProcess.run("/usr/bin/env", ["openssl", "s_client", "-connect", address], stdin: Data())
    let shown = try NodeProcess.run("/usr/bin/env", ["openssl", "x509", "-noout", "-text"], stdin: served.stdoutData ?? Data())
    return shown.stdout.components(separatedBy: .whitespacesAndNewlines).filter { $0.hasPrefix("DNS:") }
        .map { String($0.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
}
