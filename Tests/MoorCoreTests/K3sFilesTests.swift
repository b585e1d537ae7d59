import Foundation
import Testing
import MoorCore
import MoorTestSupport

/// k3s's files as moor renders and reads them, against the recorded upstream formats.
@Suite struct K3sFilesTests {
    let mirrors = [RegistryMirror(registry: "docker.io", mirror: "https://registry.ops.eblu.me", skipVerify: true),
                   RegistryMirror(registry: "ghcr.io", mirror: "https://registry.ops.eblu.me", skipVerify: true),
                   RegistryMirror(registry: "quay.io", mirror: "http://cache.local:5000")]

    @Test func registriesRoundTripWithOneConfigPerSharedMirrorHost() throws {
        let text = K3sFiles.registries(mirrors)
        #expect(text.components(separatedBy: "\"registry.ops.eblu.me\":").count == 2, "one configs entry for the shared host:\n\(text)")
        let read = try #require(K3sFiles.readRegistries(text))
        for mirror in mirrors { #expect(K3sFiles.matches(read[mirror.registry], mirror), "\(mirror.registry)") }
        #expect(!K3sFiles.matches(read["quay.io"], RegistryMirror(registry: "quay.io", mirror: "http://cache.local:5000", skipVerify: true)))
    }

    @Test func theDocsRegistriesYAMLAndTheHostsTomlK3sRendersFromIt() throws {
        let registries = try #require(K3sFiles.readRegistries(try Fixtures.text("k3s/registries.yaml")))
        let mirror = RegistryMirror(registry: "docker.io", mirror: "https://registry.example.com:5000", skipVerify: true)
        #expect(K3sFiles.matches(registries["docker.io"], mirror))
        let rendered = try Fixtures.text("k3s/hosts.toml")
        #expect(K3sFiles.rendered(rendered, uses: mirror), "k3s adds /v2; skip_verify from configs")
        #expect(!K3sFiles.rendered(rendered, uses: RegistryMirror(registry: "docker.io", mirror: "https://registry.example.com:5000")))
        #expect(!K3sFiles.rendered(rendered, uses: RegistryMirror(registry: "docker.io", mirror: "https://other.example", skipVerify: true)))
        #expect(!K3sFiles.rendered(nil, uses: mirror))
    }

    @Test func serverConfigMergesDropInsAsK3sDoes() {
        let config = K3sFiles.serverConfig([
            ("/etc/rancher/k3s/config.yaml", "tls-san:\n  - a.example\nhttps-listen-port: 7443\n"),
            ("/etc/rancher/k3s/config.yaml.d/10-x.yaml", "tls-san+: [b.example]\n"),
            ("/etc/rancher/k3s/config.yaml.d/50-moor.yaml", K3sFiles.dropIn(names: ["c.example"], port: nil)),
        ])
        #expect(config.tlsSANs == ["a.example", "b.example", "c.example"])
        #expect(config.httpsListenPort == 7443)
        #expect(K3sFiles.serverConfig([("/c", "tls-san: one.example,two.example\n")]).tlsSANs == ["one.example", "two.example"])
    }

    @Test func theObservationHeadersSayWhatIsALinkAndWhatIsReadOnly() throws {
        let output = """
            ==> version <==
            \(try Fixtures.text("k3s/version.txt"))==> active <==
            inactive
            ==> /etc/rancher/k3s/registries.yaml link /nix/store/abc-registries.yaml <==
            mirrors: {}

            ==> /etc/rancher/k3s/config.yaml file readonly <==
            tls-san: [x]
            """
        let state = try K3sHostState.parse(output)
        #expect(state.version == "v1.33.4+k3s1" && !state.active && state.unit == "inactive")
        #expect(state.files[K3sPaths.registries]?.ownerElsewhere?.hasPrefix("Nix") == true)
        #expect(state.files[K3sPaths.config]?.ownerElsewhere?.contains("read-only") == true)
        #expect(state.files[K3sPaths.config]?.text == "tls-san: [x]\n")
        let missing = try K3sHostState.parse("==> version <==\nmissing\n==> active <==\ninactive\n")
        #expect(!missing.installed)
        #expect(throws: ToolOutputError.self) { try K3sHostState.parse("garbage") }
    }

    @Test func aNixManagedRegistriesYAMLIsManagedElsewhereWithTheWantedContent() {
        var spec = ClusterSpec()
        spec.provider = .k3s
        spec.registryMirrors = mirrors
        let host = K3sHostState(version: "v1.33.4+k3s1", unit: "active", files: [
            K3sPaths.registries: HostFile(text: "mirrors: {}\n", linkTarget: "/nix/store/abc-registries.yaml"),
        ])
        let plan = K3sDiff.diff(spec, ObservedK3s(host: host))
        let change = plan.changes.first { $0.id == .mirror(cluster: nil, registry: "docker.io") }
        #expect(change?.action == .managedElsewhere)
        #expect(change?.summary.contains(K3sFiles.registries(mirrors)) == true)
        #expect(plan.changes.allSatisfy { $0.action != .update && $0.action != .create })
    }
}
