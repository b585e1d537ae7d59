/// Every key the lab file takes, section by section: the decoders read with these lists and
/// the JSON Schema (`LabSchema`) is built from them, so the two cannot disagree.
public enum LabKeys {
    public static let top = ["version", "hosts", "cluster", "expose", "remoteAccess", "kubeContext",
                             "gitops", "secrets", "storage", "doctor", "watch", "checks"]
    public static let host = ["ssh", "local"]
    public static let cluster = ["name", "host", "provider", "driver", "containerRuntime", "cpus", "memory",
                                 "disk", "apiServer", "registryMirrors", "minikubeHome"]
    public static let apiServer = ["names", "port", "listenAddress"]
    public static let registryMirror = ["registry", "upstream", "mirror", "capabilities", "skipVerify"]
    public static let expose = ["tailscale"]
    public static let tailscale = ["host", "service", "port"]
    public static let remoteAccess = ["context", "server", "path"]
    public static let gitops = ["argocd"]
    public static let argocd = ["namespace", "revision", "parent", "apps", "install", "root"]
    public static let install = ["version", "manifest"]
    public static let root = ["name", "repoURL", "path"]
    public static let secret = ["template"]
    public static let storage = ["nfs"]
    public static let nfs = ["name", "server", "export", "clients"]
    public static let doctor = ["image"]
    public static let watch = ["reconcile", "autoStart", "checks", "metrics", "alerts"]
    public static let metrics = ["listen", "textfile", "allowRemote"]
    public static let alerts = ["failureThreshold", "successThreshold", "sendOnResolved", "ntfy"]
    public static let ntfy = ["url", "topic", "token", "priority"]
    public static let checkTargets = ["url", "tcp", "tls", "postgres", "command"]
    public static let check = ["name"] + checkTargets + ["on", "timeout", "expect", "warn", "tags", "method", "headers", "body",
                                                         "serverName", "ca", "cert", "key", "insecure", "kubeconfig", "interval"]
}
