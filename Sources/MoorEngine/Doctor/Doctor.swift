import MoorCore
import MoorJournal

/// Runs every diagnosis the lab file makes relevant, concurrently (at most eight at once),
/// each in isolation: one that cannot look is a `fail` saying why, never the end of the
/// others. With a run (`--fix`), applies the safe fixes and diagnoses again to show they took.
public struct Doctor: Sendable {
    let lab: LabFile
    let labPath: String
    let context: MoorContext

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    public func run(only: [String] = [], fixing run: RunHandle? = nil) async throws -> DoctorReport {
        let unknown = only.filter { !Diagnoses.ids.contains($0) }
        guard unknown.isEmpty else {
            throw MoorError(.invalidInput, "no diagnosis \(unknown.map { "`\($0)`" }.joined(separator: ", ")); there are: \(Diagnoses.ids.joined(separator: ", "))")
        }
        guard lab.clusters.count > 1 else {
            var report = try await runOne(only: only, fixing: run)
            if lab.namesClusters, let id = lab.cluster?.id { for index in report.diagnoses.indices { report.diagnoses[index].cluster = id } }
            return report
        }
        // Several clusters: each is diagnosed as a lab of its own (its provider's diagnoses).
        var all: [DiagnosisResult] = []
        for cluster in lab.clusters {
            let one = Doctor(lab: try lab.limited(to: cluster.id), labPath: labPath, context: context)
            all += try await one.runOne(only: only, fixing: run).diagnoses.map { result in
                var result = result
                result.cluster = cluster.id
                return result
            }
        }
        return DoctorReport(diagnoses: all)
    }

    func runOne(only: [String], fixing run: RunHandle?) async throws -> DoctorReport {
        let chosen = Diagnoses.all(lab).filter { only.isEmpty || only.contains($0.id) }
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let provider = lab.cluster.flatMap { try? ClusterProviders.provider(for: $0) }
        var results = await examine(chosen, session, skipping: provider)
        if let run {
            for index in results.indices {
                guard let (result, evidence) = Optional(results[index]), [.warn, .fail].contains(result.verdict),
                      result.fix?.safe == true, let evidence else { continue }
                let diagnosis = chosen[index]
                let fresh = ObservationSession(lab: lab, labPath: labPath, context: context)
                do {
                    context.progress.note("fixing \(diagnosis.id): \(result.fix?.text ?? "")")
                    try await diagnosis.fix(evidence, ApplyContext(context: context, run: run, options: UpOptions(), session: fresh))
                    try run.record("doctor:\(diagnosis.id)", action: "fix", summary: result.fix?.text ?? "")
                    var after = await examine([diagnosis], ObservationSession(lab: lab, labPath: labPath, context: context))[0].0
                    after.fix = after.fix ?? result.fix
                    after.fix?.applied = true
                    results[index] = (after, nil)
                } catch {
                    if Interrupted.means(error) { throw error }
                    var failed = result
                    failed.fix?.applied = false
                    failed.summary += "; the fix failed: \(error)"
                    results[index] = (failed, nil)
                }
            }
        }
        return DoctorReport(diagnoses: results.map(\.0))
    }

    func examine(_ diagnoses: [AnyDiagnosis], _ session: ObservationSession, skipping provider: (any ClusterProvider)? = nil) async -> [(DiagnosisResult, (any Sendable)?)] {
        await withTaskGroup(of: (Int, DiagnosisResult, (any Sendable)?).self) { group in
            var next = 0
            func launch() {
                guard next < diagnoses.count else { return }
                let index = next
                next += 1
                let diagnosis = diagnoses[index]
                group.addTask {
                    if let reason = provider?.diagnosisSkip(diagnosis.id) ?? diagnosis.skipReason(lab) { return (index, .skipped(diagnosis.id, reason), nil) }
                    for prerequisite in diagnosis.prerequisites {
                        if let reason = await session.missing(prerequisite) { return (index, .skipped(diagnosis.id, reason), nil) }
                    }
                    do {
                        let (result, evidence) = try await diagnosis.examine(session)
                        return (index, result, evidence)
                    } catch {
                        if Interrupted.means(error) { return (index, .skipped(diagnosis.id, "interrupted"), nil) }
                        return (index, DiagnosisResult(id: diagnosis.id, verdict: .fail, summary: "could not look: \(MoorError.from(error).message)"), nil)
                    }
                }
            }
            for _ in 0..<8 { launch() }
            var results = [(DiagnosisResult, (any Sendable)?)?](repeating: nil, count: diagnoses.count)
            while let (index, result, evidence) = await group.next() {
                results[index] = (result, evidence)
                launch()
            }
            return results.compactMap { $0 }
        }
    }
}
