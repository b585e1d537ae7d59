/// docker invocations as values.
public enum Docker {
    /// Host bindings of one published container port, e.g. `6443/tcp`.
    public static func port(container: String, port: Int) -> Command {
        Command("docker", ["port", container, "\(port)/tcp"], timeout: .seconds(30))
    }

    /// Total memory the engine can give containers, in bytes.
    public static func memTotal() -> Command {
        Command("docker", ["info", "--format", "{{.MemTotal}}"], timeout: .seconds(30))
    }
}

/// tailscale invocations as values.
public enum Tailscale {
    public static func serveStatus() -> Command {
        Command("tailscale", ["serve", "status", "--json"], timeout: .seconds(30))
    }

    /// A plain TCP forward (TLS passes through) from the tailnet port to `target`.
    public static func serveTCP(service: String?, port: Int, target: String) -> Command {
        var arguments = ["serve", "--bg"]
        if let service { arguments.append("--service=\(service)") }
        arguments += ["--tcp=\(port)", "tcp://\(target)"]
        return Command("tailscale", arguments, timeout: .seconds(60))
    }
}

/// kubectl invocations as values.
public enum Kubectl {
    /// The server URL of a context, as the kubeconfig has it.
    public static func serverURL(context: String) -> Command {
        Command("kubectl", ["config", "view", "--minify", "--context=\(context)", "-o",
                            "jsonpath={.clusters[0].cluster.server}"], timeout: .seconds(30))
    }
}
