import Testing
import MoorCore
import MoorTestSupport

@Suite struct HostsTomlTests {
    @Test func everyContainerdFixtureParses() throws {
        for file in try Fixtures.files(in: "containerd", suffix: ".toml") {
            #expect(throws: Never.self, "\(file)") { try TOMLSubset.parse(Fixtures.text(file)) }
        }
        let fields = try TOMLSubset.parse(Fixtures.text("containerd/hosts.docs-host-fields.verbatim.toml"))
        guard case .table(let hosts)? = fields["host"], case .table(let test1)? = hosts["https://test-1.registry"] else {
            Issue.record("no host table")
            return
        }
        #expect(test1["client"] == .array([.array([.string("/etc/certs/client.cert"), .string("/etc/certs/client.key")]),
                                           .array([.string("/etc/certs/client.pem"), .string("")])]))
    }

    @Test func renderMatchesTheDocsSkipVerifyExample() throws {
        let mirror = RegistryMirror(registry: "docker.io", upstream: "https://registry-1.docker.io",
                                    mirror: "http://192.168.31.250:5000", capabilities: ["pull", "resolve", "push"], skipVerify: true)
        #expect(HostsToml.isEquivalent(try Fixtures.text("containerd/hosts.docs-skip-verify.verbatim.toml"), to: mirror))
        #expect(HostsToml.path(for: "docker.io") == "/etc/containerd/certs.d/docker.io/hosts.toml")
    }

    @Test func comparisonIsSemantic() {
        let mirror = RegistryMirror(registry: "quay.io", mirror: "http://host.minikube.internal:5050", skipVerify: true)
        let reordered = """
            # hand-written
            [host.'http://host.minikube.internal:5050']
            skip_verify = true     # trailing comment
            capabilities = [
              "pull",
              "resolve",
            ]
            """
        #expect(!HostsToml.isEquivalent(reordered, to: mirror), "server is missing")
        #expect(HostsToml.isEquivalent("server = \"https://quay.io\"\n" + reordered, to: mirror))
        #expect(!HostsToml.isEquivalent(HostsToml.render(mirror).replacingOccurrences(of: "true", with: "false"), to: mirror))
        #expect(!HostsToml.isEquivalent(try! Fixtures.text("containerd/minikube-kicbase.docker-io.hosts.verbatim.toml"), to: mirror))
        #expect(!HostsToml.isEquivalent("server = [unclosed", to: mirror))
        #expect(HostsToml.isEquivalent(HostsToml.render(mirror), to: mirror))
    }

    @Test func malformedTomlIsAnErrorNotACrash() {
        for text in ["a = ", "[host.", "a = \"x", "a = 1\na = 2", "[a]\nb = 1\n[a.b]\n", "a = [1, [2, 3]", "= 1", "a = nope"] {
            #expect(throws: TOMLSubset.ParseError.self, "\(text)") { try TOMLSubset.parse(text) }
        }
    }
}
