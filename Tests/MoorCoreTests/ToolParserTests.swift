import Testing
import MoorCore
import MoorTestSupport

@Suite struct MinikubeParserTests {
    @Test(arguments: [
        ("minikube/status.running.serialized.json", Int32(0), ClusterState.running),
        ("minikube/status.running-timetostop.serialized.json", 0, .running),
        ("minikube/status.stopped.DERIVED.json", 7, .stopped),
        ("minikube/status.down-misconfigured.serialized.json", 7, .stopped),
        ("minikube/status.apiserver-error.DERIVED.json", 2, .error),
        ("minikube/status.host-nonexistent.DERIVED.json", 7, .absent),
        ("minikube/status.profile-not-found.exit85.DERIVED.jsonl", 85, .absent),
    ])
    func statusFixtures(file: String, exit: Int32, expected: ClusterState) throws {
        #expect(try MinikubeStatus.parse(stdout: Fixtures.text(file), exitCode: exit) == expected)
    }

    @Test func pausedAndMultiNodeStatus() throws {
        let paused = #"{"Name":"minikube","Host":"Running","Kubelet":"Stopped","APIServer":"Paused","Kubeconfig":"Configured","Worker":false}"#
        #expect(try MinikubeStatus.parse(stdout: paused, exitCode: 2) == .paused)
        let nodes = "[" + (try Fixtures.text("minikube/status.running.serialized.json")) + "]"
        #expect(try MinikubeStatus.parse(stdout: nodes, exitCode: 0) == .running)
        #expect(throws: ToolOutputError.self) { try MinikubeStatus.parse(stdout: "minikube\ntype: Control Plane", exitCode: 0) }
    }

    @Test func profileListWithARunningDockerCluster() throws {
        let profiles = try MinikubeProfiles.parse(Fixtures.text("minikube/profile-list.docker-running.DERIVED.json"))
        #expect(profiles.map(\.name) == ["minikube"])
        let profile = try #require(profiles.first)
        #expect(profile.state == .running)
        #expect(profile.config == MinikubeProfiles.ProfileConfig(
            driver: "docker", containerRuntime: "containerd", cpus: 4, memoryMiB: 8192, diskMiB: 40960,
            apiServerPort: 8443, apiServerNames: ["k8s.example.ts.net"], listenAddress: "", kubernetesVersion: "v1.36.2"))
    }

    @Test func profileListLightAndEmpty() throws {
        #expect(try MinikubeProfiles.parse(Fixtures.text("minikube/profile-list.empty.DERIVED.json")).isEmpty)
        let light = try MinikubeProfiles.parse(Fixtures.text("minikube/profile-list.light.DERIVED.json"))
        #expect(light.first?.config?.driver == "docker")
        #expect(throws: ToolOutputError.self) { try MinikubeProfiles.parse(#"{"error":{"message":"boom"}}"#) }
        #expect(throws: ToolOutputError.self) { try MinikubeProfiles.parse("not json") }
    }
}

@Suite struct DockerParserTests {
    @Test func singlePortFormats() throws {
        #expect(try DockerPorts.parse(Fixtures.text("docker/port.container-port-ipv4.golden")).map(\.hostPort) == [3456])
        let both = try DockerPorts.parse(Fixtures.text("docker/port.container-port-ipv6-and-ipv4.golden"))
        #expect(both.map(\.hostIP) == ["0.0.0.0", "::"])
        #expect(DockerPorts.hostPort(in: both) == 3456)
        let minikube = try DockerPorts.parse(Fixtures.text("docker/port.minikube-8443.DERIVED.txt"))
        #expect(minikube == [DockerPorts.Binding(containerPort: nil, hostIP: "127.0.0.1", hostPort: 32771)])
    }

    @Test func allPortsFormatAndIPv6First() throws {
        let all = try DockerPorts.parse(Fixtures.text("docker/port.container-port-all-ports.golden"))
        #expect(all.count == 6)
        #expect(all[1] == DockerPorts.Binding(containerPort: "80/tcp", hostIP: "::", hostPort: 3456))
        #expect(all[5].containerPort == "443/udp")
        #expect(DockerPorts.hostPort(in: try DockerPorts.parse("[::]:40001\n0.0.0.0:40002\n")) == 40002)
        #expect(throws: ToolOutputError.self) { try DockerPorts.parse("Error: No public port") }
    }

