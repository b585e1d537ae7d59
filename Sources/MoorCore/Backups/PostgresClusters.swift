import Foundation

/// CloudNativePG `Cluster`s and the claims their pods use, read from
/// `kubectl get clusters.postgresql.cnpg.io -A -o json` and `kubectl get pods -A -o json`:
/// those claims hold a running PostgreSQL, which a file copy does not back up, so they get
/// a logical dump taken in the primary instead.
public struct PostgresCluster: Sendable, Equatable, Codable {
    public var namespace: String
    public var name: String
    /// The primary instance's pod (`status.currentPrimary`, else the pod labelled primary).
    public var primary: String?
    /// The claims of the cluster's pods (data and WAL).
    public var claims: [ClaimName]

    public init(namespace: String, name: String, primary: String?, claims: [ClaimName]) {
        self.namespace = namespace
        self.name = name
        self.primary = primary
        self.claims = claims
    }

    public var description: String { "\(namespace)/\(name)" }

    /// The clusters, with the claims and primary their pods show.
    public static func parse(clusters: String, pods: String) throws -> [PostgresCluster] {
        func items(_ text: String, _ what: String) throws -> [[String: Any]] {
            guard let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let items = root["items"] as? [[String: Any]] else {
                throw ToolOutputError(tool: "kubectl get \(what) -o json", problem: "expected a List with items")
            }
            return items
        }
        var found: [PostgresCluster] = []
        for item in try items(clusters, "clusters.postgresql.cnpg.io") {
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            guard let namespace = metadata["namespace"] as? String, let name = metadata["name"] as? String else { continue }
            let primary = (item["status"] as? [String: Any])?["currentPrimary"] as? String
            found.append(PostgresCluster(namespace: namespace, name: name, primary: primary?.isEmpty == false ? primary : nil, claims: []))
        }
        for pod in try items(pods, "pods") {
            let metadata = pod["metadata"] as? [String: Any] ?? [:]
            let labels = metadata["labels"] as? [String: String] ?? [:]
            guard let cluster = labels["cnpg.io/cluster"], let namespace = metadata["namespace"] as? String,
                  let index = found.firstIndex(where: { $0.namespace == namespace && $0.name == cluster }) else { continue }
            let volumes = (pod["spec"] as? [String: Any])?["volumes"] as? [[String: Any]] ?? []
            for volume in volumes {
                guard let claim = (volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String else { continue }
                let name = ClaimName(namespace: namespace, name: claim)
                if !found[index].claims.contains(name) { found[index].claims.append(name) }
            }
            let role = labels["cnpg.io/instanceRole"] ?? labels["role"]
            if found[index].primary == nil, role == "primary", let podName = metadata["name"] as? String { found[index].primary = podName }
        }
        return found.map { var cluster = $0; cluster.claims.sort(); return cluster }.sorted { $0.description < $1.description }
    }
}

/// A logical backup of one CloudNativePG cluster: its roles (without passwords: the
/// operator sets them again from its Secrets) and each database in pg_dump's custom format.
public struct DatabaseDump: Sendable, Equatable, Codable {
    public struct File: Sendable, Equatable, Codable {
        /// The database (or `globals`).
        public var name: String
        public var file: String
        public var bytes: Int
        public var sha256: String

        public init(name: String, file: String, bytes: Int, sha256: String) {
            self.name = name
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    public var cluster: PostgresCluster
    /// The pod the dump was taken in.
    public var pod: String
    public var globals: File
    public var databases: [File]

    public init(cluster: PostgresCluster, pod: String, globals: File, databases: [File]) {
        self.cluster = cluster
        self.pod = pod
        self.globals = globals
        self.databases = databases
    }

    public var bytes: Int { globals.bytes + databases.reduce(0) { $0 + $1.bytes } }
    /// `miniflux/blumeops-pg: miniflux, grafana`.
    public var summary: String { "\(cluster.description): \(databases.map(\.name).joined(separator: ", "))" }

    /// The file names of a cluster's dump in a backup's directory.
    public static func fileName(_ cluster: PostgresCluster, _ part: String, ext: String) -> String {
        "\(cluster.namespace)__\(cluster.name).\(part).\(ext)"
    }

    /// The databases a dump covers: all but templates and the maintenance database.
    public static let listDatabases = "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres' ORDER BY 1"
}
