import Foundation

/// The stand-in Docker's event log: `events.jsonl` in the world directory, one event a line
/// in the shape a real engine prints (Tests/Fixtures/docker/real-engine: the deprecated
/// `status`, `id`, `from`, then `Type`, `Action`, `Actor`, `scope`, `time`, `timeNano`), and
/// `events.generation`, which a Docker restart bumps: every `docker events` then ends, as
/// the real stream does when the daemon goes away.
public enum DockerEvents {
    static func logPath(_ store: WorldStore) -> String { store.directory + "/events.jsonl" }
    static func generationPath(_ store: WorldStore) -> String { store.directory + "/events.generation" }

    /// Appends an event of minikube's node container for `profile`.
    public static let image = "gcr.io/k8s-minikube/kicbase:v0.0.48"

    public static func append(_ action: String, profile: String, store: WorldStore, exitCode: Int? = nil, signal: Int? = nil) {
        let now = Date().timeIntervalSince1970
        let nano = Int64(now * 1_000_000_000)
        var attributes: [String: String] = [
            "created_by.minikube.sigs.k8s.io": "true",
            "image": image,
            "mode.minikube.sigs.k8s.io": profile,
            "name": profile,
            "name.minikube.sigs.k8s.io": profile,
            "role.minikube.sigs.k8s.io": "",
        ]
        if let exitCode { attributes["exitCode"] = "\(exitCode)" }
        if let signal { attributes["signal"] = "\(signal)" }
        let event: [String: Any] = [
            "status": action, "id": containerID(profile), "from": image,
            "Type": "container", "Action": action, "scope": "local",
            "Actor": ["ID": containerID(profile), "Attributes": attributes],
            "time": nano / 1_000_000_000, "timeNano": nano,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]) else { return }
        let fd = open(logPath(store), O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = data + Data("\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// How many `docker events` have started following (each logs itself once subscribed,
    /// so a test knows a stream is live before it ends it).
    public static func followers(_ store: WorldStore) -> Int {
        ((try? String(contentsOfFile: store.directory + "/events.followers", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    static func appendLine(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = Data((text + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Ends every running `docker events` (the daemon went away).
    public static func endStreams(_ store: WorldStore) {
        let next = generation(store) + 1
        try? "\(next)".write(toFile: generationPath(store), atomically: true, encoding: .utf8)
    }

    static func generation(_ store: WorldStore) -> Int {
        (try? String(contentsOfFile: generationPath(store), encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    static func containerID(_ profile: String) -> String {
        let hex = profile.utf8.map { String($0, radix: 16) }.joined()
        return String((hex + String(repeating: "0", count: 64)).prefix(64))
    }

    /// `docker events --filter label=K=V --filter type=T [--since S] --format '{{json .}}'`:
    /// past events from `--since`, then new ones as they are logged, until the generation
    /// changes or the daemon is stopped. Writes straight to stdout, line by line.
    static func follow(_ arguments: [String], store: WorldStore) -> Outcome {
        let flags = Flags(arguments: arguments)
        guard flags.value("--format") == "{{json .}}" else {
            return Outcome(1, stderr: "moor stand-in: docker events supports only --format '{{json .}}'\n")
        }
        let filters = arguments.enumerated().compactMap { index, word in
            word == "--filter" && index + 1 < arguments.count ? arguments[index + 1] : nil
        }
        let since = flags.value("--since").flatMap { Double($0) }.map { Int64($0 * 1_000_000_000) }
        let startGeneration = generation(store)
        appendLine("\(getpid()) \(startGeneration)", to: store.directory + "/events.followers")
        var offset = 0
        if since == nil {
            offset = (try? Data(contentsOf: URL(fileURLWithPath: logPath(store))))?.count ?? 0
        }
        while true {
            if let data = try? Data(contentsOf: URL(fileURLWithPath: logPath(store))), data.count > offset,
               let lastNewline = data[offset...].lastIndex(of: UInt8(ascii: "\n")) {
                let fresh = data[offset...]
                for line in fresh[..<lastNewline].split(separator: UInt8(ascii: "\n")) {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                          matches(object, filters: filters), (object["timeNano"] as? Int64 ?? 0) >= (since ?? 0) else { continue }
                    FileHandle.standardOutput.write(Data(line) + Data("\n".utf8))
                }
                offset = lastNewline + 1
            }
            if generation(store) != startGeneration || !store.load().dockerRunning {
                return Outcome(1, stderr: "unexpected EOF\n")
            }
            usleep(50_000)
        }
    }

    static func matches(_ event: [String: Any], filters: [String]) -> Bool {
        let attributes = (event["Actor"] as? [String: Any])?["Attributes"] as? [String: String] ?? [:]
        for filter in filters {
            let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return false }
            switch parts[0] {
            case "type": if event["Type"] as? String != parts[1] { return false }
            case "label":
                let label = parts[1].split(separator: "=", maxSplits: 1).map(String.init)
                if label.count == 2 ? attributes[label[0]] != label[1] : attributes[label[0]] == nil { return false }
            default: return false
            }
        }
        return true
    }
}
