import Foundation
import Testing
import MoorSystem
import MoorTestSupport
import MoorStandIns

/// The real kubectl against the API emulator: the requests kubectl 1.32 makes for the
/// commands moor runs are answered the way an API server answers them.
@Suite struct KubeAPIEmulatorTests {
    let server: KubeAPIServer
    let scratch: Scratch
    let kubeconfig: String

    init() async throws {
        server = try await KubeAPIServer.start()
        scratch = try Scratch("moor-kube")
        kubeconfig = try scratch.write("kubeconfig", server.kubeconfig(context: "lab"))
    }

    func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> CommandResult {
        try await LocalRunner(environment: ["KUBECONFIG": kubeconfig]).run(
            Command("kubectl", ["--context=lab"] + arguments, stdin: stdin.map { Array($0.utf8) }, timeout: .seconds(30)))
    }

    static let secret = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: monitoring
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: grafana-admin
          namespace: monitoring
        stringData:
          password: hunter2
        """

    @Test func applyCreatesThenConfiguresAndListsNames() async throws {
        let first = try await kubectl(["apply", "-f", "-"], stdin: Self.secret)
        #expect(first.exitCode == 0, "\(first.stderrText)")
        #expect(first.stdoutText == "namespace/monitoring created\nsecret/grafana-admin created\n")
        #expect(first.stderrText.isEmpty, "no version-skew warning")
        let second = try await kubectl(["apply", "-f", "-"], stdin: Self.secret.replacingOccurrences(of: "hunter2", with: "hunter3"))
        #expect(second.exitCode == 0, "\(second.stderrText)")
        #expect(second.stdoutText.contains("secret/grafana-admin configured"))
        let names = try await kubectl(["get", "secrets", "--all-namespaces", "-o", #"jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}"#])
        #expect(names.stdoutText == "monitoring/grafana-admin\n", "\(names.stderrText)")
        #expect(server.store.requests.contains { $0.hasPrefix("GET /openapi/v3") })
    }

    @Test func aSecretInAMissingNamespaceIsRefused() async throws {
        let result = try await kubectl(["apply", "-f", "-"], stdin: Self.secret.components(separatedBy: "---\n")[1])
        #expect(result.exitCode != 0)
        #expect(result.stderrText.contains("namespaces \"monitoring\" not found"), "\(result.stderrText)")
    }

    @Test func patchesAndListsApplications() async throws {
        try server.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}"#)
        try server.store.put(json: #"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"grafana","namespace":"argocd"},"spec":{"source":{"repoURL":"https://git/x","targetRevision":"feature"}}}"#)
        let merge = try await kubectl(["-n", "argocd", "patch", "applications.argoproj.io", "grafana", "--type", "merge", "-p", #"{"spec":{"source":{"targetRevision":"main"}}}"#])
        #expect(merge.exitCode == 0, "\(merge.stderrText)")
        #expect(merge.stdoutText == "application.argoproj.io/grafana patched\n")
        let json = try await kubectl(["-n", "argocd", "patch", "applications.argoproj.io", "grafana", "--type", "json", "-p", #"[{"op":"add","path":"/spec/source/path","value":"apps"}]"#])
        #expect(json.exitCode == 0, "\(json.stderrText)")
        let list = try await kubectl(["-n", "argocd", "get", "applications.argoproj.io", "-o", "json"])
        #expect(list.exitCode == 0, "\(list.stderrText)")
        let items = (try JSONSerialization.jsonObject(with: Data(list.stdout)) as? [String: Any])?["items"] as? [[String: Any]]
        let source = ((items?.first?["spec"] as? [String: Any])?["source"] as? [String: Any])
        #expect(source?["targetRevision"] as? String == "main")
        #expect(source?["path"] as? String == "apps")
        let missing = try await kubectl(["-n", "argocd", "patch", "applications.argoproj.io", "nope", "--type", "merge", "-p", "{}"])
        #expect(missing.stderrText.contains("applications.argoproj.io \"nope\" not found"), "\(missing.stderrText)")
    }

    @Test func serverSideApplyCreatesAndUpdates() async throws {
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: argocd-server
              namespace: argocd
            spec:
              replicas: 1
            """
        _ = try await kubectl(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argocd\n")
        let created = try await kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], stdin: deployment)
        #expect(created.exitCode == 0, "\(created.stderrText)")
        #expect(created.stdoutText.contains("deployment.apps/argocd-server serverside-applied"), "\(created.stdoutText)")
        #expect(server.store.names(apiVersion: "apps/v1", kind: "Deployment") == ["argocd/argocd-server"])
    }
}

/// `kubectl exec` over the WebSocket remote command protocol: stdin in, stdout and stderr
/// out as they come, the exit status through the final Status.
@Suite struct KubeExecEmulatorTests {
    @Test func execStreamsBothWaysAndCarriesTheExitStatus() async throws {
        let server = try await KubeAPIServer.start()
        let scratch = try Scratch("moor-kube-exec")
        let kubeconfig = try scratch.write("kubeconfig", server.kubeconfig(context: "lab"))
        try server.store.put(json: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"db-1","namespace":"db"},"spec":{"containers":[{"name":"postgres","image":"postgres:16"}]},"status":{"phase":"Running"}}"#)
        server.store.execEnvironment = ["db/db-1": ["GREETING": "from the pod"]]
        func kubectl(_ arguments: [String], stdinFile: String? = nil, stdoutFile: String? = nil) async throws -> CommandResult {
            var command = Command("kubectl", ["--context=lab"] + arguments, timeout: .seconds(30))
            command.stdinFile = stdinFile
            command.stdoutFile = stdoutFile
            return try await LocalRunner(environment: ["KUBECONFIG": kubeconfig]).run(command)
        }
        let echo = try await kubectl(["-n", "db", "exec", "db-1", "-c", "postgres", "--", "sh", "-c", #"printf '%s' "$GREETING"; echo oops >&2"#])
        #expect(echo.exitCode == 0 && echo.stdoutText == "from the pod" && echo.stderrText.contains("oops"), "\(echo)")

        // 3 MB through stdin and back out, byte for byte.
        let input = scratch.path + "/in.bin"
        var head = Command("head", ["-c", "3000000", "/dev/urandom"])
        head.stdoutFile = input
        _ = try await LocalRunner().output(head)
        let copied = try await kubectl(["-n", "db", "exec", "-i", "db-1", "--", "cat"], stdinFile: input, stdoutFile: scratch.path + "/out.bin")
        #expect(copied.exitCode == 0, "\(copied.stderrText)")
        #expect(FileManager.default.contentsEqual(atPath: input, andPath: scratch.path + "/out.bin"))

        let failing = try await kubectl(["-n", "db", "exec", "db-1", "--", "sh", "-c", "exit 3"])
        #expect(failing.exitCode == 3, "\(failing)")
        let unknown = try await kubectl(["-n", "db", "exec", "nope", "--", "true"])
        #expect(unknown.exitCode != 0 && unknown.stderrText.contains("not found"), "\(unknown)")
        #expect(server.store.execs.map(\.pod) == ["db/db-1", "db/db-1", "db/db-1"])
        await server.stop()
    }
}
