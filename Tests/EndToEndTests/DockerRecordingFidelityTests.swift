import Foundation
import Testing
import MoorStandIns
import MoorTestSupport

/// The docker stand-in against what the real engine printed (Tests/Fixtures/docker/real-engine,
/// made by scripts/record-docker-fixtures): every field, by path, of `docker events`,
/// `docker inspect` of a running and a stopped node, `docker port`, and the stream's end.
/// What differs by nature (ids, times, ports, the image name) is compared by type and shape.
@Suite struct DockerRecordingFidelityTests {
    let scratch: Scratch
    let store: WorldStore

    init() throws {
        scratch = try Scratch("moor-docker-fidelity")
        store = WorldStore(directory: scratch.path)
    }

    func docker(_ arguments: String...) -> Outcome { StandIn.run(tool: "docker", arguments: arguments, stdin: Data(), store: store) }
    func minikube(_ arguments: String...) -> Outcome { StandIn.run(tool: "minikube", arguments: arguments, stdin: Data(), store: store) }

    static func recorded(_ name: String) throws -> String { try Fixtures.text("docker/real-engine/" + name) }

    @Test func eventsCarryEveryRecordedFieldForEachAction() throws {
        #expect(minikube("start", "-p", "minikube", "--driver=docker").exitCode == 0)
        #expect(minikube("stop", "-p", "minikube").exitCode == 0)
        try StandIn.simulateContainerStop(store: store, profile: "minikube")
        let mine = try String(contentsOfFile: scratch.path + "/events.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        let theirs = try Self.recorded("events.run-restart-stop.jsonl").split(separator: "\n").map(String.init)
        #expect(Set(mine.map { try! DockerRecording.fields(of: $0)["Action"]! }) == ["start", "kill", "die", "stop"])
        for line in mine {
            let fields = try DockerRecording.fields(of: line)
            let action = try #require(fields["Action"])
            let recorded = try #require(theirs.map { try! DockerRecording.fields(of: $0) }.first { $0["Action"] == action }, "no recorded \(action)")
            #expect(Set(fields.keys) == Set(recorded.keys).subtracting(["Actor.Attributes.moor-test"]), "\(action): \(line)")
            for (path, value) in recorded where !DockerRecording.varies(path) && !path.hasSuffix("moor-test") {
                #expect(fields[path] == value, "\(action) \(path)")
            }
            for (path, value) in recorded where DockerRecording.varies(path) {
                #expect(fields[path].map(DockerRecording.shape) == DockerRecording.shape(value), "\(action) \(path): \(fields[path] ?? "absent") vs \(value)")
            }
            #expect(fields["status"] == action && fields["id"] == fields["Actor.ID"] && fields["from"] == fields["Actor.Attributes.image"])
            #expect(fields["time"] == fields["timeNano"].map { String($0.dropLast(9)) })
        }
    }

    @Test func inspectOfARunningAndAStoppedNodeHasTheRecordedFields() throws {
        #expect(minikube("start", "-p", "minikube", "--driver=docker").exitCode == 0)
        for (state, file) in [("running", "inspect.running.json"), ("stopped", "inspect.stopped.json")] {
            if state == "stopped" { #expect(minikube("stop", "-p", "minikube").exitCode == 0) }
            let out = docker("inspect", "minikube")
            #expect(out.exitCode == 0)
            let mine = try DockerRecording.fields(of: out.stdout)
            let theirs = try DockerRecording.fields(of: Self.recorded(file))
            // The fields the stand-in prints are the engine's, at the same paths: nothing invented.
            let extra = Set(mine.keys).subtracting(theirs.keys).filter { !$0.hasPrefix("0.NetworkSettings.Ports.") && !$0.hasPrefix("0.Args.") }
            #expect(extra.isEmpty, "\(state): \(extra.sorted())")
            for path in ["0.State.Status", "0.State.Running", "0.State.Paused", "0.State.Restarting", "0.State.OOMKilled", "0.State.Dead", "0.State.Error",
                         "0.Config.Labels.created_by.minikube.sigs.k8s.io", "0.Config.Labels.name.minikube.sigs.k8s.io",
                         "0.Config.Labels.mode.minikube.sigs.k8s.io", "0.Config.Labels.role.minikube.sigs.k8s.io", "0.Name", "0.RestartCount"] {
                #expect(mine[path] == theirs[path], "\(state) \(path)")
            }
            for path in ["0.Id", "0.Created", "0.State.Pid", "0.State.StartedAt", "0.State.FinishedAt", "0.State.ExitCode", "0.Image", "0.Config.Image"] {
                #expect(mine[path].map(DockerRecording.shape) == theirs[path].map(DockerRecording.shape), "\(state) \(path)")
            }
            let api = "0.NetworkSettings.Ports.8443/tcp"
            #expect(mine.keys.filter { $0.hasPrefix(api) }.sorted() == theirs.keys.filter { $0.hasPrefix(api) }.sorted(), "\(state)")
            #expect(mine[api + ".0.HostIp"] == theirs[api + ".0.HostIp"])
            #expect(mine[api + ".0.HostPort"].map(DockerRecording.shape) == theirs[api + ".0.HostPort"].map(DockerRecording.shape))
            if state == "stopped" { #expect(mine["0.NetworkSettings.Ports"] == "{}" && theirs["0.NetworkSettings.Ports"] == "{}") }
        }
    }

    @Test func portAndTheStreamsEndAreWhatTheEnginePrinted() throws {
        #expect(minikube("start", "-p", "minikube", "--driver=docker").exitCode == 0)
        let running = docker("port", "minikube", "8443/tcp")
        let recorded = try Self.recorded("port.running.txt")
        #expect(running.stdout.split(separator: ":").first == recorded.split(separator: ":").first)
        #expect(DockerRecording.shape(running.stdout) == DockerRecording.shape(recorded))
        #expect(minikube("stop", "-p", "minikube").exitCode == 0)
        let stopped = docker("port", "minikube", "8443/tcp")
        #expect(stopped.stderr == (try Self.recorded("port.stopped.stderr")))
        #expect("\(stopped.exitCode)\n" == (try Self.recorded("port.stopped.exit")))
        // The stream's end is checked in DockerEventsFidelityTests (exit 1, the recorded line).
        #expect(try Self.recorded("events.dockerd-stop.exit") == "1\n")
    }
}

/// A JSON document flattened to `path → value` (`0.State.Status → running`); objects and
/// arrays that are empty keep their own path (`{}`, `[]`).
enum DockerRecording {
    static func fields(of text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        flatten(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]), "", into: &out)
        return out
    }

    static func flatten(_ value: Any, _ path: String, into out: inout [String: String]) {
        let prefix = path.isEmpty ? "" : path + "."
        switch value {
        case let object as [String: Any]:
            if object.isEmpty { out[path] = "{}" }
            for (key, item) in object { flatten(item, prefix + key, into: &out) }
        case let array as [Any]:
            if array.isEmpty { out[path] = "[]" }
            for (index, item) in array.enumerated() { flatten(item, prefix + "\(index)", into: &out) }
        case is NSNull:
            out[path] = "null"
        default:
            out[path] = "\(value)"
        }
    }

    /// Fields whose values differ between any two runs: compared by shape.
    static func varies(_ path: String) -> Bool {
        ["id", "Actor.ID", "time", "timeNano", "from", "Actor.Attributes.image", "Actor.Attributes.exitCode", "Actor.Attributes.signal"].contains(path)
    }

    /// What kind of value a varying field holds: an id, a digest, an integer, a time, a
    /// host:port, or other text.
    static func shape(_ text: String) -> String {
        let kinds = [("id", #"^[0-9a-f]{64}$"#), ("digest", #"^sha256:[0-9a-f]{64}$"#), ("integer", #"^-?[0-9]+$"#),
                     ("time", #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"#), ("host:port", #"^[0-9.]+:[0-9]+\n?$"#)]
        return kinds.first { text.range(of: $0.1, options: .regularExpression) != nil }?.0 ?? (text.isEmpty ? "empty" : "text")
    }
}
