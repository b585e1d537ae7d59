import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// Backups of a k3s host over a real sshd: the volumes are where local-path put them (read
/// from the PersistentVolumes, not assumed), streamed through `sudo -n` over ssh, and a
/// host that lost k3s and its storage gets both back from one `moor up`.
@Suite(.serialized) struct BackupK3sTests {
    @Test func aLostK3sHostComesBackWithItsVolumesInOneUp() async throws {
        let script = """
            set -e
            printf '%s' "$INSTALL_K3S_VERSION" > "$MOOR_STANDIN_ROOT/.standin/k3s-version"
            systemctl start k3s
            """
        let text = TwoClusterLab.text(extra: "backups:\n  schedule: daily 02:30\n")
            .replacingOccurrences(of: "    provider: k3s\n", with: "    provider: k3s\n    install:\n      version: v1.32.9+k3s1\n      script: install-k3s.sh\n")
        let two = try await TwoClusterLab(text, realKubectl: true)
        _ = try two.lab.scratch.write("install-k3s.sh", script)
        let api = try await KubeAPIServer.start()
        defer { Task { await api.stop() } }
        let lab = two.lab
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "k3s-ringtail"))
        try api.store.put(json: #"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"db"},"spec":{"storageClassName":"local-path","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}}}"#)
        let listed = try await LocalRunner(environment: lab.environment).output(Command("kubectl", ["--context=k3s-ringtail", "get", "persistentvolumes", "-o", "jsonpath={.items[0].spec.hostPath.path}"]))
        #expect(listed.hasPrefix("/var/lib/rancher/k3s/storage/pvc-") && listed.hasSuffix("_db_data"), "\(listed)")
        let directory = two.root + listed
        try FileManager.default.createDirectory(atPath: directory + "/base/1", withIntermediateDirectories: true)
        try "16\n".write(toFile: directory + "/PG_VERSION", atomically: false, encoding: .utf8)
        _ = try await LocalRunner().output(Command("head", ["-c", "300000", "/dev/urandom"]).writing(to: directory + "/base/1/16384"))
        let before = try MigrateTests.snapshot(directory)

        let run = try await lab.moor("backup", "--cluster", "ringtail", "-o", "json")
        #expect(run.exit == 0, "\(run.stdout)\(run.stderr)")
        let backup = try #require((try run.json()["backups"] as? [[String: Any]])?.first)
        let id = try #require(backup["id"] as? String)
        #expect(id.hasPrefix("ringtail-"))
        let claim = try #require((backup["claims"] as? [[String: Any]])?.first)
        #expect(claim["claim"] as? String == "db/data" && claim["path"] as? String == listed && claim["files"] as? Int == 2)
        #expect(lab.world.calls().contains { $0.starts(with: ["sudo", "-n", "sh", "-c"]) && $0.last == listed }, "streamed with sudo -n on the host")
        #expect(try await lab.moor("backups", "verify", id).exit == 0)

        // The host loses k3s and its storage (a reinstall of the OS, say), and the API with it.
        try? FileManager.default.removeItem(atPath: two.root + "/.standin/k3s-version")
        K3sStandIn.setActive(false, root: two.root)
        try FileManager.default.removeItem(atPath: two.root + "/var/lib/rancher/k3s/storage")
        api.store.removeAll()

        let plan = try await lab.moor("plan", "--cluster", "ringtail")
        #expect(plan.stdout.contains("install k3s v1.32.9+k3s1 on ringtail") && plan.stdout.contains("restore backup \(id) ("), "\(plan.stdout)")
        let up = try await lab.moor("up", "--cluster", "ringtail")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        #expect(try MigrateTests.snapshot(directory) == before, "the same bytes, modes and owners at the same path")
        let volume = try #require(api.store.get(apiVersion: "v1", kind: "PersistentVolume", namespace: nil, name: String(listed.split(separator: "/").last!.split(separator: "_")[0])))
        #expect(volume.contains(#""claimRef":{"name":"data","namespace":"db"}"#) && volume.contains(listed), "\(volume)")
        let again = try await lab.moor("up", "--cluster", "ringtail", "-o", "json")
        #expect((try again.json()["applied"] as? [Any])?.isEmpty == true, "\(again.stdout)\(again.stderr)")
    }
}
