import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// Runs the lab file's checks concurrently (at most `concurrency` at once), each bounded by
/// its own timeout, and returns the results in the lab file's order.
public struct CheckRunner: Sendable {
    let lab: LabFile
    let context: MoorContext
    let requests: CheckRequests
    var prober: any Prober { context.prober }

    public init(lab: LabFile, context: MoorContext, labPath: String = "") {
        self.lab = lab
        self.context = context
        self.requests = CheckRequests(lab: lab, environment: context.environment, home: context.home, files: context.files,
                                      baseDirectory: (labPath as NSString).deletingLastPathComponent)
    }

    /// 64 checks at once: a homelab's fleet (the seed's 41) runs in one wave, so the slowest
    /// check sets the wall time; a quarter of the open-file limit bounds it (macOS: 256).
    public static var defaultConcurrency: Int { min(64, max(8, ProcessLimits.openFiles / 4)) }

    public func run(_ checks: [CheckSpec], concurrency: Int = CheckRunner.defaultConcurrency) async -> CheckReport {
        var results = [CheckResult?](repeating: nil, count: checks.count)
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            var next = 0
            func launch() {
                guard next < checks.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await self.run(checks[index])) }
            }
            for _ in 0..<max(1, concurrency) { launch() }
            while let (index, result) = await group.next() {
                results[index] = result
                launch()
            }
        }
        return CheckReport(checks: results.compactMap { $0 })
    }

    public func run(_ check: CheckSpec) async -> CheckResult {
        var result = await result(of: check)
        result.cluster = check.cluster
        return result
    }

    func result(of check: CheckSpec) async -> CheckResult {
        if case .command(let argv) = check.target { return await runCommand(check, argv: argv) }
        let start = context.clock.now
        let request: ProbeRequest
        do {
            request = try requests.request(for: check)
        } catch {
            return CheckResult(name: check.name, state: .fail, durationMs: 0, detail: "setup: \(error)", target: "",
                               conditions: [], tags: check.tags)
        }
        let probe = await prober.probe(request)
        let conditionContext = CheckEvaluation.context(probe, now: context.clock.date)
        let (state, detail, reports) = CheckEvaluation.evaluate(
            check, context: conditionContext, transportFailure: probe.failure?.message,
            successDetail: CheckEvaluation.successDetail(probe, kind: request.target.kind))
        return CheckResult(name: check.name, state: state, durationMs: (context.clock.now - start).inMilliseconds, detail: detail,
                           target: request.target.description, phases: probe.phases, certificate: probe.certificate,
                           status: probe.http?.status, conditions: reports, tags: check.tags)
    }

    func runCommand(_ check: CheckSpec, argv: [String]) async -> CheckResult {
        let start = context.clock.now
        let (runner, label) = HostRunners(lab: lab, context: context).runner(for: check.on)
        let command = Command(argv[0], Array(argv.dropFirst()), timeout: .milliseconds(check.timeoutMilliseconds))
        var conditionContext = ConditionContext()
        var failure: String?
        var exitCode: Int?
        var stderrLine: String?
        do {
            let result = try await runner.run(command)
            exitCode = Int(result.exitCode)
            stderrLine = result.exitCode == 0 ? nil : result.firstStderrLine
            conditionContext.exitCode = exitCode
            conditionContext.stdout = String(result.stdoutText.prefix(1 << 20))
            conditionContext.connected = true
            if result.exitCode != 0, check.expect.isEmpty {
                failure = "command: exit \(result.exitCode)\(result.firstStderrLine.map { ": \($0)" } ?? "")"
            }
        } catch let error as MoorError {
            failure = error.code == .timeout ? "command: timed out after \(check.timeoutMilliseconds) ms" : "command: \(error.message)"
        } catch {
            failure = "command: \(error)"
        }
        let ms = (context.clock.now - start).inMilliseconds
        conditionContext.responseTimeMilliseconds = Int(ms.rounded())
        var (state, detail, reports) = CheckEvaluation.evaluate(
            check, context: conditionContext, transportFailure: failure,
            successDetail: "exit \(exitCode ?? 0) in \(Int(ms.rounded())) ms\(label.map { " on \($0)" } ?? "")")
        if state == .fail, failure == nil, let stderrLine { detail += " (stderr: \(stderrLine))" }
        return CheckResult(name: check.name, state: state, durationMs: ms, detail: detail,
                           target: ([label.map { "\($0):" } ?? ""] + argv).joined(separator: " ").trimmingCharacters(in: .whitespaces),
                           exitCode: exitCode, conditions: reports, tags: check.tags)
    }
}
