import Foundation

/// `kubectl config view` for clusters the API emulator cannot be: the server URL of a
/// minikube context whose port the stand-in docker publishes. Applications and Secrets are
/// served to the real kubectl by `KubeAPIServer` in the tests.
struct KubectlStandIn {
    let store: WorldStore

    func run(_ arguments: [String], stdin: Data) throws -> Outcome {
        let flags = Flags(arguments: arguments)
        let words = arguments.filter { !$0.hasPrefix("--context") }
        switch (words.first, words.dropFirst().first) {
        case ("config", "view"?):
            return configView(flags)
        case ("config", "get-contexts"?):
            // minikube writes a context named after each profile it starts.
            return Outcome(stdout: store.load().profiles.keys.sorted().map { $0 + "\n" }.joined())
        case ("run", _?):
            return runPod(arguments)
        case ("delete", "pod"?):
            return Outcome(stdout: "")
        default:
            return Outcome(1, stderr: "error: the kubectl stand-in only answers `config view`; use the real kubectl against the API emulator for `\(arguments.joined(separator: " "))`\n")
        }
    }

    /// `kubectl run … --rm -i -- COMMAND`: what the pod printed, as recorded (busybox
    /// nslookup; `mount.nfs: access denied by server` from the kubelet's mount event).
    func runPod(_ arguments: [String]) -> Outcome {
        let world = store.load()
        let command = Array(arguments.drop { $0 != "--" }.dropFirst())
        if command.first == "nslookup" {
            guard world.podDNS == "ok" else {
                return Outcome(1, stdout: ";; connection timed out; no servers could be reached\n\n", stderr: "pod default/\(arguments[1]) terminated (Error)\n")
            }
            return Outcome(stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n")
        }
        if let overrides = Flags(arguments: arguments).value("--overrides"),
           let object = try? JSONSerialization.jsonObject(with: Data(overrides.utf8)) as? [String: Any],
           let volume = ((object["spec"] as? [String: Any])?["volumes"] as? [[String: Any]])?.first?["nfs"] as? [String: Any],
           let server = volume["server"] as? String, let path = volume["path"] as? String {
            guard world.nfs["\(server):\(path)"] == "ok" else {
                return Outcome(1, stderr: "error: timed out waiting for the condition\nWarning  FailedMount  kubelet  MountVolume.SetUp failed for volume \"nfs\" : mount failed: exit status 32\nOutput: mount.nfs: access denied by server while mounting \(server):\(path)\n")
            }
            return Outcome(stdout: "downloads\nmovies\ntv\n")
        }
        return Outcome(1, stderr: "error: the kubectl stand-in runs only the doctor's pods\n")
    }

    func configView(_ flags: Flags) -> Outcome {
        guard let context = flags.value("--context"), let profile = store.load().profiles[context], let port = profile.hostPort else {
            return Outcome(1, stderr: "error: context \"\(flags.value("--context") ?? "")\" does not exist\n")
        }
        return Outcome(stdout: "https://127.0.0.1:\(port)")
    }
}
