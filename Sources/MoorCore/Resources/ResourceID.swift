/// Which resource a change is about: typed for the engine, printed as the names plan, up,
/// the journal and JSON use (`cluster`, `mirror:docker.io`, `expose:svc:k8s:443`,
/// `app:devpi`, `secret:monitoring/grafana-admin`). A cluster's resources carry its name
/// when the lab has several (`cluster:ringtail`, `mirror:ringtail/docker.io`); nil is the
/// one cluster of a one-cluster lab, whose names stay as they always were.
public enum ResourceID: Sendable, Hashable, Codable, CustomStringConvertible {
    case cluster(String?)
    case mirror(cluster: String?, registry: String)
    /// ArgoCD's cluster Secret for another cluster of the lab.
    case argocdCluster(String)
    /// A tailnet exposure: `service` nil is the node itself (`expose:node:443`).
    case expose(service: String?, port: Int)
    /// ArgoCD itself.
    case argocd
    case app(name: String)
    case secret(namespace: String, name: String)
    /// A kind this enum does not name (a kind added in one file, say): `KIND:NAME`.
    case other(kind: String, name: String)

    /// The kind's name, as resource kinds register it.
    public var kind: String {
        switch self {
        case .cluster: "cluster"
        case .mirror: "mirror"
        case .argocdCluster: "argocdcluster"
        case .expose: "expose"
        case .argocd: "argocd"
        case .app: "app"
        case .secret: "secret"
        case .other(let kind, _): kind
        }
    }

    public var description: String {
        switch self {
        case .cluster(let name): name.map { "cluster:\($0)" } ?? "cluster"
        case .mirror(let cluster, let registry): "mirror:" + (cluster.map { "\($0)/" } ?? "") + registry
        case .argocdCluster(let name): "argocdcluster:\(name)"
        case .expose(let service, let port): "expose:\(service ?? "node"):\(port)"
        case .argocd: "argocd"
        case .app(let name): "app:\(name)"
        case .secret(let namespace, let name): "secret:\(namespace)/\(name)"
        case .other(let kind, let name): "\(kind):\(name)"
        }
    }

    /// The inverse of `description`.
    public init?(parsing text: String) {
        if text == "cluster" { self = .cluster(nil); return }
        if text == "argocd" { self = .argocd; return }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kind = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        guard !rest.isEmpty else { return nil }
        switch kind {
        case "cluster": self = .cluster(rest)
        case "argocdcluster": self = .argocdCluster(rest)
        case "mirror":
            if let slash = rest.firstIndex(of: "/") {
                self = .mirror(cluster: String(rest[..<slash]), registry: String(rest[rest.index(after: slash)...]))
            } else {
                self = .mirror(cluster: nil, registry: rest)
            }
        case "app": self = .app(name: rest)
        case "expose":
            guard let last = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: last)...]) else { return nil }
            let service = String(rest[..<last])
            self = .expose(service: service == "node" ? nil : service, port: port)
        case "secret":
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            self = .secret(namespace: String(rest[..<slash]), name: String(rest[rest.index(after: slash)...]))
        default: self = .other(kind: kind, name: rest)
        }
    }

    /// The cluster label a resource carries (nil: the lab's only cluster, or not a cluster's).
    public var clusterLabel: String? {
        switch self {
        case .cluster(let name): name
        case .mirror(let cluster, _): cluster
        default: nil
        }
    }

    public var isCluster: Bool { if case .cluster = self { true } else { false } }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ResourceID(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a resource name: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
