import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// A homelab whose apps keep data on claims: stand-in minikube (a real node directory),
/// docker and tailscale; the real kubectl against the API emulator, whose volume controller
/// binds claims as minikube's hostpath provisioner does; ArgoCD installed from a manifest
/// served on loopback.
final class BackupLab: @unchecked Sendable {
    let lab: Homelab
    let api: KubeAPIServer
    let manifestServer: TestServer
    static let repo = "ssh://forgejo@forge.tail8d86e.ts.net/eblume/blumeops.git"
    static let commit = "4c1ab1e0c2f8d5e6a7b8c9d0e1f2a3b4c5d6e7f8"
    static let volumes = "/tmp/hostpath-provisioner"

    init(backups: String = "backups:\n  schedule: daily 02:30\n") async throws {
        lab = try Homelab(lab: "version: 1\n", standIns: ["minikube", "docker", "tailscale", "op"])
        api = try await KubeAPIServer.start()
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube"))
        manifestServer = try await lab.serveArgoInstallManifest()
        try lab.writeLab(SeedLab.text(runtime: "containerd") + """
            kubeContext: minikube
            gitops:
              argocd:
                namespace: argocd
                revision: \(Self.commit)
                apps: [apps, grafana, miniflux]
                install:
                  manifest: https://127.0.0.1:\(manifestServer.port)/v3.1.9/install.yaml
                root:
                  name: apps
                  repoURL: \(Self.repo)
                  path: argocd/apps
            \(backups)
            """)
        seedArgo()
    }

    deinit { Task { [manifestServer] in await manifestServer.stop() } }

    /// What ArgoCD's repository holds: the app of apps and its two children.
    func seedArgo() {
        func child(_ name: String) -> [String: Any] {
            ["metadata": ["name": name, "namespace": "argocd"],
             "spec": ["project": "default", "source": ["repoURL": Self.repo, "path": "argocd/manifests/\(name)", "targetRevision": "main"],
                      "destination": ["server": "https://kubernetes.default.svc", "namespace": name]]]
        }
        api.store.commits = ["\(Self.repo)@main": Self.commit]
        api.store.appOfApps = ["\(Self.repo)@argocd/apps": [child("grafana"), child("miniflux")]]
    }

