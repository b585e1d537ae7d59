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
        default:
            return Outcome(1, stderr: "error: the kubectl stand-in only answers `config view`; use the real kubectl against the API emulator for `\(arguments.joined(separator: " "))`\n")
        }
    }

    func configView(_ flags: Flags) -> Outcome {
        guard let context = flags.value("--context"), let profile = store.load().profiles[context], let port = profile.hostPort else {
            return Outcome(1, stderr: "error: context \"\(flags.value("--context") ?? "")\" does not exist\n")
        }
        return Outcome(stdout: "https://127.0.0.1:\(port)")
    }
}
