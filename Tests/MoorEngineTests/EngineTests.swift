import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import MoorTestSupport

/// The engine with a scripted runner: which commands it starts, and what it says when the
/// world does not do what it was told.
@Suite struct EngineTests {
    static let labText = """
        version: 1
        cluster:
          name: minikube
          containerRuntime: RUNTIME
          cpus: 6
          memory: 11264MiB
          apiServer: {port: 6443}
          registryMirrors:
            - {registry: quay.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
            - {registry: ghcr.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
        expose:
          tailscale: {service: "svc:k8s", port: 443}
        """

    let journal: SQLiteJournal
    let runner = FakeRunner()

    init() throws { journal = try TestJournal.make() }

    func engine(runtime: String = "docker") throws -> ResourceEngine {
        let lab = try LabLoader.load(text: Self.labText.replacingOccurrences(of: "RUNTIME", with: runtime), file: "lab.yaml").get()
        return try ResourceEngine(lab: lab, labPath: "lab.yaml", context: MoorContext(runner: runner, journal: journal, stateDirectory: "/nonexistent"))
    }

    func up(runtime: String = "docker", allowRecreate: Bool = false) async throws -> UpReport {
        let engine = try engine(runtime: runtime)
        return try await journal.withRun(command: "up", labFile: "lab.yaml") { try await engine.up(UpOptions(allowRecreate: allowRecreate), run: $0) }
    }

    func profile(runtime: String = "docker", cpus: Int = 6, status: String = "OK") -> String {
        #"{"invalid":[],"valid":[{"Name":"minikube","Status":"\#(status)","Config":{"Driver":"docker","CPUs":\#(cpus),"Memory":11264,"DiskSize":20000,"APIServerPort":6443,"ListenAddress":"","KubernetesConfig":{"ContainerRuntime":"\#(runtime)","APIServerNames":null}}}]}"#
    }

