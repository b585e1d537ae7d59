/// The decoded lab file (`moor.yaml`), version 1. See LABFILE.md in the README.
public struct LabFile: Sendable, Equatable {
    public var version: Int
    public var hosts: [HostSpec]
    /// The lab's clusters, in file order: `clusters:`, or the one-cluster shorthand `cluster:`.
    public var clusters: [ClusterSpec] { didSet { clusters = labelled(clusters) } }
    /// True when the lab file used `clusters:` and holds more than one: resource names then
    /// carry the cluster (`mirror:ringtail/docker.io`); a one-cluster lab keeps today's names.
    public var namesClusters: Bool { max(clusters.count, declaredClusters ?? 0) > 1 }
    public var expose: ExposeSpec?
    public var remoteAccess: RemoteAccessSpec?
    public var kubeContext: String?
    public var gitops: GitOpsSpec?
    public var secrets: [SecretTemplateSpec]
    public var storage: StorageSpec?
    /// `backups:`: scheduled, verified backups of every cluster's volumes; nil when absent.
    public var backups: BackupsSpec?
    /// The image of `moor doctor`'s short-lived pods (DNS, NFS); pulled through the mirrors.
    public var doctorImage: String?
    /// `moor watch`'s settings; nil when the lab file has no `watch` section.
    public var watch: WatchSpec?
    public var checks: [CheckSpec]

    public init(version: Int = 1, hosts: [HostSpec] = [], clusters: [ClusterSpec] = [], expose: ExposeSpec? = nil,
                remoteAccess: RemoteAccessSpec? = nil, kubeContext: String? = nil, gitops: GitOpsSpec? = nil,
                secrets: [SecretTemplateSpec] = [], storage: StorageSpec? = nil, checks: [CheckSpec] = []) {
        self.version = version
        self.hosts = hosts
        self.clusters = clusters
        self.expose = expose
        self.remoteAccess = remoteAccess
        self.kubeContext = kubeContext
        self.gitops = gitops
        self.secrets = secrets
        self.storage = storage
        self.checks = checks
        self.clusters = labelled(clusters)
    }

    /// A one-cluster lab (the `cluster:` shorthand).
    public init(cluster: ClusterSpec?, hosts: [HostSpec] = [], expose: ExposeSpec? = nil, remoteAccess: RemoteAccessSpec? = nil,
                kubeContext: String? = nil, gitops: GitOpsSpec? = nil) {
        self.init(hosts: hosts, clusters: cluster.map { [$0] } ?? [], expose: expose, remoteAccess: remoteAccess,
                  kubeContext: kubeContext, gitops: gitops)
    }

    /// The one cluster of a one-cluster lab (or the first of several, for callers that
    /// have not been told which); setting it replaces every cluster with this one.
    public var cluster: ClusterSpec? {
        get { clusters.first }
        set { clusters = newValue.map { [$0] } ?? [] }
    }

    public func cluster(named name: String) -> ClusterSpec? { clusters.first { $0.id == name } }

    /// How many clusters the lab file holds, when `limited(to:)` kept only one of them.
    var declaredClusters: Int?

    /// The lab as one of its clusters sees it (`--cluster NAME`): that cluster (still named
    /// as in the whole lab), its exposure and checks, and ArgoCD's sections only when ArgoCD
    /// runs in it.
    public func limited(to name: String) throws -> LabFile {
        guard let chosen = cluster(named: name) else {
            let hint = Suggest.closest(to: name, in: clusters.map(\.id)).map { "; did you mean `\($0)`?" } ?? ""
            throw MoorError(.usage, "--cluster \(name): the lab file has no such cluster (\(clusters.map { "`\($0.id)`" }.joined(separator: ", ")))\(hint)")
        }
        var lab = self
        lab.declaredClusters = clusters.count
        lab.clusters = [chosen]
        if let target = expose?.tailscale?.cluster ?? clusters.first?.id, target != name { lab.expose = nil }
        if primaryCluster?.id != name {
            lab.gitops = nil
            lab.secrets = []
        }
        if clusters.first?.id != name {
            lab.remoteAccess = nil
            lab.kubeContext = nil
        }
        lab.checks = checks.filter { $0.cluster == nil || $0.cluster == name }
        return lab
    }

    /// Each cluster's `label`: its name when there are several, else nil.
    func labelled(_ clusters: [ClusterSpec]) -> [ClusterSpec] {
        clusters.map { cluster in
            var cluster = cluster
            let label = max(clusters.count, declaredClusters ?? 0) > 1 ? cluster.id : nil
            if cluster.label != label { cluster.label = label }
            return cluster
        }
    }

    public func host(named name: String?) -> HostSpec {
        guard let name else { return .local }
        return hosts.first { $0.name == name } ?? HostSpec(name: name, ssh: nil)
    }
}

/// A machine moor talks to: over ssh when `ssh` is set, else this machine.
public struct HostSpec: Sendable, Equatable {
    public var name: String
    public var ssh: String?

    public init(name: String, ssh: String?) {
        self.name = name
        self.ssh = ssh
    }