    /// A claim as an app's manifest makes it (bound by the emulator's controller when read).
    func claim(_ namespace: String, _ name: String) throws {
        try api.store.put(json: #"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{"storageClassName":"standard","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}}}}"#)
    }

    var volumeRoot: String { lab.world.nodeRoot("minikube") + Self.volumes }

    /// Writes a file into a claim's directory on the node.
    func write(_ relative: String, _ text: String) throws {
        let path = volumeRoot + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// The cluster is lost behind moor's back: minikube deleted (its node and every object in it).
    func loseCluster() async throws {
        _ = try await LocalRunner(environment: lab.environment).output(Command("minikube", ["delete", "-p", "minikube"]))
        api.store.removeAll()
        seedArgo()
    }

    /// The apps' data as it stands, then backed up: two claims with files.
    func populate() async throws {
        let up = try await lab.moor("up", "--timeout", "30s")
        #expect(up.exit == 0, "\(up.stderr)")
        try claim("monitoring", "grafana")
        try claim("miniflux", "data")
        try write("monitoring/grafana/grafana.db", "sqlite format 3 \u{0}dashboards")
        try write("monitoring/grafana/plugins/a b.json", "{}")
        try write("miniflux/data/feeds.opml", String(repeating: "<outline/>\n", count: 2000))
    }

    /// The miniflux database on the real PostgreSQL (CI's server) behind a CloudNativePG
    /// cluster `miniflux/miniflux-pg` whose primary pod `kubectl exec`s there; its objects are
    /// what the miniflux app's sync creates again. Nil without a server (outside CI).
    func postgres() async throws -> TestDatabase? {
        guard let database = try await TestDatabase.make() else { return nil }
        let cluster: [String: Any] = ["apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
                                      "metadata": ["name": "miniflux-pg", "namespace": "miniflux"],
                                      "spec": ["instances": 1, "bootstrap": ["initdb": ["database": database.name]]],
                                      "status": ["currentPrimary": "miniflux-pg-1", "phase": "Cluster in healthy state"]]
        let pod: [String: Any] = ["apiVersion": "v1", "kind": "Pod",
                                  "metadata": ["name": "miniflux-pg-1", "namespace": "miniflux",
                                               "labels": ["cnpg.io/cluster": "miniflux-pg", "cnpg.io/instanceRole": "primary"]],
                                  "spec": ["containers": [["name": "postgres", "image": "ghcr.io/cloudnative-pg/postgresql:16"]],
                                           "volumes": [["name": "pgdata", "persistentVolumeClaim": ["claimName": "miniflux-pg-1"]]]],
                                  "status": ["phase": "Running", "conditions": [["type": "Ready", "status": "True"]]]]
        let claim: [String: Any] = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "miniflux-pg-1", "namespace": "miniflux"],
                                    "spec": ["storageClassName": "standard", "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "10Gi"]]]]
        api.store.appResources = ["miniflux": [cluster, pod, claim]]
        for object in [cluster, pod, claim] { try api.store.put(json: String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)) }
        api.store.execEnvironment = ["miniflux/miniflux-pg-1": database.environment]
        // A running PostgreSQL's files on its claim: never what the backup archives.
        try write("miniflux/miniflux-pg-1/pgdata/PG_VERSION", "16\n")
        return database
    }

    func backup() async throws -> [String: Any] {
        let run = try await lab.moor("backup", "-o", "json")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        return try #require((try run.json()["backups"] as? [[String: Any]])?.first)
    }
}

@Suite(.serialized) struct BackupTests {
    @Test func aLostClusterComesBackWithItsDataInOneUp() async throws {
        let setup = try await BackupLab()
        let lab = setup.lab
        try await setup.populate()
        let database = try await setup.postgres()
        defer { if let database { Task { await database.drop() } } }
        try? FileManager.default.removeItem(atPath: setup.volumeRoot + "/miniflux/miniflux-pg-1")
        let before = try MigrateTests.snapshot(setup.volumeRoot)
        #expect(before.count == 8, "\(before.keys.sorted())")
        if database != nil { try setup.write("miniflux/miniflux-pg-1/pgdata/PG_VERSION", "16\n") }

        let backup = try await setup.backup()
        let id = try #require(backup["id"] as? String)
        #expect(id.hasPrefix("minikube-"))
        #expect(backup["verified"] as? Bool == true && backup["cluster"] as? String == "minikube")
        let claims = try #require(backup["claims"] as? [[String: Any]])
        if let database {
            #expect(claims.compactMap { $0["claim"] as? String } == ["miniflux/data", "miniflux/miniflux-pg-1", "monitoring/grafana"])
            #expect(claims.compactMap { $0["kind"] as? String } == ["files", "logical", "files"], "the PostgreSQL claim is dumped, not copied")
            #expect(backup["kind"] as? String == "files+logical")
            let dumps = try #require(backup["databases"] as? [[String: Any]])
            #expect(dumps.first?["cluster"] as? String == "miniflux/miniflux-pg" && (dumps.first?["databases"] as? [String])?.contains(database.name) == true, "\(dumps)")
            let execs = setup.api.store.execs.map { $0.command.first ?? "" }
            #expect(execs.contains("pg_dump") && execs.contains("pg_dumpall"), "\(execs)")
            #expect(!FileManager.default.fileExists(atPath: (backup["directory"] as? String ?? "") + "/miniflux__miniflux-pg-1.tar"))
        } else {
            #expect(claims.compactMap { $0["claim"] as? String } == ["miniflux/data", "monitoring/grafana"])
            #expect(backup["kind"] as? String == "files")
        }
        #expect(claims.filter { $0["kind"] as? String == "files" }.compactMap { $0["files"] as? Int } == [1, 2])
        #expect((backup["bytes"] as? Int ?? 0) > 22_000)
        let directory = try #require(backup["directory"] as? String)
        #expect(directory == lab.scratch.path + "/state/backups/minikube/" + id)
        var info = stat()
        #expect(stat(directory, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(directory + "/monitoring__grafana.tar", &info) == 0 && info.st_mode & 0o777 == 0o600)

        let listed = try await lab.moor("backups", "-o", "json")
        #expect(listed.exit == 0)
        #expect((try listed.json()["backups"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
        let text = try await lab.moor("backups")
        #expect(text.stdout.contains(id) && text.stdout.contains(database == nil ? "miniflux/data, monitoring/grafana" : "miniflux/data, miniflux/miniflux-pg-1, monitoring/grafana") && text.stdout.contains("✓ yes"), "\(text.stdout)")
        let verified = try await lab.moor("backups", "verify", id)
        #expect(verified.exit == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("3 file(s) in \(database == nil ? 2 : 3) claim(s) match"), "\(verified.stdout)")

        try await setup.loseCluster()
        if let database { try await database.dropForLoss() }
        try? FileManager.default.removeItem(atPath: setup.volumeRoot)
        #expect(!FileManager.default.fileExists(atPath: setup.volumeRoot))

        let plan = try await lab.moor("plan")
        #expect(plan.exit == 2)
        #expect(plan.stdout.contains("restore backup \(id) ("), "\(plan.stdout)")
        #expect(plan.stdout.contains("\(database == nil ? 2 : 3) claims, "), "\(plan.stdout)")
        if let database { #expect(plan.stdout.contains("restore miniflux/miniflux-pg: \(database.name)"), "\(plan.stdout)") }
        let unwanted = try await lab.moor("plan", "--no-restore")
        #expect(!unwanted.stdout.contains("restore backup"), "\(unwanted.stdout)")
        let planned = try await lab.moor("plan", "-o", "json")
        let resources = (try planned.json()["changes"] as? [[String: Any]])?.compactMap { $0["resource"] as? String } ?? []
        let volumes = try #require(resources.firstIndex(of: "volumes:minikube"))
        #expect(resources.firstIndex(of: "cluster")! < volumes && volumes < resources.firstIndex(of: "argocd")!, "restored after the cluster is created, before ArgoCD: \(resources)")

        let up = try await lab.moor("up", "-o", "json", "--timeout", "30s")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        let apps = try #require(try up.json()["apps"] as? [[String: Any]])
        #expect(apps.map { "\($0["name"]!)=\($0["health"]!)" }.sorted() == ["apps=Healthy", "grafana=Healthy", "miniflux=Healthy"])
        var after = try MigrateTests.snapshot(setup.volumeRoot)
        for key in after.keys where key.hasPrefix("miniflux/miniflux-pg-1") { after[key] = nil }
        #expect(after == before, "the same bytes, modes and owners are back")
        if let database {
            #expect(try await database.rows() == database.expected, "the same rows are back")
            #expect(up.stdout.contains("databases:minikube") || up.stderr.contains("restoring PostgreSQL miniflux/miniflux-pg"), "\(up.stderr)")
        }

        // The claims the apps create again bind to the restored volumes, not new empty ones.
        let restoredVolumes = setup.api.store.names(apiVersion: "v1", kind: "PersistentVolume")
        #expect(restoredVolumes.count == 2, "the two file claims' volumes are back before ArgoCD syncs: \(restoredVolumes)")
        try setup.claim("monitoring", "grafana")
        let bound = try await LocalRunner(environment: lab.environment).output(Command("kubectl", ["--context=minikube", "-n", "monitoring", "get", "persistentvolumeclaims", "grafana", "-o", "jsonpath={.spec.volumeName} {.status.phase}"]))
        let volume = try #require(setup.api.store.get(apiVersion: "v1", kind: "PersistentVolume", namespace: nil, name: String(bound.split(separator: " ")[0])))
        #expect(bound.hasSuffix(" Bound") && volume.contains(#""persistentVolumeReclaimPolicy":"Retain""#) && volume.contains("/tmp/hostpath-provisioner/monitoring/grafana"), "\(bound) \(volume)")
        let volumesNow = setup.api.store.names(apiVersion: "v1", kind: "PersistentVolume")
        #expect(Set(restoredVolumes).isSubset(of: volumesNow) && volumesNow.count == 2 + (database == nil ? 0 : 1),
                "no new volume for a restored claim (the PostgreSQL claim gets a new one, filled by pg_restore): \(volumesNow)")

        let again = try await lab.moor("up", "-o", "json")
        #expect(again.exit == 0)
        #expect((try again.json()["applied"] as? [Any])?.isEmpty == true, "a second up restores nothing")
    }

