import Crypto
import Foundation
import Testing
import Subprocess
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor migrate` and `moor rollback` through the binary, against stand-ins whose node
/// directories are real: qemu2 → docker with every byte, mode and owner of the volumes kept.
@Suite(.serialized) struct MigrateTests {
    static let volumes = "/tmp/hostpath-provisioner"

    /// A qemu2 cluster (what the seed migrated from) holding volume data; the lab asks for docker.
    static func qemu2Lab(bigFile: Bool) async throws -> Homelab {
        let lab = try Homelab(lab: Labs.seed(runtime: "containerd"))
        _ = try await LocalRunner(environment: lab.environment).output(Command("minikube", [
            "start", "-p", "minikube", "--driver=qemu2", "--container-runtime=containerd", "--cpus=4", "--memory=8192mb", "--disk-size=100g",
            "--apiserver-names=k8s.tail8d86e.ts.net", "--apiserver-names=indri", "--apiserver-port=6443", "--listen-address=0.0.0.0"]))
        let root = lab.world.nodeRoot("minikube") + volumes
        let fm = FileManager.default
        for (name, text) in [("default/data-pg-0/PG_VERSION", "16\n"), ("default/data-pg-0/with space.txt", "a b c"),
                             ("monitoring/grafana/ünïcødé 🚀.db", "sqlite"), ("monitoring/grafana/-leading-dash", "dash")] {
            try fm.createDirectory(atPath: (root + "/" + name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + name, atomically: false, encoding: .utf8)
        }
        try fm.createDirectory(atPath: root + "/empty/dir", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/monitoring/link", withDestinationPath: "grafana")
        try fm.createDirectory(atPath: root + "/secure", withIntermediateDirectories: true)
        try "root only".write(toFile: root + "/secure/root-only", atomically: false, encoding: .utf8)
        chmod(root + "/secure/root-only", 0o400)
        chown(root + "/default/data-pg-0/PG_VERSION", 999, 999)   // postgres's uid in its image
        chmod(root + "/default/data-pg-0", 0o700)
        if bigFile {
            _ = try await LocalRunner().output(Command("head", ["-c", "200000000", "/dev/urandom"]).writing(to: root + "/big/blob"))
        }
        return lab
    }

    /// Every entry of a tree: type, mode, owner, size and sha256 (or link target).
    static func snapshot(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for case let relative as String in FileManager.default.enumerator(atPath: root)?.allObjects ?? [] {
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            var line = "mode \(String(info.st_mode, radix: 8)) owner \(info.st_uid):\(info.st_gid)"
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                var hash = SHA256()
                let handle = try #require(FileHandle(forReadingAtPath: path))
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
                line += " size \(info.st_size) sha256 \(hash.finalize().map { String(format: "%02x", $0) }.joined())"
            case S_IFLNK:
                line += " -> \(try FileManager.default.destinationOfSymbolicLink(atPath: path))"
            default: break
            }
            result[relative] = line
        }
        return result
    }

    @Test func migrateKeepsEveryByteModeAndOwnerAndRollbackBringsQemu2Back() async throws {
        let lab = try await Self.qemu2Lab(bigFile: true)
        let before = try Self.snapshot(lab.world.nodeRoot("minikube") + Self.volumes)
        #expect(before.count == 15, "\(before.keys.sorted())")

        let dry = try await lab.moor("migrate", "--dry-run")
        #expect(dry.exit == 0, "\(dry.stderr)")
        for step in ["preflight", "snapshot", "backup", "delete", "create", "restore", "converge", "checks"] { #expect(dry.stdout.contains(step)) }
        #expect(dry.stdout.contains("dry run: nothing changed"))
        #expect(lab.world.load().profiles["minikube"]?.driver == "qemu2")

        let migrated = try await lab.moor("migrate")
        #expect(migrated.exit == 0, "\(migrated.stdout)\(migrated.stderr)")
        #expect(lab.world.load().profiles["minikube"]?.driver == "docker")
        let after = try Self.snapshot(lab.world.nodeRoot("minikube") + Self.volumes)
        #expect(after == before, "the volumes differ after the migration")
        let backups = lab.scratch.path + "/state/backups/1"
        #expect((try FileManager.default.attributesOfItem(atPath: backups)[.posixPermissions] as? Int) == 0o700)
        #expect((try FileManager.default.attributesOfItem(atPath: backups + "/hostpath.tar")[.posixPermissions] as? Int) == 0o600)
        #expect(try await lab.moor("plan").exit == 0, "the lab file holds after the migration")

        let runs = try #require(try await lab.moor("history", "-o", "json").json()["runs"] as? [[String: Any]])
        let run = try #require(runs.first { $0["command"] as? String == "migrate" })
        let steps = try await lab.moor("history", String(run["id"] as? Int ?? 0))
        for step in ["step:preflight", "step:backup", "step:delete", "step:restore", "step:checks"] { #expect(steps.stdout.contains(step), "\(steps.stdout)") }

        let rolled = try await lab.moor("rollback")
        #expect(rolled.exit == 0, "\(rolled.stdout)\(rolled.stderr)")
        #expect(lab.world.load().profiles["minikube"]?.driver == "qemu2")
        #expect(try Self.snapshot(lab.world.nodeRoot("minikube") + Self.volumes) == before)
        #expect(rolled.stdout.contains("cluster.driver: the lab file asks for docker, the cluster is back at qemu2"), "\(rolled.stdout)")
    }

    @Test func anInterruptedMigrationResumesAtEveryStep() async throws {
        let lab = try await Self.qemu2Lab(bigFile: false)
        let before = try Self.snapshot(lab.world.nodeRoot("minikube") + Self.volumes)
        // A tool fails at each step in turn; every rerun gets one step further.
        let faults = [("docker", "MemTotal"), ("minikube", "-cf"), ("minikube", "delete"), ("minikube", "start"), ("minikube", "-xpf"),
                      ("tailscale", "--bg")]
        for (tool, match) in faults { try lab.world.injectFault(tool: tool, match: match) }
        var failures = 0
        for _ in faults {
            let run = try await lab.moor("migrate")
            #expect(run.exit == 1, "\(run.stdout)\(run.stderr)")
            if run.exit == 1 { failures += 1 }
        }
        #expect(failures == faults.count)
        // And Ctrl-C while nothing is left but the checks' neighbours: a hang in the converge step.
        try lab.world.injectHang(tool: "tailscale", match: "--bg")
        let world = lab.world
        let (status, _) = try await lab.moorSignalled(.interrupt, ["migrate"]) { world.hungPID != nil }
        #expect(status == 130)
        let finished = try await lab.moor("migrate")
        #expect(finished.exit == 0, "\(finished.stdout)\(finished.stderr)")
        #expect(finished.stdout.contains("already done"))
        #expect(lab.world.load().profiles["minikube"]?.driver == "docker")
        #expect(try Self.snapshot(lab.world.nodeRoot("minikube") + Self.volumes) == before, "no backup was ever taken from the new, empty cluster")
        let archives = lab.world.calls().filter { $0.joined(separator: " ").contains("-cf - .") }
        #expect(archives.count == 2, "the faulted attempt and the one backup, both of the old cluster: \(archives.count)")
    }

    /// A migration stopped after its backup (the delete failed), and one byte of that backup
    /// changed since: the lab and the archive's path.
    static func corruptedBackup() async throws -> (Homelab, String) {
        let lab = try await Self.qemu2Lab(bigFile: false)
        try lab.world.injectFault(tool: "minikube", match: "delete")
        #expect(try await lab.moor("migrate").exit == 1)
        let tar = lab.scratch.path + "/state/backups/1/hostpath.tar"
        var data = try Data(contentsOf: URL(fileURLWithPath: tar))
        let offset = try #require(data.range(of: Data("sqlite".utf8))).lowerBound
        data[offset] = UInt8(ascii: "S")
        try data.write(to: URL(fileURLWithPath: tar))
        return (lab, tar)
    }

    @Test func aCorruptedBackupStopsTheMigrationBeforeTheDelete() async throws {
        let (lab, tar) = try await Self.corruptedBackup()
        let run = try await lab.moor("migrate")
        #expect(run.exit == 1)
        #expect(run.stderr.contains("the backup \(tar) does not match the volumes it was taken from: monitoring/grafana/ünïcødé 🚀.db differs"), "\(run.stderr)")
        #expect(run.stderr.contains("the cluster is not deleted"))
        #expect(lab.world.load().profiles["minikube"]?.driver == "qemu2", "the old cluster is still there")
    }

    @Test func preflightRefusesWhenTheStateDirectoryLacksRoom() async throws {
        let lab = try await Self.qemu2Lab(bigFile: false)
        try lab.world.update { $0.duOverrideKiB = 1 << 40 }
        let run = try await lab.moor("migrate")
        #expect(run.exit == 1)
        #expect(run.stderr.contains("not enough room for the backup"), "\(run.stderr)")
        #expect(lab.world.load().profiles["minikube"]?.driver == "qemu2")
        #expect(!lab.world.calls().contains { $0.contains("delete") })
    }
}

extension Command {
    func writing(to path: String) -> Command {
        var command = self
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        command.stdoutFile = path
        return command
    }
}
