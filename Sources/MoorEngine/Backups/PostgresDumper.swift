import Foundation
import MoorCore
import MoorSystem

/// Logical backups of CloudNativePG clusters, taken and restored in the primary's
/// `postgres` container with `kubectl exec`: the dump streams to the backup path and never
/// touches the pod's disk; a restore streams it back into `pg_restore`.
struct PostgresDumper: Sendable {
    let volumes: ClusterVolumes

    var context: MoorContext { volumes.context }

    /// The cluster's CloudNativePG clusters with their claims; none when the CRD is absent.
    func clusters() async throws -> [PostgresCluster] {
        async let listedPods = volumes.kubectl(["get", "pods", "--all-namespaces", "-l", "cnpg.io/cluster", "-o", "json"])
        let clusters: String
        do {
            clusters = try await volumes.kubectl(["get", "clusters.postgresql.cnpg.io", "--all-namespaces", "-o", "json"])
        } catch let error as MoorError where (error.stderrLine ?? "").contains("doesn't have a resource type") {
            _ = try? await listedPods
            return []
        }
        return try PostgresCluster.parse(clusters: clusters, pods: try await listedPods)
    }

    /// `kubectl exec [-i] -n NS POD -c postgres -- WORDS`, stdin and stdout streamed.
    func exec(_ cluster: PostgresCluster, pod: String, _ words: [String], stdinFile: String? = nil, stdoutFile: String? = nil) async throws -> String {
        var command = Command("kubectl", KubectlGitOps.base(volumes.kubeContext) + ["-n", cluster.namespace, "exec"] + (stdinFile == nil ? [] : ["-i"])
                              + [pod, "-c", "postgres", "--"] + words, timeout: .seconds(4 * 3600))
        command.stdinFile = stdinFile
        command.stdoutFile = stdoutFile
        return try await KubectlRun.output(command, runner: context.runner, context: volumes.kubeContext)
    }

    /// Roles, then each database in custom format, into `directory`; each file hashed.
    func dump(_ cluster: PostgresCluster, into directory: String) async throws -> DatabaseDump {
        guard let pod = cluster.primary else {
            throw MoorError(.unavailable, "the CloudNativePG cluster \(cluster.description) has no primary (status.currentPrimary is empty); its claims \(cluster.claims.map(\.description).joined(separator: ", ")) were not backed up")
        }
        context.progress.note("dumping PostgreSQL \(cluster.description) in pod \(pod) (pg_dump, streamed to the backup)")
        let names = try await exec(cluster, pod: pod, ["psql", "-X", "-A", "-t", "-c", DatabaseDump.listDatabases])
            .split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let globalsFile = DatabaseDump.fileName(cluster, "globals", ext: "sql")
        _ = try await exec(cluster, pod: pod, ["pg_dumpall", "--globals-only", "--no-role-passwords"], stdoutFile: directory + "/" + globalsFile)
        let globals = try Self.file("globals", globalsFile, in: directory)
        var databases: [DatabaseDump.File] = []
        for (index, name) in names.enumerated() {
            let file = DatabaseDump.fileName(cluster, "db\(index)", ext: "dump")
            _ = try await exec(cluster, pod: pod, ["pg_dump", "--format=custom", "--dbname=\(name)"], stdoutFile: directory + "/" + file)
            let entry = try Self.file(name, file, in: directory)
            try Self.checkHeader(directory + "/" + file, database: name)
            databases.append(entry)
        }
        return DatabaseDump(cluster: cluster, pod: pod, globals: globals, databases: databases)
    }

    static func file(_ name: String, _ file: String, in directory: String) throws -> DatabaseDump.File {
        let (hex, bytes) = try Digest.sha256(file: directory + "/" + file)
        return DatabaseDump.File(name: name, file: file, bytes: bytes, sha256: hex)
    }