    @Test func aCorruptedArchiveIsNamedAndNothingIsRestored() async throws {
        let setup = try await BackupLab()
        let lab = setup.lab
        try await setup.populate()
        let id = try #require(try await setup.backup()["id"] as? String)
        let archive = lab.scratch.path + "/state/backups/minikube/\(id)/miniflux__data.tar"
        // One byte of feeds.opml's content flips (its data begins after the 512-byte headers).
        let handle = try #require(FileHandle(forUpdatingAtPath: archive))
        let offset = try #require(Self.dataOffset(archive, of: "feeds.opml"))
        try handle.seek(toOffset: UInt64(offset + 100))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()

        let verify = try await lab.moor("backups", "verify", id)
        #expect(verify.exit == 1)
        #expect(verify.stderr.contains(archive) && verify.stderr.contains("feeds.opml differs"), "\(verify.stderr)")

        try await setup.loseCluster()
        let up = try await lab.moor("up", "--timeout", "30s")
        #expect(up.exit != 0)
        #expect(up.stderr.contains("feeds.opml differs") && up.stderr.contains("nothing was restored"), "\(up.stderr)")
        #expect(!FileManager.default.fileExists(atPath: setup.volumeRoot + "/monitoring/grafana"), "not even the intact claim")
        #expect(setup.api.store.names(apiVersion: "argoproj.io/v1alpha1", kind: "Application").isEmpty, "ArgoCD did not sync apps onto empty volumes")

        // The owner decides: start empty.
        let fresh = try await lab.moor("up", "--no-restore", "--timeout", "30s")
        #expect(fresh.exit == 0, "\(fresh.stderr)")
    }

