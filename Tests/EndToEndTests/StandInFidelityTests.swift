import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// The stand-ins must print what the recorded tools print, so the end-to-end tests cannot
/// drift from reality: each output is compared with the fixture it imitates.
@Suite struct StandInFidelityTests {
    let scratch: Scratch
    let store: WorldStore

    init() throws {
        scratch = try Scratch("moor-fidelity")
        store = WorldStore(directory: scratch.path)
    }

    func run(_ tool: String, _ arguments: String...) -> Outcome {
        StandIn.run(tool: tool, arguments: arguments, stdin: Data(), store: store)
    }

    /// The world the docker-driver fixtures describe: `minikube` running, 8443 on 127.0.0.1:32771.
    func fixtureWorld(state: String = "Running") throws {
        try store.update { world in
            var profile = World.Profile()
            profile.state = state
            profile.runtime = "containerd"
            profile.cpus = 4
            profile.memory = 8192
            profile.disk = 40960
            profile.names = ["k8s.example.ts.net"]
            profile.hostPort = state == "Running" ? 32771 : nil
            world.profiles["minikube"] = profile
        }
    }

    @Test func minikubeStatusIsByteForByteTheRecordedShape() throws {
        try fixtureWorld()
        let running = run("minikube", "status", "-p", "minikube", "-o", "json")
        #expect(running.exitCode == 0)
        #expect(running.stdout == (try Fixtures.text("minikube/status.running.serialized.json")).trimmingCharacters(in: .newlines))
        try fixtureWorld(state: "Stopped")
        let stopped = run("minikube", "status", "-p", "minikube", "-o", "json")
        #expect(stopped.exitCode == 7)
        #expect(stopped.stdout == (try Fixtures.text("minikube/status.stopped.DERIVED.json")).trimmingCharacters(in: .newlines))
    }

    @Test func minikubeProfileNotFoundMatchesTheEventLines() throws {
        let outcome = run("minikube", "status", "-p", "nosuch", "-o", "json")
        #expect(outcome.exitCode == 85)
        #expect(try MinikubeStatus.parse(stdout: outcome.stdout, exitCode: outcome.exitCode) == .absent)
        let recorded = try Fixtures.text("minikube/status.profile-not-found.exit85.DERIVED.jsonl")
        func shape(_ text: String) throws -> [[String]] {
            try text.split(separator: "\n").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                return object.keys.sorted() + [((object["data"] as? [String: String])?["message"]) ?? ""]
            }
        }
        #expect(try shape(outcome.stdout) == shape(recorded))
    }

    @Test func minikubeProfileListParsesLikeTheRecordedOne() throws {
        #expect(run("minikube", "profile", "list", "-o", "json").stdout == (try Fixtures.text("minikube/profile-list.empty.DERIVED.json")).trimmingCharacters(in: .newlines))
        try fixtureWorld()
        let ours = try MinikubeProfiles.parse(run("minikube", "profile", "list", "-o", "json").stdout)
        let recorded = try MinikubeProfiles.parse(Fixtures.text("minikube/profile-list.docker-running.DERIVED.json"))
        #expect(ours == recorded)
        let keys = { (text: String) throws -> [String] in
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let config = ((object?["valid"] as? [[String: Any]])?.first?["Config"] as? [String: Any]) ?? [:]
            return config.keys.sorted()
        }
        let recordedKeys = Set(try keys(Fixtures.text("minikube/profile-list.docker-running.DERIVED.json")))
        #expect(Set(try keys(run("minikube", "profile", "list", "-o", "json").stdout)).isSubset(of: recordedKeys))
    }

    @Test func dockerPortIsTheRecordedLine() throws {
        try fixtureWorld()
        try store.update { $0.profiles["minikube"]?.apiServerPort = 8443 }
        let outcome = run("docker", "port", "minikube", "8443/tcp")
        #expect(outcome.stdout == (try Fixtures.text("docker/port.minikube-8443.DERIVED.txt")))
        try store.update { $0.profiles["minikube"]?.listenAddress = "0.0.0.0" }
        let both = try DockerPorts.parse(run("docker", "port", "minikube", "8443/tcp").stdout)
        let golden = try DockerPorts.parse(Fixtures.text("docker/port.container-port-ipv6-and-ipv4.golden"))
        #expect(both.map(\.hostIP) == golden.map(\.hostIP))
        #expect(run("docker", "port", "nosuch", "8443/tcp").stderr == "Error response from daemon: No such container: nosuch\n")
    }

    @Test func tailscaleServeStatusIsTheRecordedJSON() throws {
        #expect(try ServeConfig.parse(run("tailscale", "serve", "status", "--json").stdout) ==
                ServeConfig.parse(Fixtures.text("tailscale/serve-status.empty.DERIVED.json")))
        let set = run("tailscale", "serve", "--bg", "--service=svc:k8s", "--tcp=443", "tcp://localhost:32771")
        #expect(set.exitCode == 0)
        let recordedMessage = try Fixtures.text("tailscale/serve-set.service-tcp.approved.stdout.DERIVED.txt")
        #expect(set.stdout.split(separator: "\n").last == recordedMessage.split(separator: "\n").last)
        let status = run("tailscale", "serve", "status", "--json").stdout
        #expect(status == (try Fixtures.text("tailscale/serve-status.service-tcp443.DERIVED.json")))
        let bad = run("tailscale", "serve", "--bg", "--service=k8s", "--tcp=443", "tcp://localhost:1")
        #expect(bad.exitCode == 1 && bad.stderr == "\"k8s\" is not a valid service name: must start with 'svc:'\n")
    }

    @Test func kubectlServerURLIsTheRecordedJSONPath() throws {
        try fixtureWorld()
        #expect(run("kubectl", "config", "view", "--minify", "--context=minikube", "-o", "jsonpath={.clusters[0].cluster.server}").stdout ==
                (try Fixtures.text("kubeconfig/jsonpath-server.docker-desktop-or-rootless.DERIVED.txt")))
    }

    @Test func theNodeShellParsesLikeARealShell() async throws {
        try fixtureWorld()
        let lab = try Homelab(lab: "version: 1\n")
        try lab.world.save(store.load())
        let words = ["it's", "a b", ";", "$(x)"]
        let command = Command("minikube", ["ssh", "-p", "minikube", "--", "nosuchcommand"] + words.map(ShellQuote.quote))
        let outcome = try await LocalRunner(environment: lab.environment).run(command)
        #expect(outcome.exitCode == 127)
        #expect(outcome.stderrText == "bash: line 1: nosuchcommand: command not found\n")
    }
}

