/// The decoded lab file (`moor.yaml`), version 1. See LABFILE.md in the README.
public struct LabFile: Sendable, Equatable {
    public var version: Int
    public var hosts: [HostSpec]
    public var cluster: ClusterSpec?
    public var expose: ExposeSpec?
    public var remoteAccess: RemoteAccessSpec?
    public var kubeContext: String?
    public var gitops: GitOpsSpec?
    public var secrets: [SecretTemplateSpec]
    public var storage: StorageSpec?
    /// The image of `moor doctor`'s short-lived pods (DNS, NFS); pulled through the mirrors.
    public var doctorImage: String?
    /// `moor watch`'s settings; nil when the lab file has no `watch` section.
    public var watch: WatchSpec?
    public var checks: [CheckSpec]

    public init(version: Int = 1, hosts: [HostSpec] = [], cluster: ClusterSpec? = nil, expose: ExposeSpec? = nil,
                remoteAccess: RemoteAccessSpec? = nil, kubeContext: String? = nil, gitops: GitOpsSpec? = nil,
                secrets: [SecretTemplateSpec] = [], storage: StorageSpec? = nil, checks: [CheckSpec] = []) {
        self.version = version
        self.hosts = hosts
        self.cluster = cluster
        self.expose = expose
        self.remoteAccess = remoteAccess
        self.kubeContext = kubeContext
        self.gitops = gitops
        self.secrets = secrets
        self.storage = storage
        self.checks = checks
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

public struct ClusterSpec: Sendable, Equatable {
    public var name: String = "minikube"
    public var host: String?
    public var provider: String = "minikube"
    public var driver: String = "docker"
    public var containerRuntime: String?
    public var cpus: Int?
    public var memoryMiB: Int?
    public var diskMiB: Int?
    public var apiServer = APIServerSpec()
    public var registryMirrors: [RegistryMirror] = []
    /// minikube's `MINIKUBE_HOME` on the cluster host (absolute); nil for minikube's default.
    public var minikubeHome: String?

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

    public init() {}
    public var effectivePort: Int { port ?? 8443 }
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
}

public struct GitOpsSpec: Sendable, Equatable {
    public var namespace = "argocd"
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
        if let cluster, cluster.provider == "minikube", host(named: cluster.host).isLocal { return cluster.name }
        return nil
    }

    /// Why there is no kubectl context, for messages.
    public static let noKubectlContext = "no kube context: set `kubeContext` (or `remoteAccess.context`) in the lab file"

    /// `kubectlContext`, or the error that says how to give one.
    public func requiredKubectlContext() throws -> String {
        guard let context = kubectlContext else { throw MoorError(.invalidInput, Self.noKubectlContext) }
        return context
    }
}