    @Test func aRestoreThatFailsHalfWayIsFinishedByTheNextUp() async throws {
        let setup = try await BackupLab()
        let lab = setup.lab
        try await setup.populate()
        let before = try MigrateTests.snapshot(setup.volumeRoot)
        let id = try #require(try await setup.backup()["id"] as? String)
        try await setup.loseCluster()
        // The second claim's unpacking fails: the cluster is there, one claim restored.
        try lab.world.injectFault(tool: "minikube", match: "sh /tmp/hostpath-provisioner/monitoring/grafana restore-")
        let first = try await lab.moor("up", "--timeout", "30s")
        #expect(first.exit == 1, "\(first.stderr)")
        #expect(first.stderr.contains("injected failure"), "\(first.stderr)")
        #expect(setup.api.store.names(apiVersion: "argoproj.io/v1alpha1", kind: "Application").isEmpty, "ArgoCD waits for the volumes")
        let plan = try await lab.moor("plan")
        #expect(plan.stdout.contains("restore backup \(id) (") && plan.stdout.contains("(resuming)"), "\(plan.stdout)")
        let second = try await lab.moor("up", "--timeout", "30s")
        #expect(second.exit == 0, "\(second.stderr)")
        #expect(try MigrateTests.snapshot(setup.volumeRoot) == before)
        #expect(try await lab.moor("plan").exit == 0, "nothing left to do")
    }

