import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import MoorTestSupport

/// A provider is a folder and one registration line: this one lives in the test, registered
/// through `providers:`, and the engine drives it like minikube or k3s, named per cluster.
struct ToyProvider: ClusterProvider {
    static let name = "toy"
    static let world = ToyWorld()
    let spec: ClusterSpec

    init(spec: ClusterSpec) { self.spec = spec }

    var kinds: [any ResourceKind] { [ToyClusterKind(spec: spec, world: Self.world)] }
    var withoutEvents: String { "toy clusters have no events" }
    var dataDirectory: String { "/toy" }

    func apiHostPort(_ session: ObservationSession) async throws -> Int? { Self.world.read(spec.id).map { 40_000 + $0 } }
    func credentials(_ hosts: HostRunners, home: String) async throws -> ClusterCredentials {
        throw MoorError(.notFound, "a toy cluster has no credentials")
    }
    func onNode(_ words: [String], _ session: ObservationSession) async throws -> String { "" }
    func onNodeAsRoot(_ words: [String], stdinFile: String?, stdoutFile: String?, _ session: ObservationSession) async throws -> String { "" }
    func notRunning(_ session: ObservationSession) async throws -> String? { Self.world.read(spec.id) == nil ? "not made" : nil }
}

/// The toy's cluster: made (value 1) or not.
struct ToyClusterKind: ResourceKind {
    let spec: ClusterSpec
    let world: ToyWorld
    var kind: String { "cluster" }
    var scope: String? { spec.label }

    func observe(_ session: ObservationSession) async throws -> Int? { world.read(spec.id) }

    func diff(_ observed: Int?, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        plan.add(observed == nil ? Change(.cluster(spec.label), action: .create, summary: "make toy \(spec.id)") : nil, or: .cluster(spec.label))
        return plan
    }

    func apply(_ changes: [Change], observed: Int?, context: ApplyContext) async throws { world.write(spec.id, 1) }
}

@Suite(.serialized) struct ToyProviderTests {
    @Test func aRegisteredToyProviderIsPlannedAppliedAndNamedPerCluster() async throws {
        var one = ClusterSpec()
        one.id = "pebble"
        one.provider = ClusterProviderName("toy")
        var two = one
        two.id = "stone"
        let lab = LabFile(clusters: [one, two])
        var exposed = lab
        exposed.expose = ExposeSpec(tailscale: TailscaleExpose(service: "svc:toy"))
        exposed.expose?.tailscale?.cluster = "stone"
        let journal = try TestJournal.make()
        let runner = FakeRunner()
        runner.on(["tailscale", "serve", "status", "--json"], stdout: "{}")
        let context = MoorContext(runner: runner, journal: journal, stateDirectory: "/nonexistent")
        let registration = ClusterProviders.Registration(ToyProvider.self)
        func engine(_ lab: LabFile) throws -> ResourceEngine { try ResourceEngine(lab: lab, labPath: "lab.yaml", context: context, providers: [registration]) }

        let plan = try await engine(exposed).plan().plan
        #expect(plan.changes.map(\.resource) == ["cluster:pebble", "cluster:stone", "expose:svc:toy:443"], "\(plan.changes.map(\.resource))")
        let report = try await journal.withRun(command: "up", labFile: "lab.yaml") { try await engine(lab).up(run: $0) }
        #expect(report.applied.map(\.resource) == ["cluster:pebble", "cluster:stone"])
        #expect(try await engine(lab).plan().plan.isEmpty, "verified and converged")
        let expose = try #require(try await engine(exposed).plan().plan.changes.first)
        #expect(expose.resource == "expose:svc:toy:443" && expose.summary.contains("40001"), "the exposure asked stone's provider for its port: \(expose.summary)")
        #expect(throws: MoorError.self) { try ClusterProviders.provider(for: one) }
    }
}
