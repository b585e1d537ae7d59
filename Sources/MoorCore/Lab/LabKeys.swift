/// Every key the lab file takes, section by section: the decoders read with these lists and
/// the JSON Schema (`LabSchema`) is built from them, so the two cannot disagree.
public enum LabKeys {
    public static let top = ["version", "hosts", "cluster", "clusters", "expose", "remoteAccess", "kubeContext",
                             "gitops", "secrets", "storage", "backups", "doctor", "watch", "checks"]
    public static let host = ["ssh", "local"]
    public static let cluster = ["name", "host", "provider", "driver", "containerRuntime", "cpus", "memory",
                                 "disk", "apiServer", "registryMirrors", "minikubeHome", "install"]
    /// An entry of `clusters:` (named by its key; `profile` is minikube's `-p`).
    public static let clusterEntry = ["provider", "host", "profile", "driver", "containerRuntime", "cpus", "memory", "disk",
                                      "apiServer", "registryMirrors", "minikubeHome", "remoteAccess", "kubeContext", "install"]
    public static let apiServer = ["names", "port", "listenAddress", "address"]
    /// Which cluster keys (and `apiServer` keys) only one provider takes.
    public static let providerOnly: [String: [String]] = [
        "minikube": ["name", "profile", "driver", "containerRuntime", "cpus", "memory", "disk", "minikubeHome", "listenAddress"],
        "k3s": ["install", "address"],
    ]
    public static let providers = ["minikube", "k3s"]
    public static let clusterInstall = ["version", "script"]
    public static let registryMirror = ["registry", "upstream", "mirror", "capabilities", "skipVerify"]
    public static let expose = ["tailscale"]
    public static let tailscale = ["host", "service", "port", "cluster"]
    public static let remoteAccess = ["context", "server", "path"]
    public static let gitops = ["argocd"]
    public static let argocd = ["namespace", "cluster", "clusters", "revision", "parent", "apps", "install", "root"]
    public static let install = ["version", "manifest"]
    public static let root = ["name", "repoURL", "path"]
    public static let secret = ["template"]
    public static let storage = ["nfs"]
    public static let nfs = ["name", "server", "export", "clients"]
    public static let backups = ["schedule", "keep", "path", "volumes"]
    public static let backupKeep = ["daily", "weekly", "monthly"]
    public static let doctor = ["image"]
    public static let watch = ["reconcile", "autoStart", "checks", "metrics", "alerts", "page", "history"]
    public static let metrics = ["listen", "textfile", "allowRemote"]
    public static let alerts = ["failureThreshold", "successThreshold", "sendOnResolved", "ntfy"]
    public static let ntfy = ["url", "topic", "token", "priority"]
    public static let checkTargets = ["url", "tcp", "tls", "postgres", "command"]
    public static let check = ["name"] + checkTargets + ["on", "timeout", "expect", "warn", "tags", "method", "headers", "body",
                                                         "serverName", "ca", "cert", "key", "insecure", "kubeconfig", "interval", "cluster"]
}