    @Test func aFullDiskOrAVanishedMountKeepsTheLastGoodBackup() async throws {
        let setup = try await BackupLab()
        let lab = setup.lab
        try await setup.populate()
        let good = try #require(try await setup.backup()["id"] as? String)

        try lab.world.update { $0.duOverrideKiB = 900 << 30 }
        let full = try await lab.moor("backup")
        #expect(full.exit == 1)
        #expect(full.stderr.contains("not enough room for the backup of cluster `minikube`") && full.stderr.contains("the last good backup \(good) is kept"), "\(full.stderr)")
        try lab.world.update { $0.duOverrideKiB = nil }

        // A tool failing half-way (the second claim's archive): nothing of the attempt is kept.
        try lab.world.injectFault(tool: "minikube", match: "-cf - .' sh /tmp/hostpath-provisioner/monitoring/grafana")
        let broken = try await lab.moor("backup")
        #expect(broken.exit == 1)
        #expect(broken.stderr.contains("the backup of cluster `minikube` failed") && broken.stderr.contains("nothing of it is kept"), "\(broken.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: lab.scratch.path + "/state/backups/minikube")
        #expect(entries == [good], "no partial directory is left: \(entries)")
        let withFailed = try await lab.moor("backups", "--failed", "-o", "json")
        let rows = try #require(try withFailed.json()["backups"] as? [[String: Any]])
        #expect(rows.count == 2 && rows.filter { $0["verified"] as? Bool == false }.count == 1)
        #expect(try await lab.moor("backups", "-o", "json").json()["backups"].map { ($0 as? [Any])?.count } == 1)

        let text = try String(contentsOfFile: lab.labPath, encoding: .utf8)
        try lab.writeLab(text.replacingOccurrences(of: "backups:\n", with: "backups:\n  path: \(lab.scratch.path)/nas/backups\n"))
        let vanished = try await lab.moor("backup")
        #expect(vanished.exit == 3 || vanished.exit == 1)
        #expect(vanished.stderr.contains("backups.path \(lab.scratch.path)/nas/backups does not exist (is the NAS mounted?)"), "\(vanished.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/nas"), "moor does not create a missing mount point")
        // Back up again after a rerun: the same backup goes through.
        try FileManager.default.createDirectory(atPath: lab.scratch.path + "/nas/backups", withIntermediateDirectories: true)
        #expect(try await lab.moor("backup").exit == 0)
    }

    @Test func anInterruptedBackupLeavesNothingAndTheNextOneGoesThrough() async throws {
        let setup = try await BackupLab()
        let lab = setup.lab
        try await setup.populate()
        try lab.world.injectHang(tool: "minikube", match: "tar -C")
        let world = lab.world
        let (status, _) = try await lab.moorSignalled(.interrupt, ["backup"]) { world.hungPID != nil }
        #expect(status == 130)
        let root = lab.scratch.path + "/state/backups/minikube"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).isEmpty, "no partial backup is left")
        let after = try await lab.moor("backups", "--failed", "-o", "json")
        let rows = try #require(try after.json()["backups"] as? [[String: Any]])
        #expect(rows.first?["error"] as? String == "interrupted")
        let backup = try await setup.backup()
        #expect(backup["verified"] as? Bool == true)

        // An app wrecked its data: one claim back from the backup, what was there kept beside it.
        try setup.write("monitoring/grafana/grafana.db", "wrecked")
        let restored = try await lab.moor("backups", "restore", try #require(backup["id"] as? String), "monitoring/grafana")
        #expect(restored.exit == 0, "\(restored.stderr)")
        #expect(try String(contentsOfFile: setup.volumeRoot + "/monitoring/grafana/grafana.db", encoding: .utf8) == "sqlite format 3 \u{0}dashboards")
        let kept = try FileManager.default.contentsOfDirectory(atPath: setup.volumeRoot + "/monitoring").filter { $0.hasPrefix("grafana.moor-replaced-") }
        #expect(kept.count == 1, "\(kept)")
        #expect(try await lab.moor("backups", "restore", try #require(backup["id"] as? String), "media/nope").exit == 64)
    }

