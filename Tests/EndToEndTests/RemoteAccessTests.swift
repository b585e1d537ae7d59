import Foundation
import Testing
import MoorSystem
import MoorTestSupport

/// `moor kubeconfig` over a real sshd, against a real TLS server that wants the client
/// certificate, with a CA and certificates generated in the test.
@Suite(.serialized) struct RemoteAccessTests {
    let lab: Homelab
    let sshd: SSHServer
    let ca: TestIdentity
    let client: TestIdentity
    let minikubeHome: String

    init() async throws {
        lab = try Homelab(lab: "version: 1\n")
        sshd = try await SSHServer.start(in: lab.scratch.path + "/sshd")
        ca = try TestPKI.authority("minikubeCA")
        client = try TestPKI.leaf("minikube-user", issuer: ca)
        minikubeHome = lab.scratch.path + "/server-home"
        _ = try lab.scratch.write("server-home/.minikube/ca.crt", ca.certificatePEM)
        _ = try lab.scratch.write("server-home/.minikube/profiles/minikube/client.crt", client.certificatePEM)
        _ = try lab.scratch.write("server-home/.minikube/profiles/minikube/client.key", client.keyPEM, mode: 0o600)
        // ssh as users run it, with this test's server as `indri`.
        let config = try lab.scratch.write("ssh_config", sshd.configBlock(alias: "indri"))
        _ = try lab.scratch.write("bin/ssh", "#!/bin/sh\nexec /usr/bin/ssh -F '\(config)' \"$@\"\n", mode: 0o755)
    }

    func labText(port: Int, path: String = "~/.kube/minikube-indri/config.yml", check: Bool = false) -> String {
        var text = """
            version: 1
            hosts:
              indri: {ssh: indri}
            cluster:
              name: minikube
              host: indri
              minikubeHome: \(minikubeHome)
            remoteAccess:
              context: minikube-indri
              server: https://localhost:\(port)
              path: \(path)

            """
        if check {
            text += "checks:\n  - name: api\n    url: https://localhost:\(port)/version\n    kubeconfig: minikube-indri\n"
        }
        return text
    }