/// The stand-in `docker events` prints events in the recorded newer shape, filtered as docker
/// filters them, and ends its stream when Docker "restarts".
@Suite struct DockerEventsFidelityTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var all: [String] = []
        func add(_ line: String) { lock.withLock { all.append(line) } }
        var count: Int { lock.withLock { all.count } }
    }

    static func keys(_ object: Any, prefix: String = "") -> Set<String> {
        guard let dictionary = object as? [String: Any] else { return [] }
        var out: Set<String> = []
        for (key, value) in dictionary where key != "Attributes" {
            out.insert(prefix + key)
            out.formUnion(keys(value, prefix: prefix + key + "."))
        }
        return out
    }

    @Test func eventsHaveTheRecordedShapeAndTheStreamEndsOnARestart() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        DockerEvents.append("die", profile: "minikube", store: lab.world, exitCode: 130)
        DockerEvents.append("start", profile: "other", store: lab.world)
        DockerEvents.append("start", profile: "minikube", store: lab.world)
        let lines = Lines()
        let stream = Task {
            try await LocalRunner(environment: lab.environment).stream(Docker.events(profile: "minikube", since: "0")) { lines.add($0) }
        }
        #expect(await WatchRun.eventually(.seconds(10)) { lines.count == 2 })
        DockerEvents.endStreams(lab.world)
        let result = try await stream.value
        #expect(result.exitCode == 1)
        #expect(result.firstStderrLine?.contains("unexpected EOF") == true)

        #expect(result.stderrText == (try Fixtures.text("docker/real-engine/events.dockerd-stop.stderr")))
        #expect(lines.all.map { try! DockerRecording.fields(of: $0) }.allSatisfy { $0.count > 10 })
        #expect(lines.all.compactMap(DockerEvent.parse).map(\.action) == ["die", "start"], "the other profile's event is filtered out")
    }
}