    @Test func badBackupsSectionsArePositionedErrors() async throws {
        let lab = try Homelab(lab: SeedLab.text(runtime: "containerd") + """
            backups:
              schedule: weekly
              keep: {daily: -1}
              path: relative/dir
              volumes: [media, "Media/x"]
            """)
        let run = try await lab.moor("validate")
        #expect(run.exit == 65)
        for line in ["backups.schedule` must be `daily HH:MM`", "backups.keep.daily` must be at least 0", "backups.path` must be an absolute path",
                     "backups.volumes[0]` must be a claim as namespace/name", "backups.volumes[1]` must be a claim"] {
            #expect(run.stderr.contains(line), "\(line) in \(run.stderr)")
        }
        #expect(run.stderr.contains(":\(SeedLab.text(runtime: "containerd").split(separator: "\n", omittingEmptySubsequences: false).count + 1):"), "positioned: \(run.stderr)")
    }

    /// Where a file's data starts in a tar archive.
    static func dataOffset(_ archive: String, of name: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: archive) else { return nil }
        var offset = 0
        while offset + 512 <= data.count {
            let header = data[offset..<(offset + 100)]
            let entry = String(decoding: header.prefix { $0 != 0 }, as: UTF8.self)
            let size = Int(String(decoding: data[(offset + 124)..<(offset + 135)].prefix { $0 != 0 && $0 != 0x20 }, as: UTF8.self), radix: 8) ?? 0
            if entry.hasSuffix(name) { return offset + 512 }
            offset += 512 + (size + 511) / 512 * 512
        }
        return nil
    }
}

/// A database of its own on the test's PostgreSQL (CI's server, reached as a superuser role
/// the test makes with `runuser -u postgres`), with three rows.
struct TestDatabase: Sendable {
    let name: String
    let environment: [String: String]
    let expected = ["1|Alpine Linux 3.23 released", "2|Ünïcødé feed ✓", "3|it's \"quoted\""]

    static var expected: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["MOOR_TEST_POSTGRES"] != nil
    }

    static func make() async throws -> TestDatabase? {
        guard expected else { return nil }
        let address = ProcessInfo.processInfo.environment["MOOR_TEST_POSTGRES"] ?? "127.0.0.1:5432"
        let parts = address.split(separator: ":")
        let database = TestDatabase(name: "miniflux_\(UUID().uuidString.prefix(8).lowercased())", environment: [
            "PGHOST": String(parts[0]), "PGPORT": String(parts.last ?? "5432"), "PGUSER": "moor_e2e", "PGPASSWORD": "moor-e2e-pw", "PGDATABASE": "postgres"])
        _ = try await LocalRunner().output(Command("runuser", ["-u", "postgres", "--", "psql", "-X", "-q", "-c",
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'moor_e2e') THEN CREATE ROLE moor_e2e SUPERUSER LOGIN PASSWORD 'moor-e2e-pw'; END IF; END $$"]))
        try await database.psql("postgres", "CREATE DATABASE \(database.name)")
        try await database.psql(database.name, """
            CREATE TABLE entries (id serial PRIMARY KEY, title text NOT NULL);
            INSERT INTO entries (title) VALUES ('Alpine Linux 3.23 released'), ('Ünïcødé feed ✓'), ('it''s "quoted"');
            """)
        return database
    }

    @discardableResult
    func psql(_ database: String, _ sql: String) async throws -> String {
        try await LocalRunner(environment: environment).output(Command("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql]))
    }

    func rows() async throws -> [String] {
        try await psql(name, "SELECT id, title FROM entries ORDER BY id").split(separator: "\n").map(String.init)
    }

    /// The cluster's PostgreSQL is gone with it.
    func dropForLoss() async throws { try await psql("postgres", "DROP DATABASE \(name) WITH (FORCE)") }

    func drop() async { _ = try? await psql("postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}
