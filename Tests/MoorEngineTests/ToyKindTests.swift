import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem
import MoorTestSupport

/// A world the toy kinds change: named values, and whether writes stick.
final class ToyWorld: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int] = [:]
    private var log: [String] = []
    var writesStick = true

    func read(_ name: String) -> Int? { lock.withLock { log.append("read \(name)"); return values[name] } }
    func write(_ name: String, _ value: Int) { lock.withLock { log.append("write \(name)"); if writesStick { values[name] = value } } }
    var calls: [String] { lock.withLock { log } }
}

/// A kind added in one file, with nothing changed in the engine: `toy:<name>` should hold
/// `value`; it can need another kind.
struct ToyKind: ResourceKind {
    let name: String
    let value: Int
    let world: ToyWorld
    var needs: [String] = []
    var kind: String { "toy-\(name)" }

    var id: ResourceID { .other(kind: kind, name: name) }

    func observe(_ session: ObservationSession) async throws -> Int? { world.read(name) }

    func diff(_ observed: Int?, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        let change = observed == value ? nil
            : Change(id, action: observed == nil ? .create : .update, summary: "set \(name) to \(value)",
                     fields: ["value": FieldChange(from: observed.map(String.init), to: String(value))])
        plan.add(change, or: id)
        return plan
    }

    func apply(_ changes: [Change], observed: Int?, context: ApplyContext) async throws { world.write(name, value) }
}

@Suite struct ToyKindTests {
    let world = ToyWorld()
    let journal: SQLiteJournal

    init() throws { journal = try TestJournal.make() }

    func engine(_ kinds: [any ResourceKind]) throws -> ResourceEngine {
        let lab = try LabLoader.load(text: "version: 1\n", file: "lab.yaml").get()
        return try ResourceEngine(lab: lab, labPath: "lab.yaml", context: MoorContext(runner: FakeRunner(), journal: journal, stateDirectory: "/nonexistent"),
                                  extra: kinds)
    }

    func up(_ engine: ResourceEngine) async throws -> UpReport {
        try await journal.withRun(command: "up", labFile: "lab.yaml") { try await engine.up(run: $0) }
    }

    @Test func aNewKindIsPlannedAppliedVerifiedAndOrderedByItsNeeds() async throws {
        let kinds: [any ResourceKind] = [ToyKind(name: "b", value: 2, world: world, needs: ["toy-a"]), ToyKind(name: "a", value: 1, world: world)]
        let plan = try await engine(kinds).plan().plan
        #expect(plan.changes.map(\.resource) == ["toy-a:a", "toy-b:b"], "a before b: b needs a")
        let report = try await up(engine(kinds))
        #expect(report.applied.map(\.resource) == ["toy-a:a", "toy-b:b"])
        #expect(world.calls.filter { $0.hasPrefix("write") } == ["write a", "write b"])
        let afterFirstWrite = Array(world.calls.drop { $0 != "write a" })
        #expect(afterFirstWrite == ["write a", "read a", "read b", "write b", "read b"], "verify a, observe b again (its need changed), write, verify")
        let again = try await up(engine(kinds))
        #expect(again.applied.isEmpty)
        #expect(again.unchanged.map(\.description) == ["toy-a:a", "toy-b:b"])
        let runs = try journal.runs(limit: 5)
        #expect(runs.map(\.outcome) == ["in sync", "ok"])
        #expect(try journal.changes(run: runs[1].id).map(\.resource) == ["toy-a:a", "toy-b:b"])
        #expect(try journal.changes(run: runs[1].id).first?.after == #"{"value":"1"}"#)
    }

    @Test func aWriteThatDoesNotStickFailsVerification() async throws {
        world.writesStick = false
        await #expect(throws: MoorError(.didNotTake, #"toy-a:a did not take: observing again still shows "set a to 1""#)) {
            try await up(engine([ToyKind(name: "a", value: 1, world: world)]))
        }
        #expect(try journal.runs(limit: 1).first?.outcome == "failed")
    }

    @Test func kindsThatNeedEachOtherAreRefused() throws {
        #expect(throws: MoorError.self) {
            try engine([ToyKind(name: "a", value: 1, world: world, needs: ["toy-b"]), ToyKind(name: "b", value: 1, world: world, needs: ["toy-a"])])
        }
    }
}
