import Foundation
import Testing
import MoorCore
import MoorSystem
import MoorTestSupport

@Suite struct ToolCommandTests {
    @Test func minikubeStartHasExactlyTheFlagsTheFileImplies() throws {
        let lab = try LabLoader.load(text: Fixtures.example(), file: "x").get()
        #expect(Minikube.start(lab.cluster!).argv == [
            "minikube", "start", "-p", "minikube", "--driver=docker", "--container-runtime=docker", "--cpus=6",
            "--memory=11264mb", "--disk-size=200g", "--apiserver-names=k8s.tail8d86e.ts.net", "--apiserver-names=indri",
            "--apiserver-port=6443", "--listen-address=0.0.0.0",
        ])
        var minimal = ClusterSpec()
        minimal.name = "lab"
        #expect(Minikube.start(minimal).argv == ["minikube", "start", "-p", "lab", "--driver=docker"])
    }

    @Test func readOnlyCommands() {
        #expect(Minikube.profileList().argv == ["minikube", "profile", "list", "-o", "json"])
        #expect(Minikube.status(profile: "minikube").argv == ["minikube", "status", "-p", "minikube", "-o", "json"])
        #expect(Docker.port(container: "minikube", port: 6443).argv == ["docker", "port", "minikube", "6443/tcp"])
        #expect(Tailscale.serveStatus().argv == ["tailscale", "serve", "status", "--json"])
        #expect(Kubectl.serverURL(context: "minikube").argv ==
                ["kubectl", "config", "view", "--minify", "--context=minikube", "-o", "jsonpath={.clusters[0].cluster.server}"])
    }

    @Test func tailscaleServeForServiceAndNode() {
        #expect(Tailscale.serveTCP(service: "svc:k8s", port: 443, target: "localhost:32771").argv ==
                ["tailscale", "serve", "--bg", "--service=svc:k8s", "--tcp=443", "tcp://localhost:32771"])
        #expect(Tailscale.serveTCP(service: nil, port: 443, target: "localhost:1").argv ==
                ["tailscale", "serve", "--bg", "--tcp=443", "tcp://localhost:1"])
    }

    @Test func minikubeSSHQuotesEveryWordForTheNodeShell() {
        let command = Minikube.ssh(profile: "minikube", NodeCommands.readNodeFiles())
        #expect(command.argv == ["minikube", "ssh", "-p", "minikube", "--", "sudo", "grep", "-r", "-s",
                                 "'--include=hosts.toml'", "'--include=apiserver.crt'", "''", "/etc/containerd/certs.d",
                                 "/var/lib/minikube/certs/apiserver.crt"])
        let write = Minikube.ssh(profile: "minikube", NodeCommands.writeFile("/etc/containerd/certs.d/a b/hosts.toml"), stdin: [1])
        #expect(write.argv.last == "'/etc/containerd/certs.d/a b/hosts.toml'")
        #expect(write.stdin == [1])
    }
}