    @Test func inspectFormatKeepsMinikubesQuotes() throws {
        #expect(try DockerPorts.parseInspectHostPort(Fixtures.text("docker/inspect-format-hostport.minikube-8443.DERIVED.txt")) == 32771)
    }

    @Test func kubeconfigServerURLs() throws {
        #expect(KubeconfigServer.port(of: try Fixtures.text("kubeconfig/jsonpath-server.docker-desktop-or-rootless.DERIVED.txt")) == 32771)
        #expect(KubeconfigServer.port(of: try Fixtures.text("kubeconfig/jsonpath-server.linux-native-docker.DERIVED.txt")) == 8443)
        #expect(KubeconfigServer.port(of: "https://[::1]:6443/") == 6443)
        #expect(KubeconfigServer.port(of: "https://k8s.example") == nil)
    }
}

@Suite struct TailscaleParserTests {
    @Test func serviceTCPForward() throws {
        let config = try ServeConfig.parse(Fixtures.text("tailscale/serve-status.service-tcp443.DERIVED.json"))
        #expect(config.tcpForward(service: "svc:k8s", port: 443) == "localhost:32771")
        #expect(config.tcpForward(service: nil, port: 443) == nil)
        #expect(config.tcpForward(service: "svc:other", port: 443) == nil)
    }

    @Test func nodeLevelAndOtherShapes() throws {
        let node = try ServeConfig.parse(Fixtures.text("tailscale/serve-status.node-https-plus-tcp.serialized.json"))
        #expect(node.tcpForward(service: nil, port: 8443) == "localhost:5432")
        #expect(node.handler(service: nil, port: 443)?.HTTPS == true)
        let tls = try ServeConfig.parse(Fixtures.text("tailscale/serve-status.node-tls-terminated-tcp.serialized.json"))
        #expect(tls.handler(service: nil, port: 443)?.TerminateTLS == "foo.test.ts.net")
        let ssh = try ServeConfig.parse(Fixtures.text("tailscale/serve-status.service-tcp-forward.serialized.json"))
        #expect(ssh.tcpForward(service: "svc:ssh", port: 2222) == "127.0.0.1:22")
        for file in ["serve-config.containerboot-test.verbatim.json", "serve-config.services-https.verbatim.json",
                     "serve-config.services-tun.verbatim.json", "serve-status.service-http-text.serialized.json",
                     "serve-status.service-tls-terminated-tcp.serialized.json"] {
            #expect(throws: Never.self) { try ServeConfig.parse(Fixtures.text("tailscale/" + file)) }
        }
        let tun = try ServeConfig.parse(Fixtures.text("tailscale/serve-config.services-tun.verbatim.json"))
        #expect(tun.Services?["svc:bar"]?.Tun == true)
    }

    @Test func emptyConfigIsEmpty() throws {
        #expect(try ServeConfig.parse(Fixtures.text("tailscale/serve-status.empty.DERIVED.json")) == ServeConfig())
        #expect(try ServeConfig.parse("null") == ServeConfig())
        #expect(throws: ToolOutputError.self) { try ServeConfig.parse("No serve config") }
    }

    @Test func localhostAnd127AreTheSameTarget() {
        #expect(ServeTarget.matches("localhost:32771", hostPort: 32771))
        #expect(ServeTarget.matches("127.0.0.1:32771", hostPort: 32771))
        #expect(!ServeTarget.matches("localhost:49877", hostPort: 32771))
        #expect(!ServeTarget.matches("192.168.105.2:6443", hostPort: 6443))
        #expect(!ServeTarget.matches(nil, hostPort: 1))
    }
}

@Suite struct GrepFilesTests {
    @Test func rebuildsFilesIncludingPathsWithColons() {
        let output = """
            /etc/containerd/certs.d/docker.io/hosts.toml:server = "https://registry-1.docker.io"
            /etc/containerd/certs.d/registry.local:5000/hosts.toml:server = "http://registry.local:5000"
            /etc/containerd/certs.d/registry.local:5000/hosts.toml:
            /etc/containerd/certs.d/registry.local:5000/hosts.toml:[host."http://registry.local:5000"]
            /etc/containerd/certs.d/other/hosts.toml:ignored = true
            """
        let files = GrepFiles.parse(output, paths: [HostsToml.path(for: "docker.io"), HostsToml.path(for: "registry.local:5000")])
        #expect(files.count == 2)
        #expect(files[HostsToml.path(for: "registry.local:5000")] == "server = \"http://registry.local:5000\"\n\n[host.\"http://registry.local:5000\"]\n")
    }
}