    /// pg_dump's custom format starts with `PGDMP`.
    static func checkHeader(_ path: String, database: String) throws {
        let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 5) } ?? Data()
        guard head == Data("PGDMP".utf8) else {
            throw MoorError(.badOutput, "the dump of database \(database) (\(path)) is not in pg_dump's custom format")
        }
    }

    /// Every file of a dump against the size and sha256 taken when it was written.
    static func verify(_ dump: DatabaseDump, in directory: String) throws {
        for file in [dump.globals] + dump.databases {
            let path = directory + "/" + file.file
            let (hex, bytes) = try Digest.sha256(file: path)
            if hex != file.sha256 || bytes != file.bytes {
                throw MoorError(.refused, "the dump \(path) (database \(file.name) of \(dump.cluster.description)) does not match what was written: \(bytes) bytes, sha256 \(hex.prefix(12))… instead of \(file.bytes) bytes, \(file.sha256.prefix(12))…")
            }
        }
        for file in dump.databases { try checkHeader(directory + "/" + file.file, database: file.name) }
    }

    /// Waits for the cluster's primary to be Ready, then roles, then each database: created
    /// when missing, then `pg_restore --clean --if-exists` in one transaction.
    func restore(_ dump: DatabaseDump, from directory: String, timeout: Duration) async throws -> String {
        try Self.verify(dump, in: directory)
        let cluster = dump.cluster
        let pod = try await readyPrimary(cluster, timeout: timeout)
        context.progress.note("restoring PostgreSQL \(cluster.description) in pod \(pod): \(dump.databases.map(\.name).joined(separator: ", "))")
        _ = try await exec(cluster, pod: pod, ["psql", "-X", "-q", "-f", "-"], stdinFile: directory + "/" + dump.globals.file)
        let scratch = context.stateDirectory + "/restore-\(cluster.name).sql"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for database in dump.databases {
            try context.files.write(Array("SELECT 1 FROM pg_database WHERE datname = :'name';\n".utf8), to: scratch, mode: 0o600)
            let exists = try await exec(cluster, pod: pod, ["psql", "-X", "-A", "-t", "-v", "name=\(database.name)", "-f", "-"], stdinFile: scratch)
            if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                _ = try await exec(cluster, pod: pod, ["createdb", "--", database.name])
            }
            _ = try await exec(cluster, pod: pod, ["pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--dbname=\(database.name)"],
                               stdinFile: directory + "/" + database.file)
        }
        return "\(cluster.description): \(dump.databases.count) database(s) restored with pg_restore in \(pod)"
    }

    /// The primary's pod once it is Running and Ready (CloudNativePG creates it after the
    /// app's sync; a new cluster takes a while to initdb).
    func readyPrimary(_ cluster: PostgresCluster, timeout: Duration) async throws -> String {
        let deadline = context.clock.now + timeout
        var last = "not created yet"
        while true {
            if let current = try? await clusters().first(where: { $0.namespace == cluster.namespace && $0.name == cluster.name }) {
                if let primary = current.primary {
                    let json = try await volumes.kubectl(["-n", cluster.namespace, "get", "pods", primary, "-o", "json"])
                    if Self.isReady(json) { return primary }
                    last = "its primary \(primary) is not Ready"
                } else {
                    last = "it has no primary yet"
                }
            }
            guard context.clock.now < deadline else {
                throw MoorError(.timeout, "the CloudNativePG cluster \(cluster.description) is not ready after \(DurationText.words(timeout)) (\(last)); its databases are not restored yet: `moor up` restores them once it is")
            }
            try await context.clock.sleep(for: .seconds(2))
        }
    }

    static func isReady(_ podJSON: String) -> Bool {
        guard let pod = try? JSONSerialization.jsonObject(with: Data(podJSON.utf8)) as? [String: Any],
              let status = pod["status"] as? [String: Any], status["phase"] as? String == "Running" else { return false }
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        return conditions.isEmpty || conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" }
    }
}
