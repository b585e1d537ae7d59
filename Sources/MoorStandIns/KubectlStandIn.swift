import Foundation
import Yams

/// `kubectl` for what moor asks of it: the kubeconfig server URL, ArgoCD Applications (with
/// a controller that moves a requested sync through Running to Synced/Healthy or Degraded,
/// one step per list), and Secrets (apply from stdin, list names).
struct KubectlStandIn {
    let store: WorldStore

    func run(_ arguments: [String], stdin: Data) throws -> Outcome {
        let flags = Flags(arguments: arguments)
        var words = arguments.filter { !$0.hasPrefix("--context") }
        if let index = words.firstIndex(of: "-n"), index + 1 < words.count { words.removeSubrange(index...(index + 1)) }
        let namespace = flags.value("-n") ?? "default"
        if let context = flags.value("--context"), store.load().failUnknownContexts.contains(context) {
            return Outcome(1, stderr: "error: context \"\(context)\" does not exist\n")
        }
        switch (words.first, words.dropFirst().first) {
        case ("config", "view"?):
            return configView(flags)
        case ("get", "applications.argoproj.io"?):
            return try listApplications(namespace: namespace)
        case ("patch", "applications.argoproj.io"?):
            guard words.count >= 3, let patch = flags.value("-p"), let type = flags.value("--type") else {
                return Outcome(1, stderr: "error: patch needs NAME, --type and -p\n")
            }
            return try patchApplication(words[2], type: type, patch: patch)
        case ("get", "secrets"?):
            let names = store.load().secrets.sorted()
            return Outcome(stdout: names.map { $0 + "\n" }.joined())
        case ("apply", _):
            return try apply(stdin)
        default:
            return Outcome(1, stderr: "error: the kubectl stand-in does not know `\(arguments.joined(separator: " "))`\n")
        }
    }

    func configView(_ flags: Flags) -> Outcome {
        guard let context = flags.value("--context"), let profile = store.load().profiles[context], let port = profile.hostPort else {
            return Outcome(1, stderr: "error: context \"\(flags.value("--context") ?? "")\" does not exist\n")
        }
        return Outcome(stdout: "https://127.0.0.1:\(port)")
    }

    func listApplications(namespace: String) throws -> Outcome {
        var items: [Any] = []
        try store.update { world in
            for name in world.applications.keys.sorted() {
                guard var app = world.applications[name],
                      var object = try JSONSerialization.jsonObject(with: Data(app.json.utf8)) as? [String: Any] else { continue }
                world.ticks += 1
                ArgoController.step(&object, degrade: app.degradesOnSync, tick: world.ticks)
                app.json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
                world.applications[name] = app
                items.append(object)
            }
        }
        let list: [String: Any] = ["apiVersion": "v1", "items": items, "kind": "List", "metadata": ["resourceVersion": ""]]
        let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
        return Outcome(stdout: String(decoding: data, as: UTF8.self) + "\n")
    }

    func patchApplication(_ name: String, type: String, patch: String) throws -> Outcome {
        var outcome = Outcome(stdout: "application.argoproj.io/\(name) patched\n")
        try store.update { world in
            guard var app = world.applications[name],
                  var object = try JSONSerialization.jsonObject(with: Data(app.json.utf8)) as? [String: Any] else {
                outcome = Outcome(1, stderr: "Error from server (NotFound): applications.argoproj.io \"\(name)\" not found\n")
                return
            }
            guard let patchValue = try? JSONSerialization.jsonObject(with: Data(patch.utf8)) else {
                outcome = Outcome(1, stderr: "error: unable to parse \"\(patch)\": yaml: did not find expected node content\n")
                return
            }
            switch type {
            case "merge":
                guard let merge = patchValue as? [String: Any] else { return }
                object = JSONMerge.merge(object, merge)
            case "json":
                for operation in patchValue as? [[String: Any]] ?? [] {
                    guard let path = operation["path"] as? String, let value = operation["value"] else { continue }
                    object = JSONMerge.replace(object, path: path.split(separator: "/").map(String.init), value: value)
                }
            default:
                outcome = Outcome(1, stderr: "error: --type must be one of [json merge strategic], not \"\(type)\"\n")
                return
            }
            app.json = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            world.applications[name] = app
        }
        return outcome
    }