    public static let local = HostSpec(name: "local", ssh: nil)
    public var isLocal: Bool { ssh == nil }
}

/// One cluster of the lab, run by its provider on its host.
public struct ClusterSpec: Sendable, Equatable {
    /// moor's name for the cluster: the key under `clusters:`, or `cluster.name`.
    public var id: String = "minikube"
    /// What this cluster's resource names carry: its `id` in a lab of several clusters,
    /// nil in a one-cluster lab (whose names stay `cluster`, `mirror:docker.io`). Set by the lab.
    public internal(set) var label: String?
    /// The minikube profile (`-p`); for `cluster:` this is `name`, under `clusters:` the
    /// `profile` key, default the cluster's name. Other providers ignore it.
    public var name: String = "minikube"
    public var host: String?
    public var provider: ClusterProviderName = .minikube
    public var driver: MinikubeDriver = .docker
    public var containerRuntime: ContainerRuntime?
    public var cpus: Int?
    public var memoryMiB: Int?
    public var diskMiB: Int?
    public var apiServer = APIServerSpec()
    public var registryMirrors: [RegistryMirror] = []
    /// minikube's `MINIKUBE_HOME` on the cluster host (absolute); nil for minikube's default.
    public var minikubeHome: String?
    /// The kubeconfig `moor kubeconfig` gives a workstation for this cluster.
    public var remoteAccess: RemoteAccessSpec?
    /// The kubectl context moor uses for this cluster.
    public var kubeContext: String?
    /// k3s: the version to install when the host has none; nil means a missing k3s is an error.
    public var install: ClusterInstall?

    public init() {}

    /// Where minikube keeps `ca.crt` and `profiles/`: `MINIKUBE_HOME/.minikube` (or the path
    /// itself when it ends in `.minikube`), else `.minikube` in the home directory (relative,
    /// as ssh starts there).
    public var minikubeDirectory: String {
        guard let home = minikubeHome else { return ".minikube" }
        return home.hasSuffix("/.minikube") || home == ".minikube" ? home : home + "/.minikube"
    }
}

public struct APIServerSpec: Sendable, Equatable {
    public var names: [String] = []
    /// The port inside the node; minikube's default is 8443.
    public var port: Int?
    public var listenAddress: String?
    /// k3s: where moor connects to read the serving certificate; default the host's address.
    public var address: String?

    public init() {}
    public var effectivePort: Int { port ?? 8443 }
}

/// Which provider runs a cluster; `unknown` keeps a name a newer moor wrote.
public enum ClusterProviderName: Sendable, Hashable, CustomStringConvertible {
    case minikube
    case k3s
    case unknown(String)

    public init(_ text: String) {
        switch text {
        case "minikube": self = .minikube
        case "k3s": self = .k3s
        default: self = .unknown(text)
        }
    }

    public var description: String {
        switch self {
        case .minikube: "minikube"
        case .k3s: "k3s"
        case .unknown(let name): name
        }
    }
}

/// `install:` of a k3s cluster: the release to install when the host has none.
public struct ClusterInstall: Sendable, Equatable {
    public var version: String
    /// The install script: a path (relative to the lab file) or an https URL fetched once.
    public var script: String = ClusterInstall.upstreamScript
    public static let upstreamScript = "https://get.k3s.io"

    public init(version: String, script: String? = nil) {
        self.version = version
        if let script { self.script = script }
    }
}

public struct RegistryMirror: Sendable, Equatable {
    public var registry: String
    public var upstream: String?
    public var mirror: String
    public var capabilities: [String]
    public var skipVerify: Bool

    public init(registry: String, upstream: String? = nil, mirror: String,
                capabilities: [String] = ["pull", "resolve"], skipVerify: Bool = false) {
        self.registry = registry
        self.upstream = upstream
        self.mirror = mirror
        self.capabilities = capabilities
        self.skipVerify = skipVerify
    }

    /// `server =` in hosts.toml.
    public var server: String { upstream ?? "https://\(registry)" }
}

public struct ExposeSpec: Sendable, Equatable {
    public var tailscale: TailscaleExpose?
    public init(tailscale: TailscaleExpose?) { self.tailscale = tailscale }
}

public struct TailscaleExpose: Sendable, Equatable {
    public var host: String?
    public var service: String?
    public var port: Int = 443
    /// The cluster whose API server is exposed; nil: the lab's first.
    public var cluster: String?
    public init(host: String? = nil, service: String? = nil, port: Int = 443) {
        self.host = host
        self.service = service
        self.port = port
    }
}

public struct RemoteAccessSpec: Sendable, Equatable {
    public var context: String
    public var server: String
    public var path: String

    public init(context: String, server: String, path: String) {
        self.context = context
        self.server = server
        self.path = path
    }
}

public struct GitOpsSpec: Sendable, Equatable {
    public var namespace = "argocd"
    /// The cluster ArgoCD runs in; nil in a one-cluster lab.
    public var cluster: String?
    /// Other clusters ArgoCD deploys to (each becomes an ArgoCD cluster Secret).
    public var clusters: [String] = []
    public var revision = "main"
    public var parent: String?
    public var apps: [String] = []
    /// ArgoCD itself, installed when the cluster has none.
    public var install: ArgoInstall?
    /// The app of apps, created when missing.
    public var root: RootApp?

