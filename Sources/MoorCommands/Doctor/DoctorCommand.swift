import ArgumentParser
import MoorCore
import MoorEngine

/// `moor doctor`: the homelab's known failure modes, with evidence, fixed where safe.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Diagnose the known failure modes the lab file makes relevant. Exit 0 ok or warn, 2 any fail, 1 doctor could not run.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Comma-separated diagnosis ids (default: all).")
    var only: [String] = []

    @Flag(help: "Apply the fixes marked safe, then diagnose again to show they took.")
    var fix = false

    @OptionGroup var writer: WriterOptions

    var ids: [String] { CommaList.split(only) }

    func validate() throws {
        let unknown = ids.filter { !Diagnoses.ids.contains($0) }
        if !unknown.isEmpty { throw ValidationError("no diagnosis \(unknown.joined(separator: ", ")); there are: \(Diagnoses.ids.joined(separator: ", "))") }
    }

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        let context = try LiveContext.make(options)
        let doctor = Doctor(lab: lab, labPath: path, context: context)
        let report: DoctorReport
        if fix {
            let lock = try await ClusterLock.take(lab, command: "doctor --fix", options: writer, context: context)
            defer { lock.release() }
            report = try await context.journal.withRun(command: "doctor --fix", labFile: path) { run in
                let report = try await doctor.run(only: ids, fixing: run)
                run.conclude(report.failed ? .failed : .ok, detail: Self.tally(report))
                return report
            }
        } else {
            report = try await context.journal.withRun(command: "doctor", labFile: path) { run in
                let report = try await doctor.run(only: ids)
                run.conclude(report.failed ? .failed : .ok, detail: Self.tally(report))
                return report
            }
        }
        // The status page shows the last run's findings.
        let findings = DoctorFindings(ranAt: context.clock.date, findings: report.diagnoses.map {
            .init(id: $0.id, verdict: $0.verdict.rawValue, summary: $0.summary, fix: $0.fix?.text, fixSafe: $0.fix?.safe, cluster: $0.cluster)
        })
        try? context.journal.saveDoctorFindings(findings)
        switch options.output {
        case .json: try Console.json(report)
        case .text: Console.out(Self.render(report))
        }
        if report.failed { throw CommandEnd.checksFailed }
    }

    static func tally(_ report: DoctorReport) -> String {
        "\(report.summary.ok) ok, \(report.summary.warn) warn, \(report.summary.fail) fail, \(report.summary.skipped) skipped"
    }

    /// A table, then a block with the evidence and the fix for each warn or fail.
    static func render(_ report: DoctorReport) -> String {
        let several = report.diagnoses.contains { $0.cluster != nil }
        let header = (several ? ["CLUSTER"] : []) + ["DIAGNOSIS", "VERDICT", "SUMMARY"]
        var lines = [Table.render(header: header, rows: report.diagnoses.map { (several ? [$0.cluster ?? "-"] : []) + [$0.id, $0.verdict.rawValue, $0.summary] })]
        for diagnosis in report.diagnoses where diagnosis.verdict == .warn || diagnosis.verdict == .fail || diagnosis.fix?.applied != nil {
            lines.append("\n\(diagnosis.cluster.map { "\($0) " } ?? "")\(diagnosis.id): \(diagnosis.verdict.rawValue)\(diagnosis.evidence.isEmpty && diagnosis.fix == nil ? " — \(diagnosis.summary)" : "")")
            lines += diagnosis.evidence.map { "  " + $0 }
            if let fix = diagnosis.fix {
                let state = fix.applied.map { $0 ? " (applied)" : " (failed)" } ?? (fix.safe ? " (safe: moor doctor --fix)" : "")
                lines.append("  fix\(state): \(fix.text)")
            }
        }
        lines.append(tally(report))
        return lines.joined(separator: "\n")
    }
}
