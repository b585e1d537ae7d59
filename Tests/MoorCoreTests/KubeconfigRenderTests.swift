import Foundation
import Testing
import MoorCore
import MoorSystem
import MoorTestSupport

/// Kubeconfigs come from Codable types through Yams' encoder: any context name gives YAML
/// that moor and kubectl read back to the same names.
@Suite struct KubeconfigRenderTests {
    static let names = ["minikube-indri", "@home", "a: b", "yes", "#x", "- dash", "quote\"d", "1.5", "null"]

    @Test(arguments: names) func anyContextNameRoundTrips(name: String) async throws {
        let entry = KubeconfigEntry(name: name, server: "https://k8s.tail8d86e.ts.net:443", certificateAuthority: .file("/tmp/a b/ca.crt"),
                                    clientCertificate: .data(Array("cert".utf8)), clientKey: .file("/tmp/client.key"))
        let text = KubeconfigRender.standalone(entry)
        let parsed = try Kubeconfig.parse(text)
        #expect(parsed.currentContext == name)
        let (cluster, user) = try parsed.resolve(context: name)
        #expect(cluster.server == "https://k8s.tail8d86e.ts.net:443")
        #expect(cluster.certificateAuthority == "/tmp/a b/ca.crt")
        #expect(user?.clientCertificateData == Array("cert".utf8))

        let scratch = try Scratch()
        let path = try scratch.write("config", text)
        let kubectl = try await LocalRunner().run(Command("kubectl", ["config", "get-contexts", "-o", "name", "--kubeconfig", path]))
        #expect(kubectl.exitCode == 0, "\(kubectl.stderrText)")
        #expect(kubectl.stdoutText == name + "\n")

        let merged = try KubeconfigRender.merge(entry, into: text.replacingOccurrences(of: "current-context", with: "current-context-unused"))
        #expect(try Kubeconfig.parse(merged).contexts.keys.sorted() == [name])
    }
}