    func apply(_ stdin: Data) throws -> Outcome {
        let text = String(decoding: stdin, as: UTF8.self)
        if store.load().failApplyEchoingInput {
            let line = text.split(separator: "\n").first { $0.contains(":") && !$0.hasPrefix("apiVersion") && !$0.hasPrefix("kind") } ?? ""
            return Outcome(1, stderr: "error: error validating \"STDIN\": error validating data: unknown field \"\(line.trimmingCharacters(in: .whitespaces))\"; if you choose to ignore these errors, turn validation off with --validate=false\n")
        }
        guard let documents = try? Yams.load_all(yaml: text) else {
            return Outcome(1, stderr: "error: error parsing STDIN: error converting YAML to JSON\n")
        }
        var lines: [String] = []
        try store.update { world in
            for case let object as [String: Any] in documents {
                guard let kind = object["kind"] as? String, let metadata = object["metadata"] as? [String: Any],
                      let name = metadata["name"] as? String else { continue }
                let key = "\(metadata["namespace"] as? String ?? "default")/\(name)"
                let existed = world.secrets.contains(key)
                if kind == "Secret", !existed { world.secrets.append(key) }
                lines.append("\(kind.lowercased())/\(name) \(existed ? "configured" : "created")")
            }
        }
        return Outcome(stdout: lines.map { $0 + "\n" }.joined())
    }
}

/// What ArgoCD's controller does with a requested sync, one step per observation.
enum ArgoController {
    static func step(_ object: inout [String: Any], degrade: Bool, tick: Int) {
        var status = object["status"] as? [String: Any] ?? [:]
        var operationState = status["operationState"] as? [String: Any] ?? [:]
        let stamp = timestamp(tick)
        if object["operation"] != nil {
            object["operation"] = nil
            operationState = ["phase": "Running", "startedAt": stamp, "message": "waiting for healthy state"]
            status["sync"] = ["status": "OutOfSync", "revision": (status["sync"] as? [String: Any])?["revision"] ?? ""]
            status["health"] = ["status": "Progressing"]
        } else if operationState["phase"] as? String == "Running" {
            let spec = object["spec"] as? [String: Any] ?? [:]
            let source = spec["source"] as? [String: Any] ?? (spec["sources"] as? [[String: Any]])?.first ?? [:]
            let revision = resolve(source)
            operationState["phase"] = "Succeeded"
            operationState["finishedAt"] = stamp
            operationState["message"] = "successfully synced (all tasks run)"
            operationState["syncResult"] = ["revision": revision]
            status["sync"] = ["status": "Synced", "revision": revision]
            status["health"] = degrade
                ? ["status": "Degraded", "message": "Deployment has exceeded its progress deadline"]
                : ["status": "Healthy"]
        }
        if !operationState.isEmpty { status["operationState"] = operationState }
        object["status"] = status
    }

    /// The commit a branch or tag points at, from the real repository (`git ls-remote`).
    static func resolve(_ source: [String: Any]) -> String {
        let revision = source["targetRevision"] as? String ?? "HEAD"
        guard source["chart"] == nil, let repo = source["repoURL"] as? String,
              let result = try? NodeShell.exec("/usr/bin/env", ["git", "ls-remote", repo, revision], stdin: Data()),
              result.exitCode == 0, let line = result.stdout.split(separator: "\n").first,
              let sha = line.split(separator: "\t").first else { return revision }
        return String(sha)
    }

    static func timestamp(_ tick: Int) -> String {
        let date = Date(timeIntervalSince1970: 1_795_000_000 + Double(tick))
        return ISO8601DateFormatter().string(from: date)
    }
}

/// JSON merge patch (RFC 7386) and a JSON patch `replace`.
enum JSONMerge {
    static func merge(_ target: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull { result[key] = nil } else if let inner = value as? [String: Any] {
                result[key] = merge(result[key] as? [String: Any] ?? [:], inner)
            } else {
                result[key] = value
            }
        }
        return result
    }

    static func replace(_ object: Any, path: [String], value: Any) -> [String: Any] {
        (replaceAny(object, path: path[...], value: value) as? [String: Any]) ?? [:]
    }

    static func replaceAny(_ object: Any, path: ArraySlice<String>, value: Any) -> Any {
        guard let head = path.first else { return value }
        if var dictionary = object as? [String: Any] {
            dictionary[head] = replaceAny(dictionary[head] ?? [String: Any](), path: path.dropFirst(), value: value)
            return dictionary
        }
        if var array = object as? [Any], let index = Int(head), array.indices.contains(index) {
            array[index] = replaceAny(array[index], path: path.dropFirst(), value: value)
            return array
        }
        return object
    }
}