    public init() {}
}

/// Which ArgoCD to install: an upstream tag's install.yaml, or a given manifest.
public struct ArgoInstall: Sendable, Equatable {
    /// `v3.1.9`.
    public var version: String?
    /// A local path (relative to the lab file) or an https URL.
    public var manifest: String?

    public init(version: String? = nil, manifest: String? = nil) {
        self.version = version
        self.manifest = manifest
    }

    /// Where the manifest comes from: the path or URL given, else the upstream install.yaml of the tag.
    public var source: String {
        manifest ?? "https://raw.githubusercontent.com/argoproj/argo-cd/\(version ?? "stable")/manifests/install.yaml"
    }
}

/// The app of apps: an Application whose path holds the other Applications.
public struct RootApp: Sendable, Equatable {
    public var name: String
    public var repoURL: String
    public var path: String

    public init(name: String, repoURL: String, path: String) {
        self.name = name
        self.repoURL = repoURL
        self.path = path
    }
}

public struct SecretTemplateSpec: Sendable, Equatable {
    public var template: String
}

public struct StorageSpec: Sendable, Equatable {
    public var nfs: [NFSExport] = []
}

public struct NFSExport: Sendable, Equatable {
    public var name: String
    public var server: String
    public var export: String
    public var clients: [String]
}

/// One entry of `checks`; the probe issue gives these behaviour.
public struct CheckSpec: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case url(String)
        case tcp(String)
        case tls(String)
        case postgres(String)
        case command([String])
    }

    public var name: String
    public var target: Target
    public var on: String?
    /// The cluster the check is about, in a lab of several: `--cluster` keeps it with its
    /// cluster, a command runs on that cluster's host unless `on` says otherwise.
    public var cluster: String?
    public var timeoutMilliseconds = 5_000
    public var expect: [String] = []
    public var warn: [String] = []
    public var tags: [String] = []
    public var method: String?
    public var headers: [String: String] = [:]
    public var body: String?
    public var serverName: String?
    public var ca: String?
    public var cert: String?
    public var key: String?
    public var insecure = false
    public var kubeconfig: String?
    /// How often `moor watch` runs this check; nil takes `watch.checks`.
    public var intervalMilliseconds: Int?
}

extension LabFile {
    /// The kubectl context every kubectl call of moor names: `kubeContext`, else
    /// `remoteAccess.context`, else, for a minikube cluster on this machine, minikube's own
    /// context (named after the profile). Nil when none can be determined: moor then does not
    /// run kubectl, rather than act on whatever the current context points at.
    public var kubectlContext: String? {
        if let kubeContext { return kubeContext }
        if let context = remoteAccess?.context { return context }
        guard let cluster = primaryCluster else { return nil }
        return kubectlContext(for: cluster)
    }

    /// The cluster the lab's kubectl work (ArgoCD, apps, secrets) goes to:
    /// `gitops.argocd.cluster`, else the first.
    public var primaryCluster: ClusterSpec? {
        gitops?.cluster.flatMap { cluster(named: $0) } ?? clusters.first
    }

    /// The context for one cluster: its own `kubeContext` or `remoteAccess.context`, then
    /// (for the lab's first cluster) the top-level ones, else a local minikube's profile.
    public func kubectlContext(for cluster: ClusterSpec) -> String? {
        if let context = cluster.kubeContext ?? cluster.remoteAccess?.context { return context }
        if cluster.id == clusters.first?.id, let context = kubeContext ?? remoteAccess?.context { return context }
        if cluster.provider == .minikube, host(named: cluster.host).isLocal { return cluster.name }
        return nil
    }

    /// The URL other machines (and ArgoCD) reach a cluster's API server at: its
    /// `remoteAccess.server`, else its first certificate name on its API port.
    public func serverURL(of cluster: ClusterSpec) -> String {
        if let server = remoteAccess(for: cluster)?.server { return server }
        let port = cluster.apiServer.port ?? (cluster.provider == .k3s ? 6443 : 8443)
        return "https://\(cluster.apiServer.names.first ?? cluster.host ?? "127.0.0.1"):\(port)"
    }

    /// The remote access of one cluster: its own, or for the first cluster the top-level one.
    public func remoteAccess(for cluster: ClusterSpec) -> RemoteAccessSpec? {
        cluster.remoteAccess ?? (cluster.id == clusters.first?.id ? remoteAccess : nil)
    }

    /// Why there is no kubectl context, for messages.
    public static let noKubectlContext = "no kube context: set `kubeContext` (or `remoteAccess.context`) in the lab file"

    /// `kubectlContext`, or the error that says how to give one.
    public func requiredKubectlContext() throws -> String {
        guard let context = kubectlContext else { throw MoorError(.invalidInput, Self.noKubectlContext) }
        return context
    }
}
