import Foundation

/// A k3s host's tools: `k3s`, `systemctl … k3s` and `sudo`. The host's `/etc/rancher`,
/// `/var/lib/rancher` and `/nix/store` are directories under `MOOR_STANDIN_ROOT`: `sudo`
/// maps those paths in its arguments into the root and back in what the command prints,
/// then runs the real command (sh, cat, mv…). Starting k3s does what k3s does with its
/// files: it renders each mirror's hosts.toml from registries.yaml (k3s's template) and
/// issues its serving certificate for its default names plus `tls-san`.
public struct K3sStandIn {
    public static let tools = ["k3s", "sudo"]
    /// Upstream's `k3s --version` (see Tests/Fixtures/k3s/version.txt).
    public static let defaultVersion = "v1.33.4+k3s1"
    static let mapped = ["/etc/rancher", "/var/lib/rancher", "/nix/store"]

    let root: String
    let store: WorldStore

    public init(root: String, store: WorldStore) {
        self.root = root
        self.store = store
    }

    var stateDirectory: String { root + "/.standin" }
    var versionFile: String { stateDirectory + "/k3s-version" }
    var activeFile: String { stateDirectory + "/k3s-active" }
    var restartsFile: String { stateDirectory + "/k3s-restarts" }
    var sudoPasswordFile: String { stateDirectory + "/sudo-wants-password" }

    func k3s(_ arguments: [String]) -> Outcome {
        guard let version = try? String(contentsOfFile: versionFile, encoding: .utf8) else {
            return Outcome(127, stderr: "sh: 1: k3s: not found\n")
        }
        if arguments == ["kubectl", "get", "nodes", "-o", "json"] {
            let ready = FileManager.default.fileExists(atPath: activeFile) ? "True" : "Unknown"
            return Outcome(stdout: #"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"ringtail"},"status":{"conditions":[{"type":"Ready","status":"\#(ready)","reason":"KubeletReady"}]}}]}"# + "\n")
        }
        guard arguments == ["--version"] || arguments == ["-v"] else { return Outcome(1, stderr: "k3s stand-in: only --version and kubectl get nodes\n") }
        let trimmed = version.trimmingCharacters(in: .whitespacesAndNewlines)
        return Outcome(stdout: "k3s version \(trimmed) (148243c4)\ngo version go1.24.5\n")
    }

    func systemctl(_ arguments: [String]) -> Outcome {
        let installed = FileManager.default.fileExists(atPath: versionFile)
        let active = FileManager.default.fileExists(atPath: activeFile)
        switch arguments.first {
        case "is-active":
            return Outcome(active ? 0 : 3, stdout: active ? "active\n" : "inactive\n")
        case "start", "restart":
            guard installed else { return Outcome(5, stderr: "Failed to \(arguments[0]) k3s.service: Unit k3s.service not found.\n") }
            guard getuid() == 0 || FileManager.default.fileExists(atPath: stateDirectory + "/as-root") else {
                return Outcome(1, stderr: "Failed to \(arguments[0]) k3s.service: Access denied\n")
            }
            do { try start() } catch { return Outcome(1, stderr: "Job for k3s.service failed: \(error)\n") }
            if arguments[0] == "restart" || active { appendLine(restartsFile, "restart") } else { appendLine(restartsFile, "start") }
            return Outcome()
        case "stop":
            try? FileManager.default.removeItem(atPath: activeFile)
            return Outcome()
        default:
            return Outcome(1, stderr: "systemctl stand-in: unknown verb for k3s\n")
        }
    }

    /// What k3s does with its files when it starts.
    func start() throws {
        let fm = FileManager.default
        let certs = root + "/var/lib/rancher/k3s/agent/etc/containerd/certs.d"
        try? fm.removeItem(atPath: certs)
        try fm.createDirectory(atPath: certs, withIntermediateDirectories: true)
        if let text = try? String(contentsOfFile: root + "/etc/rancher/k3s/registries.yaml", encoding: .utf8) {
            for (registry, file) in K3sRender.hostsTomls(registriesYAML: text) {
                try fm.createDirectory(atPath: certs + "/" + registry, withIntermediateDirectories: true)
                try file.write(toFile: certs + "/" + registry + "/hosts.toml", atomically: true, encoding: .utf8)
            }
        }
        let names = K3sRender.tlsSANs(root: root)
        let tls = root + "/var/lib/rancher/k3s/server/tls"
        try fm.createDirectory(atPath: tls, withIntermediateDirectories: true)
        let pem = try APIServerCertificate.pem(names: ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "localhost"] + names.filter { !$0.first!.isNumber },
                                               ips: ["127.0.0.1", "10.43.0.1"] + names.filter { $0.first!.isNumber })
        try pem.write(toFile: tls + "/serving-kube-apiserver.crt", atomically: true, encoding: .utf8)
        _ = fm.createFile(atPath: activeFile, contents: Data())
    }

    func sudo(_ arguments: [String], stdin: Data) -> Outcome {
        var arguments = arguments
        if arguments.first == "-n" { arguments.removeFirst() } else if FileManager.default.fileExists(atPath: sudoPasswordFile) {
            return Outcome(1, stderr: "sudo: a terminal is required to read the password\n")
        }
        if FileManager.default.fileExists(atPath: sudoPasswordFile) {
            return Outcome(1, stderr: "sudo: a password is required\n")
        }
        guard !arguments.isEmpty else { return Outcome(1, stderr: "usage: sudo -n command\n") }
        let mappedArguments = arguments.map { argument in
            Self.mapped.contains { argument.hasPrefix($0) } ? root + argument : argument
        }
        _ = FileManager.default.createFile(atPath: stateDirectory + "/as-root", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: stateDirectory + "/as-root") }
        do {
            var outcome = try NodeProcess.run("/usr/bin/env", mappedArguments, stdin: stdin)
            // Text comes back with the host's paths; binary output (a tar archive) as it was.
            if let data = outcome.stdoutData, String(data: data, encoding: .utf8) != nil {
                outcome.stdout = outcome.stdout.replacingOccurrences(of: root + "/", with: "/")
                outcome.stdoutData = nil
            }
            return outcome
        } catch {
            return Outcome(1, stderr: "sudo: \(arguments[0]): command not found\n")
        }
    }

    func appendLine(_ path: String, _ line: String) {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try? (existing + line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: for tests

    /// Lays out a k3s host under `root`: k3s installed (active or not), a k3s.yaml.
    public static func provision(root: String, version: String? = defaultVersion, active: Bool = true, kubeconfig: String) throws {
        let fm = FileManager.default
        for directory in [root + "/.standin", root + "/etc/rancher/k3s", root + "/var/lib/rancher/k3s/server/tls"] {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        if let version { try version.write(toFile: root + "/.standin/k3s-version", atomically: true, encoding: .utf8) }
        try kubeconfig.write(toFile: root + "/etc/rancher/k3s/k3s.yaml", atomically: true, encoding: .utf8)
        chmod(root + "/etc/rancher/k3s/k3s.yaml", 0o600)
        let standIn = K3sStandIn(root: root, store: WorldStore(directory: root + "/.standin"))
        if active { try standIn.start() }
    }

    /// Every start and restart, in order.
    public static func restarts(root: String) -> [String] {
        ((try? String(contentsOfFile: root + "/.standin/k3s-restarts", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public static func setActive(_ active: Bool, root: String) {
        if active { _ = FileManager.default.createFile(atPath: root + "/.standin/k3s-active", contents: Data()) } else {
            try? FileManager.default.removeItem(atPath: root + "/.standin/k3s-active")
        }
    }
}
