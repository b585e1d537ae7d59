import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// The docker driver against a real Docker engine (scripts/test-engines): the node is a real
/// container with a real containerd, its registry a real registry container, and moor reads
/// `docker port`, `docker inspect` and `docker events` from the real CLI. Serialized: one of
/// them restarts dockerd.
@Suite(.serialized, .enabled(if: RealEngine.enabled, "no Docker engine answers; run `eval \"$(scripts/test-engines up)\"`"))
struct RealEngineTests {
    @Test func upCreatesTheNodeAndTheTailnetForwardsToItsRealPort() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0) }
        defer { engine.close() }
        #expect(try engine.containerID() == nil)
        let up = try await engine.lab.moor("up")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        let labels = try RealEngine.dockerOK(["container", "inspect", "--format", "{{json .Config.Labels}}", engine.profile])
        #expect(labels.contains("\"name.minikube.sigs.k8s.io\":\"\(engine.profile)\""), "\(labels)")
        let port = try #require(try engine.hostPort())
        #expect(engine.serveTarget == "localhost:\(port)")
        // Through the forward's target, TLS meets the node's API server with the lab's names.
        let names = try servedNames("127.0.0.1:\(port)")
        #expect(names.contains("k8s.tail8d86e.ts.net") && names.contains("indri") && names.contains("control-plane.minikube.internal"), "\(names)")
        let again = try await engine.lab.moor("plan")
        #expect(again.exit == 0, "a second plan has nothing to do: \(again.stdout)")
    }

    @Test func aDockerRestartMovesThePortAndOneUpFollowsIt() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0) }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let before = try #require(try engine.hostPort())
        try RealEngine.dockerOK(["restart", engine.profile])
        let after = try #require(try engine.hostPort())
        #expect(after != before, "docker restart kept port \(before)")
        let plan = try await engine.lab.moor("plan", "-o", "json")
        let changes = try plan.json()["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 1, "\(plan.stdout)")
        #expect((changes.first?["resource"] as? String)?.hasPrefix("expose") == true, "\(plan.stdout)")
        #expect(plan.stdout.contains("localhost:\(after)"), "\(plan.stdout)")
        let up = try await engine.lab.moor("up")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect(engine.serveTarget == "localhost:\(after)")
        let second = try await engine.lab.moor("up", "-o", "json")
        #expect(second.exit == 0)
        #expect((try second.json()["applied"] as? [Any])?.isEmpty ?? true, "a second up does nothing: \(second.stdout)")
        #expect(engine.lab.calls(["tailscale", "serve", "--bg"]).count == 2)
    }

    @Test func theNodesContainerdPullsThroughTheMirrorMoorWrote() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0) }
        defer { engine.close() }
        try engine.pushPullImage()
        #expect(try await engine.lab.moor("up").exit == 0)
        let file = try engine.inNode("cat /etc/containerd/certs.d/docker.io/hosts.toml")
        #expect(file.contains("[host.\"http://registry.test:5000\"]"), "\(file)")
        // moor restarted the node's containerd after writing (the node's systemctl logs each start).
        let starts = try engine.inNode("cat /var/log/containerd.starts").split(separator: "\n")
        #expect(starts.count == 2, "containerd started at boot, then by moor: \(starts)")

        let pull = ["ctr", "image", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/busybox:moor-test"]
        let pulled = try RealEngine.docker(["exec", engine.profile] + pull)
        #expect(pulled.exitCode == 0, "\(pulled.stdout)\(pulled.stderr)")
        let log = try engine.registryLog()
        let asked = log.contains("/v2/library/busybox/manifests/moor-test?ns=docker.io")
        #expect(asked, "the registry's log ends: \(log.suffix(1500))")

        // Without the mirror the same pull goes to Docker Hub, which this network cannot reach.
        try engine.lab.writeLab(EngineLab.text(profile: engine.profile, mirror: false))
        let plan = try await engine.lab.moor("plan")
        #expect(plan.stdout.contains("remove mirror:docker.io"), "\(plan.stdout)")
        #expect(try await engine.lab.moor("up").exit == 0)
        let file2 = try engine.inNode("cat /etc/containerd/certs.d/docker.io/hosts.toml 2>/dev/null || true")
        #expect(!file2.contains("registry.test"), "\(file2)")
        _ = try RealEngine.docker(["exec", engine.profile, "ctr", "image", "rm", "docker.io/library/busybox:moor-test"])
        let requests = try engine.registryLog().components(separatedBy: "ns=docker.io").count
        let unmirrored = try RealEngine.docker(["exec", engine.profile] + pull)
        #expect(unmirrored.exitCode != 0)
        #expect(unmirrored.stderr.contains("registry-1.docker.io"), "\(unmirrored.stderr)")
        #expect(try engine.registryLog().components(separatedBy: "ns=docker.io").count == requests, "the registry was asked again")
    }

    @Test func migrateKeepsAVolumeWrittenInTheRealNode() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0, cpus: 2) }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let before = try #require(try engine.containerID())
        _ = try engine.inNode(#"""
            set -e
            cd /tmp/hostpath-provisioner
            mkdir -p default/data-pg-0 "monitoring/grafana" secure empty/dir
            printf '16\n' > default/data-pg-0/PG_VERSION
            printf 'a b c' > "default/data-pg-0/with space.txt"
            printf 'sqlite' > "monitoring/grafana/ünïcødé 🚀.db"
            head -c 300000 /dev/urandom > monitoring/grafana/blob
            ln -s grafana monitoring/link
            printf 'root only' > secure/root-only
            chmod 0400 secure/root-only
            chown 999:999 default/data-pg-0/PG_VERSION
            chmod 0700 default/data-pg-0
            """#)
        let snapshot = #"cd /tmp/hostpath-provisioner && find . -mindepth 1 | sort | while read -r f; do printf '%s %s ' "$f" "$(stat -c '%F %a %u:%g %s' "$f")"; if [ -f "$f" ] && [ ! -L "$f" ]; then sha256sum < "$f" | cut -d ' ' -f 1; elif [ -L "$f" ]; then readlink "$f"; else echo; fi; done"#
        let written = try engine.inNode(snapshot)
        #expect(written.contains("PG_VERSION regular file 644 999:999"), "\(written)")

        try engine.lab.writeLab(EngineLab.text(profile: engine.profile, cpus: 3))
        let migrate = try await engine.lab.moor("migrate")
        #expect(migrate.exit == 0, "\(migrate.stdout)\(migrate.stderr)")
        let after = try #require(try engine.containerID())
        #expect(after != before, "the node container was recreated")
        #expect(try engine.inNode(snapshot) == written)
        #expect(try engine.hostPort().map { "localhost:\($0)" } == engine.serveTarget)
    }

    @Test func aBackupOfTheRealNodeComesBackAfterTheNodeIsDeletedBehindMoorsBack() async throws {
        let api = try await KubeAPIServer.start()
        defer { Task { await api.stop() } }
        let engine = try EngineLab(realKubectl: true) { EngineLab.text(profile: $0, mirror: false) + "kubeContext: emulator\nbackups: {}\n" }
        defer { engine.close() }
        engine.lab.extraEnvironment["KUBECONFIG"] = try engine.lab.scratch.write("kubeconfig", api.kubeconfig(context: "emulator"))
        let up = try await engine.lab.moor("up")
        #expect(up.exit == 0, "\(up.stderr)")
        _ = try engine.inNode(#"""
            set -e
            mkdir -p /tmp/hostpath-provisioner/media/jellyfin/metadata
            cd /tmp/hostpath-provisioner/media/jellyfin
            printf 'library' > "metadata/ünïcødé 🚀.nfo"
            head -c 400000 /dev/urandom > library.db
            ln -s library.db current
            chown 1000:1000 library.db
            chmod 0600 library.db
            """#)
        try api.store.put(json: #"{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"jellyfin","namespace":"media"},"spec":{"storageClassName":"standard","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}}}"#)
        let snapshot = #"cd /tmp/hostpath-provisioner/media/jellyfin && find . -mindepth 1 | sort | while read -r f; do printf '%s %s ' "$f" "$(stat -c '%F %a %u:%g %s' "$f")"; if [ -f "$f" ] && [ ! -L "$f" ]; then sha256sum < "$f" | cut -d ' ' -f 1; elif [ -L "$f" ]; then readlink "$f"; else echo; fi; done"#
        let written = try engine.inNode(snapshot)
        #expect(written.contains("./library.db regular file 600 1000:1000 400000"), "\(written)")

        let backup = try await engine.lab.moor("backup", "-o", "json")
        #expect(backup.exit == 0, "\(backup.stdout)\(backup.stderr)")
        let id = try #require((try backup.json()["backups"] as? [[String: Any]])?.first?["id"] as? String)
        let before = try #require(try engine.containerID())

        _ = try await LocalRunner(environment: engine.lab.environment).output(Command("minikube", ["delete", "-p", engine.profile]))
        #expect(try engine.containerID() == nil, "the node container is gone")
        api.store.removeAll()
        let plan = try await engine.lab.moor("plan")
        #expect(plan.stdout.contains("restore backup \(id) ("), "\(plan.stdout)")
        let again = try await engine.lab.moor("up")
        #expect(again.exit == 0, "\(again.stdout)\(again.stderr)")
        #expect(try engine.containerID() != before, "a new node container")
        #expect(try engine.inNode(snapshot) == written, "the same bytes, modes, owners and links in the new node")
    }

    @Test func doctorFindsAStaleCNIConfigInTheRealNodeAndMovesItAside() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0) }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let clean = try await engine.lab.moor("doctor", "--only", "cni-conflict", "-o", "json")
        #expect(clean.stdout.contains("\"verdict\" : \"ok\"") || clean.stdout.contains("\"verdict\":\"ok\""), "\(clean.stdout)\(clean.stderr)")
        _ = try engine.inNode("cat > /etc/cni/net.d/1-k8s.conflist", stdin: try Fixtures.text("cni/1-k8s.conflist.minikube-bridge.rendered.DERIVED.json"))
        let broken = try await engine.lab.moor("doctor", "--only", "cni-conflict", "-o", "json")
        #expect(broken.stdout.contains("fail"), "\(broken.stdout)")
        #expect(broken.stdout.contains("1-k8s.conflist"), "\(broken.stdout)")
        _ = try await engine.lab.moor("doctor", "--only", "cni-conflict", "--fix")
        let listing = try engine.inNode("ls /etc/cni/net.d")
        #expect(listing.split(separator: "\n").sorted() == ["1-k8s.conflist.mk_disabled", "10-kindnet.conflist"], "\(listing)")
    }
}
