/// The seed's homelab as a lab file, on this machine (the stand-ins are local): what the
/// demo runs and what the end-to-end tests start from. `host` puts the cluster behind ssh.
public enum SeedLab {
    public static func text(runtime: String = "docker", cpus: Int = 6, extraNames: [String] = [], host: String? = nil,
                            minikubeHome: String? = nil) -> String {
        let names = (["k8s.tail8d86e.ts.net", "indri"] + extraNames).map(quoted)
        var text = "version: 1\n"
        if let host { text += "hosts:\n  \(host):\n    ssh: \(host)\n" }
        text += """
            cluster:
              name: minikube
            \(host.map { "  host: \($0)\n" } ?? "")\(minikubeHome.map { "  minikubeHome: \(quoted($0))\n" } ?? "")  driver: docker
              containerRuntime: \(runtime)
              cpus: \(cpus)
              memory: 11264MiB
              disk: 200g
              apiServer:
                names: [\(names.joined(separator: ", "))]
                port: 6443
                listenAddress: 0.0.0.0
              registryMirrors:
                - registry: registry.tail8d86e.ts.net
                  mirror: http://host.minikube.internal:5050
                  capabilities: [pull, resolve, push]
                  skipVerify: true
                - registry: docker.io
                  upstream: https://registry-1.docker.io
                  mirror: http://host.minikube.internal:5050
                  skipVerify: true
                - registry: ghcr.io
                  mirror: http://host.minikube.internal:5050
                  skipVerify: true
                - registry: quay.io
                  mirror: http://host.minikube.internal:5050
                  skipVerify: true
            expose:
              tailscale:
                service: svc:k8s
                port: 443

            """
        return text
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        "\"\(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\""
    }
}