    func apiServer(names: [String] = ["localhost", "k8s.tail8d86e.ts.net"], ips: [String] = ["127.0.0.1"]) async throws -> TestServer {
        let leaf = try TestPKI.leaf("minikube", dns: names, ips: ips, issuer: ca)
        return try await TestServer.start(.http(status: 200, body: #"{"major":"1","gitVersion":"v1.36.2"}"#), tls: leaf, clientCA: ca)
    }

    func sessions() -> Int {
        ((try? String(contentsOfFile: sshd.logPath, encoding: .utf8)) ?? "").components(separatedBy: "Starting session:").count - 1
    }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func writesAVerifiedKubeconfigWithOneConnection() async throws {
        let api = try await apiServer()
        try lab.writeLab(labText(port: api.port, check: true))
        let connections = sshd.acceptedConnections, commands = sessions()
        let run = try await lab.moor("kubeconfig", "--debug")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        #expect(sshd.acceptedConnections - connections == 1)
        #expect(sessions() - commands <= 2)
        #expect(run.stdout.contains("verified: TLS to https://localhost:\(api.port) and an authenticated GET /version (v1.36.2)"))

        let directory = lab.scratch.path + "/.kube/minikube-indri"
        #expect(mode(directory) == 0o700)
        for name in ["config.yml", "ca.crt", "client.crt", "client.key"] { #expect(mode(directory + "/" + name) == 0o600, "\(name)") }
        #expect(try String(contentsOfFile: directory + "/client.key", encoding: .utf8).trimmingCharacters(in: .newlines) == client.keyPEM.trimmingCharacters(in: .newlines))
        let config = try String(contentsOfFile: directory + "/config.yml", encoding: .utf8)
        #expect(config.contains("client-key: \(directory)/client.key"))
        #expect(config.contains("current-context: minikube-indri"))

        // Nothing changed: nothing is rewritten.
        let before = try FileManager.default.attributesOfItem(atPath: directory + "/config.yml")[.modificationDate] as? Date
        let again = try await lab.moor("kubeconfig", "-o", "json")
        #expect(again.exit == 0)
        #expect((try again.json()["files"] as? [[String: Any]])?.allSatisfy { $0["changed"] as? Bool == false } == true)
        #expect(try FileManager.default.attributesOfItem(atPath: directory + "/config.yml")[.modificationDate] as? Date == before)

        // kubectl reads it; moor check's kubeconfig: option uses it.
        let kubectl = try await LocalRunner().run(Command("kubectl", ["config", "view", "--kubeconfig", directory + "/config.yml", "-o", "jsonpath={.contexts[0].name}"]))
        #expect(kubectl.exitCode == 0 && kubectl.stdoutText == "minikube-indri", "\(kubectl.stderrText)")
        let check = try await lab.moor("check", "-o", "json")
        #expect(check.exit == 0, "\(check.stdout)")

        // No key material anywhere under the state directory or in any output, --debug included.
        let keyLine = try #require(client.keyPEM.split(separator: "\n").dropFirst().first.map(String.init))
        for output in [run.stdout, run.stderr, again.stdout, again.stderr, check.stdout, check.stderr] { #expect(!output.contains(keyLine)) }
        let state = lab.scratch.path + "/state"
        for file in FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? [] {
            guard let data = FileManager.default.contents(atPath: state + "/" + file) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains(keyLine), "\(file)")
        }
    }

    @Test func embedMergeAndPrintEnv() async throws {
        let api = try await apiServer()
        try lab.writeLab(labText(port: api.port, path: lab.scratch.path + "/embedded/config"))
        let merged = try lab.scratch.write("kube/config", """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster: {server: "https://other:6443"}
              name: other
            contexts:
            - context: {cluster: other, user: other}
              name: other
            current-context: other
            users:
            - name: other
              user: {token: abc}

            """)
        let run = try await lab.moorWith(["KUBECONFIG": merged, "SHELL": "/bin/bash"], "kubeconfig", "--embed", "--merge", "--print-env")
        #expect(run.exit == 0, "\(run.stderr)")
        #expect(run.stdout == "export KUBECONFIG=\(lab.scratch.path)/embedded/config\n")
        let embedded = try String(contentsOfFile: lab.scratch.path + "/embedded/config", encoding: .utf8)
        #expect(embedded.contains("client-key-data: "))
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/embedded/client.key"))
        let result = try String(contentsOfFile: merged, encoding: .utf8)
        #expect(result.contains("name: other") && result.contains("token: abc") && result.contains("name: minikube-indri"))
        #expect(result.contains("current-context: other"), "the user's current context is kept")
        #expect(FileManager.default.fileExists(atPath: merged + ".moor-backup"))
        let json = try await lab.moorWith(["KUBECONFIG": merged, "SHELL": "/bin/bash"], "kubeconfig", "--embed", "--merge", "--print-env", "-o", "json")
        #expect(json.exit == 0, "\(json.stderr)")
        #expect(try json.json()["export"] as? String == "export KUBECONFIG=\(lab.scratch.path)/embedded/config", "one JSON document, the export line in it")
        let kubectl = try await LocalRunner().run(Command("kubectl", ["config", "get-contexts", "-o", "name", "--kubeconfig", merged]))
        #expect(kubectl.stdoutText.split(separator: "\n").sorted() == ["minikube-indri", "other"], "\(kubectl.stderrText)")

        try "::: [ not yaml".write(toFile: merged, atomically: true, encoding: .utf8)
        let refused = try await lab.moorWith(["KUBECONFIG": merged], "kubeconfig", "--merge", "--no-verify")
        #expect(refused.exit == 1)
        #expect(refused.stderr.contains("refusing to merge into \(merged): it is not valid YAML"))
        #expect(try String(contentsOfFile: merged, encoding: .utf8) == "::: [ not yaml")
    }

    @Test func aCertificateWithoutTheNameSaysToRecreate() async throws {
        let api = try await apiServer(names: ["minikube"], ips: ["127.0.0.1"])
        try lab.writeLab(labText(port: api.port))
        let run = try await lab.moor("kubeconfig")
        #expect(run.exit == 1)
        #expect(run.stdout.contains("verify failed at certificate-name: tls: certificate valid for [minikube, 127.0.0.1], not localhost; minikube fixes the API server certificate's names when it creates the cluster: add localhost to cluster.apiServer.names and run `moor up --allow-recreate`"))
    }

    @Test func aMissingClusterOrAWrongKeyIsClear() async throws {
        let api = try await apiServer()
        try lab.writeLab(labText(port: api.port).replacingOccurrences(of: "name: minikube\n", with: "name: nosuch\n"))
        let missing = try await lab.moor("kubeconfig")
        #expect(missing.exit == 1)
        #expect(missing.stderr.hasPrefix("error: could not read the cluster's certificates on indri: head: cannot open"))
        let other = try TestPKI.leaf("someone-else", issuer: ca)
        _ = try lab.scratch.write("server-home/.minikube/profiles/minikube/client.key", other.keyPEM, mode: 0o600)
        try lab.writeLab(labText(port: api.port))
        let wrong = try await lab.moor("kubeconfig")
        #expect(wrong.stderr == "error: the certificates fetched on indri are unusable: client.key does not belong to client.crt (their public keys differ)\n")
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/.kube/minikube-indri/client.key"), "nothing written")
    }
}
