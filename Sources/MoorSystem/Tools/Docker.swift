/// docker invocations as values.
public enum Docker {
    /// Host bindings of one published container port, e.g. `6443/tcp`.
    public static func port(container: String, port: Int) -> Command {
        Command("docker", ["port", container, "\(port)/tcp"], timeout: .seconds(30))
    }

    /// Follows the events of one minikube profile's node container, one JSON object a line,
    /// from `since` (docker's `seconds.nanoseconds`) when resuming. It never ends by itself:
    /// a year-long time limit stands for none.
    public static func events(profile: String, since: String?) -> Command {
        var arguments = ["events", "--filter", "label=name.minikube.sigs.k8s.io=\(profile)", "--filter", "type=container",
                         "--format", "{{json .}}"]
        if let since { arguments += ["--since", since] }
        return Command("docker", arguments, timeout: .seconds(365 * 86_400))
    }

    /// Total memory the engine can give containers, in bytes.
    public static func memTotal() -> Command {
        Command("docker", ["info", "--format", "{{.MemTotal}}"], timeout: .seconds(30))
    }
}

/// tailscale invocations as values.
public enum Tailscale {
    /// The node's status: its tags and capabilities (`service-host`).
    public static func status() -> Command {
        Command("tailscale", ["status", "--json"], timeout: .seconds(30))
    }

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

/// kubectl for ArgoCD Applications and Secrets, always with an explicit context.
public enum KubectlGitOps {
    /// Every kubectl call names its context: never whatever the current one is.
    public static func base(_ context: String) -> [String] { ["--context=\(context)"] }

    public static func listApplications(context: String, namespace: String) -> Command {
        Command("kubectl", base(context) + ["-n", namespace, "get", "applications.argoproj.io", "-o", "json"], timeout: .seconds(60))
    }

    /// A merge patch (`{"spec":{"source":{"targetRevision":"main"}}}`) or a JSON patch, as one argv word.
    public static func patchApplication(context: String, namespace: String, name: String, type: String, patch: String) -> Command {
        Command("kubectl", base(context) + ["-n", namespace, "patch", "applications.argoproj.io", name, "--type", type, "-p", patch],
                timeout: .seconds(60))
    }

    /// Names only (`namespace/name` lines): secret values never leave the cluster.
    public static func listSecretNames(context: String) -> Command {
        Command("kubectl", base(context) + ["get", "secrets", "--all-namespaces", "-o",
                                            #"jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}"#],
                timeout: .seconds(60))
    }

    /// The manifest goes on stdin and is never logged.
    public static func apply(context: String, manifest: [UInt8]) -> Command {
        Command("kubectl", base(context) + ["apply", "-f", "-"], stdin: manifest, redact: false, timeout: .seconds(120))
    }

    /// Server-side apply of a file: ArgoCD's CRDs exceed client-side apply's annotation limit.
    public static func applyServerSide(context: String, namespace: String, file: String) -> Command {
        Command("kubectl", base(context) + ["apply", "--server-side", "--force-conflicts", "-n", namespace, "-f", file], timeout: .seconds(300))
    }

    /// ArgoCD's Deployments and StatefulSets, with their images and ready replicas.
    public static func listWorkloads(context: String, namespace: String) -> Command {
        Command("kubectl", base(context) + ["-n", namespace, "get", "deployments.apps,statefulsets.apps", "-o", "json"], timeout: .seconds(60))
    }
}

/// curl, to fetch a manifest once into the state directory.
public enum Curl {
    public static func download(_ url: String, to path: String) -> Command {
        Command("curl", ["--fail", "--silent", "--show-error", "--location", "--max-time", "120", "--output", path, "--", url],
                timeout: .seconds(130))
    }
}

/// The 1Password CLI. Its output is a secret: callers keep it in memory only.
public enum OnePassword {
    public static func read(_ reference: String) -> Command {
        Command("op", ["read", "--no-newline", reference], redact: true, timeout: .seconds(60))
    }
}

/// git, to turn a branch or tag into the commit ArgoCD should sync.
public enum Git {
    public static func lsRemote(repository: String, revision: String) -> Command {
        Command("git", ["ls-remote", "--", repository, revision, "refs/heads/\(revision)", "refs/tags/\(revision)"],
                environment: ["GIT_TERMINAL_PROMPT": "0"], timeout: .seconds(30))
    }
}