    func files(_ registries: [String]) -> String {
        registries.map { registry in
            HostsToml.render(RegistryMirror(registry: registry, mirror: "http://host.minikube.internal:5050", skipVerify: true))
                .split(separator: "\n").map { "\(HostsToml.path(for: registry)):\($0)" }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    func serve(_ port: Int) -> String { #"{"Services":{"svc:k8s":{"TCP":{"443":{"TCPForward":"localhost:\#(port)"}}}}}"# }

    func scriptInSync(runtime: String = "docker", port: Int = 50123) {
        runner.on(["minikube", "profile", "list"], stdout: profile(runtime: runtime))
        runner.on(["docker", "port"], stdout: "127.0.0.1:\(port)\n")
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "grep"], stdout: files(["quay.io", "ghcr.io"]))
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "docker", "info"], stdout: "overlayfs [[\"driver-type\",\"io.containerd.snapshotter.v1\"]]\n")
        runner.on(["tailscale", "serve", "status"], stdout: serve(port))
    }

    @Test func aNoOpUpStartsFiveReadOnlyCommands() async throws {
        scriptInSync()
        let report = try await up()
        #expect(report.applied.isEmpty)
        #expect(report.unchanged.map(\.description) == ["cluster", "mirror:quay.io", "mirror:ghcr.io", "expose:svc:k8s:443"])
        #expect(runner.commands.count == 5)
        #expect(try journal.runs(limit: 1).first?.outcome == "in sync")
    }

    @Test func upFromAPlanJustMadeAppliesWithoutObservingAgainAndStillVerifies() async throws {
        scriptInSync(port: 50123)
        runner.on(["docker", "port"], stdout: "127.0.0.1:50999\n")
        let served = Served()
        runner.on(["tailscale", "serve", "status"]) { _ in CommandResult(exitCode: 0, stdout: Array(self.serve(served.port).utf8)) }
        runner.on(["tailscale", "serve", "--bg"]) { _ in served.port = 50999; return CommandResult(exitCode: 0) }
        let engine = try engine()
        let plan = try await engine.plan()
        #expect(plan.plan.changes.map(\.resource) == ["expose:svc:k8s:443"])
        let planned = runner.commands.count
        let report = try await journal.withRun(command: "watch", labFile: "lab.yaml") { try await engine.up(run: $0, from: plan) }
        #expect(report.applied.map(\.resource) == ["expose:svc:k8s:443"])
        let after = runner.commands.dropFirst(planned).map(\.argv)
        #expect(after.first?.starts(with: ["tailscale", "serve", "--bg"]) == true, "the first command after the plan is the change: \(after)")
        #expect(after.contains { $0.starts(with: ["tailscale", "serve", "status"]) }, "verified by observing again")
    }

    final class Served: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 50123
        var port: Int {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    @Test func aServeChangeThatDoesNotTakeIsAnError() async throws {
        scriptInSync(port: 50123)
        runner.on(["docker", "port"], stdout: "127.0.0.1:50999\n")
        runner.on(["tailscale", "serve", "--bg"], stdout: "Serve started and running in the background.\n")
        await #expect(throws: MoorError(.didNotTake, "tailscale serve did not take the new port 50999 (still localhost:50123); run 'tailscale serve status --json'")) {
            try await up()
        }
        #expect(try journal.runs(limit: 1).first?.outcome == "failed")
    }

    @Test func recreateIsRefusedWithoutTheFlagAndNothingIsDeleted() async throws {
        scriptInSync()
        runner.on(["minikube", "profile", "list"], stdout: profile(cpus: 4))
        runner.on(["docker", "info"], stdout: "\(16 << 30)\n")
        do {
            _ = try await up()
            Issue.record("no refusal")
        } catch let error as MoorError {
            #expect(error.code == .refused)
            #expect(error.message == "cluster `minikube` must be recreated to change cpus (4 → 6); `moor migrate` does it and keeps the volumes (`moor up --allow-recreate` deletes the cluster and every volume in it)")
        }
        #expect(!runner.commands.contains { $0.arguments.first == "delete" || $0.arguments.first == "start" })
    }

    @Test func preflightStopsACreateThatCannotFit() async throws {
        runner.on(["minikube", "profile", "list"], stdout: #"{"invalid":[],"valid":[]}"#)
        runner.on(["tailscale", "serve", "status"], stdout: "{}\n")
        runner.on(["docker", "info"], stdout: "\(8 << 30)\n")
        await #expect(throws: MoorError(.refused, "cluster.memory 11264 MiB does not fit: Docker has 8192 MiB and needs about 1024 MiB for itself; raise Docker's memory or lower cluster.memory")) {
            try await up()
        }
        runner.on(["docker", "info"], exit: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n")
        await #expect(throws: MoorError(.refused, "docker is not answering: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?; start Docker (Docker Desktop on macOS) and retry")) {
            try await up()
        }
        #expect(!runner.commands.contains { $0.arguments.first == "start" })
        let plan = try await engine().plan().plan
        #expect(plan.warnings.first?.hasPrefix("docker is not answering") == true)
    }

    @Test func aFollowUpIsJournaledBeforeTheWritesAndFinishedNextRun() async throws {
        scriptInSync(runtime: "containerd")
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "grep"], stdout: "")
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "sh"], exit: 1, stderr: "ssh: connection lost\n")
        await #expect(throws: MoorError.self) { try await up(runtime: "containerd") }
        #expect(try journal.pendingFollowUps().map(\.kind) == ["restart-containerd"])
        #expect(!runner.commands.contains { $0.argv.contains("systemctl") })

        scriptInSync(runtime: "containerd")
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "systemctl"], stdout: "")
        let report = try await up(runtime: "containerd")
        #expect(report.applied.isEmpty)
        #expect(runner.commands.last { $0.argv.contains("systemctl") } != nil)
        #expect(try journal.pendingFollowUps().isEmpty)
    }

    @Test func mirrorContentGoesOnStdinNeverInArgv() async throws {
        scriptInSync(runtime: "containerd")
        let written = LockedList()
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "grep"]) { _ in
            CommandResult(exitCode: written.items.isEmpty ? 1 : 0, stdout: Array(self.files(written.items).utf8))
        }
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "sh"]) { command in
            #expect(command.stdin.map { String(decoding: $0, as: UTF8.self) }?.contains("skip_verify = true") == true)
            #expect(!command.argv.joined().contains("skip_verify"))
            written.append(String(command.argv.last!.split(separator: "/").dropLast().last!))
            return CommandResult(exitCode: 0)
        }
        runner.on(["minikube", "ssh", "-p", "minikube", "--", "sudo", "systemctl"], stdout: "")
        let report = try await up(runtime: "containerd")
        #expect(report.applied.map(\.resource) == ["mirror:quay.io", "mirror:ghcr.io"])
        #expect(try journal.changes(run: try journal.runs(limit: 1)[0].id).count == 2)
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    var items: [String] { lock.withLock { values } }
    func append(_ value: String) { lock.withLock { values.append(value) } }
}
