import Foundation
import MoorCore
import MoorProbe

/// Turns what a probe or command found into ok / warn / fail with one line of detail.
enum CheckEvaluation {
    /// The conditions used when a check has no `expect`.
    static func defaultConditions(for target: CheckSpec.Target) -> [String] {
        switch target {
        case .url: return ["[STATUS] >= 200", "[STATUS] < 400"]
        case .tcp, .tls, .postgres: return ["[CONNECTED] == true"]
        case .command: return ["[EXIT_CODE] == 0"]
        }
    }

    static func context(_ probe: ProbeResult, now: Date = Date()) -> ConditionContext {
        ConditionContext(
            status: probe.http?.status, ip: probe.ip, responseTimeMilliseconds: Int(probe.durationMs.rounded()),
            body: probe.http?.body, connected: probe.connected,
            certificateExpirationMilliseconds: probe.certificate.map { Int64($0.notAfter.timeIntervalSince(now) * 1000) } ?? 0)
    }

    static func evaluate(_ check: CheckSpec, context: ConditionContext, transportFailure: String?,
                         successDetail: String) -> (CheckResult.State, String, [CheckResult.ConditionReport]) {
        let expect = check.expect.isEmpty ? defaultConditions(for: check.target) : check.expect
        var reports: [CheckResult.ConditionReport] = []
        for text in expect {
            let outcome = Condition(text).evaluate(context)
            reports.append(.init(condition: text, kind: "expect", success: outcome.success, output: outcome.output))
        }
        for text in check.warn {
            let outcome = Condition(text).evaluate(context)
            reports.append(.init(condition: text, kind: "warn", success: outcome.success, output: outcome.output))
        }
        if let transportFailure { return (.fail, transportFailure, reports) }
        let failed = reports.filter { $0.kind == "expect" && !$0.success }
        if !failed.isEmpty {
            if check.expect.isEmpty, case .url = check.target, let status = context.status {
                return (.fail, "http: \(status) after \(context.responseTimeMilliseconds) ms", reports)
            }
            return (.fail, "failed: " + failed.map(\.output).joined(separator: "; "), reports)
        }
        let warned = reports.filter { $0.kind == "warn" && !$0.success }
        if !warned.isEmpty { return (.warn, "warn: " + warned.map(\.output).joined(separator: "; "), reports) }
        return (.ok, successDetail, reports)
    }

    static func successDetail(_ probe: ProbeResult, kind: ProbeTarget.Kind) -> String {
        let ms = Int(probe.durationMs.rounded())
        var parts: [String] = []
        switch kind {
        case .http, .https:
            if let http = probe.http { parts.append("\(http.status) in \(ms) ms\(http.truncated ? " (body cut at the limit)" : "")") }
        case .tcp: parts.append("connected in \(ms) ms")
        case .tls: parts.append("handshake in \(ms) ms")
        case .postgres: parts.append("accepting connections (\(ms) ms)")
        }
        if let certificate = probe.certificate {
            let days = Int(certificate.notAfter.timeIntervalSinceNow / 86_400)
            parts.append("\(certificate.tlsVersion ?? "TLS"), certificate expires in \(days) days")
        }
        return parts.joined(separator: "; ")
    }
}
