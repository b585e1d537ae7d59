import MoorCore

/// One known failure mode of the homelab: one file each, one line in `Diagnoses.all`.
public protocol DiagnosisKind: Sendable {
    associatedtype Evidence: Sendable
    /// Stable: JSON and docs use it.
    var id: String { get }
    /// Why the lab file gives this diagnosis nothing to look at (no `storage.nfs`), or nil.
    func skipReason(_ lab: LabFile) -> String?
    /// What must hold before it can look; a missing one makes it `skipped` with the reason.
    var prerequisites: [Prerequisite] { get }
    /// Read-only commands, through the session shared with the other diagnoses.
    func observe(_ session: ObservationSession) async throws -> Evidence
    /// Pure: what the evidence means.
    func verdict(_ evidence: Evidence) -> DiagnosisResult
    /// The safe fix (`--fix`), for diagnoses whose verdict offers one.
    func fix(_ evidence: Evidence, context: ApplyContext) async throws
}

extension DiagnosisKind {
    public var prerequisites: [Prerequisite] { [] }
    public func fix(_ evidence: Evidence, context: ApplyContext) async throws {}
}

/// A diagnosis with its evidence type erased.
struct AnyDiagnosis: Sendable {
    let id: String
    let skipReason: @Sendable (LabFile) -> String?
    let prerequisites: [Prerequisite]
    let examine: @Sendable (ObservationSession) async throws -> (DiagnosisResult, any Sendable)
    let fix: @Sendable (any Sendable, ApplyContext) async throws -> Void

    init(erasing base: any DiagnosisKind) {
        self = Self.make(base)
    }

    static func make<D: DiagnosisKind>(_ base: D) -> AnyDiagnosis { AnyDiagnosis(base) }

    init<D: DiagnosisKind>(_ base: D) {
        id = base.id
        skipReason = { base.skipReason($0) }
        prerequisites = base.prerequisites
        examine = { session in
            let evidence = try await base.observe(session)
            return (base.verdict(evidence), evidence)
        }
        fix = { evidence, context in
            guard let typed = evidence as? D.Evidence else { preconditionFailure("\(D.self) got \(type(of: evidence))") }
            try await base.fix(typed, context: context)
        }
    }
}

/// Every diagnosis moor knows, in the order the report lists them.
public enum Diagnoses {
    /// The generic diagnoses, with the lab's cluster's provider's own in place of the
    /// generic ones of the same id.
    static func all(_ lab: LabFile) -> [AnyDiagnosis] {
        let provider = lab.cluster.flatMap { try? ClusterProviders.provider(for: $0) }
        let own = (provider?.diagnoses(lab) ?? []).map { AnyDiagnosis(erasing: $0) }
        return generic(lab).map { diagnosis in own.first { $0.id == diagnosis.id } ?? diagnosis }
            + own.filter { diagnosis in !generic(lab).contains { $0.id == diagnosis.id } }
    }

    static func generic(_ lab: LabFile) -> [AnyDiagnosis] {
        [
            AnyDiagnosis(CNIConflict(lab: lab)),
            AnyDiagnosis(PodDNS(lab: lab)),
            AnyDiagnosis(MirrorsUsed(lab: lab)),
            AnyDiagnosis(DockerMemory(lab: lab)),
            AnyDiagnosis(APIPort(lab: lab)),
            AnyDiagnosis(APINames(lab: lab)),
            AnyDiagnosis(ClientCert(lab: lab)),
            AnyDiagnosis(TailscaleService(lab: lab)),
            AnyDiagnosis(NFSExports(lab: lab)),
            AnyDiagnosis(NodeDisk(lab: lab)),
        ]
    }

    /// Every id, over every provider.
    public static var ids: [String] {
        var ids = generic(LabFile()).map(\.id)
        for registration in ClusterProviders.registered {
            var spec = ClusterSpec()
            spec.provider = ClusterProviderName(registration.name)
            for id in registration.make(spec).diagnoses(LabFile()).map(\.id) where !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
