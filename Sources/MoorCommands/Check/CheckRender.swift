import Foundation
import MoorCore
import MoorEngine
import MoorProbe

/// Text, table and JUnit renderings of checks and probes.
enum CheckRender {
    /// `{"checks":[…],"summary":{…}}`, one check a line, written as it is encoded so a
    /// thousand checks never sit in memory as one document.
    static func json(_ report: CheckReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let out = FileHandle.standardOutput
        out.write(Data(#"{"checks":["#.utf8))
        for (index, check) in report.checks.enumerated() {
            out.write(Data((index == 0 ? "\n" : ",\n").utf8) + (try encoder.encode(check)))
        }
        out.write(Data("\n],\"summary\":".utf8) + (try encoder.encode(report.summary)) + Data("}\n".utf8))
    }

    static func table(_ report: CheckReport, color: Bool) -> String {
        // With checks that name clusters, a CLUSTER column (`-` for the lab-wide ones).
        let several = report.checks.contains { $0.cluster != nil }
        let rows = report.checks.map { check in
            [check.name] + (several ? [check.cluster ?? "-"] : []) + [paint(check.state.rawValue, check.state, color), milliseconds(check.durationMs), check.detail]
        }
        let summary = "\(report.summary.ok) ok, \(report.summary.warn) warn, \(report.summary.fail) fail"
        if report.checks.isEmpty { return "no checks to run\n" + summary }
        return Table.render(header: ["NAME"] + (several ? ["CLUSTER"] : []) + ["STATE", "TIME", "DETAIL"], rows: rows) + "\n" + summary
    }

    static func paint(_ text: String, _ state: CheckResult.State, _ color: Bool) -> String {
        guard color else { return text }
        let code = state == .ok ? "32" : state == .warn ? "33" : "31"
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? "\(Int(value.rounded())) ms" : String(format: "%.1f ms", value)
    }

    static func junit(_ report: CheckReport) -> String {
        let total = report.checks.reduce(0) { $0 + $1.durationMs } / 1000
        var lines = [#"<?xml version="1.0" encoding="UTF-8"?>"#,
                     #"<testsuites name="moor check" tests="\#(report.checks.count)" failures="\#(report.summary.fail)" time="\#(seconds(total))">"#,
                     #"  <testsuite name="moor check" tests="\#(report.checks.count)" failures="\#(report.summary.fail)" skipped="0" time="\#(seconds(total))">"#]
        for check in report.checks {
            let open = #"    <testcase name="\#(xml(check.name))" classname="moor.check" time="\#(seconds(check.durationMs / 1000))""#
            switch check.state {
            case .ok:
                lines.append(open + "/>")
            case .warn:
                lines += [open + ">", "      <system-out>\(xml(check.detail))</system-out>", "    </testcase>"]
            case .fail:
                lines += [open + ">", #"      <failure message="\#(xml(check.detail))" type="\#(xml(check.target))"/>"#, "    </testcase>"]
            }
        }
        lines += ["  </testsuite>", "</testsuites>"]
        return lines.joined(separator: "\n")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    static func xml(_ text: String) -> String { Markup.escape(text) }

    /// `moor probe`'s layered report: one row a layer, the failed one with its diagnosis.
    static func layers(_ result: ProbeResult, kind: ProbeTarget.Kind) -> String {
        // A setup failure comes before any layer: it is shown alone, never after "tcp ok".
        var layers: [ProbeResult.Layer] = (result.failure?.layer == .setup ? [.setup] : []) + [.dns, .tcp]
        if kind == .tls || kind == .https { layers.append(.tls) }
        if kind == .http || kind == .https { layers.append(.http) }
        if kind == .postgres { layers.append(.postgres) }
        var reached = true
        let rows: [[String]] = layers.map { layer in
            if let failure = result.failure, failure.layer == layer {
                reached = false
                return [layer.rawValue, "fail", milliseconds(time(result, layer)), failure.message]
            }
            guard reached else { return [layer.rawValue, "-", "-", "not reached"] }
            return [layer.rawValue, "ok", milliseconds(time(result, layer)), detail(result, layer)]
        }
        var text = Table.render(header: ["LAYER", "STATE", "TIME", "DETAIL"], rows: rows)
        if let certificate = result.certificate, result.failure?.layer == .tls {
            text += "\ncertificate: \(certificate.subject), issued by \(certificate.issuer); SANs [\(certificate.sans.joined(separator: ", "))]; not after \(ISO8601DateFormatter().string(from: certificate.notAfter))"
        }
        return text + "\n" + (result.ok ? "ok" : "fail") + " in \(milliseconds(result.durationMs))"
    }

    static func time(_ result: ProbeResult, _ layer: ProbeResult.Layer) -> Double? {
        switch layer {
        case .setup: return nil
        case .dns: return result.phases.resolve
        case .tcp: return result.phases.connect
        case .tls: return result.phases.tls
        case .http: return result.phases.firstByte.map { $0 + (result.phases.transfer ?? 0) }
        case .postgres: return nil
        }
    }

    static func detail(_ result: ProbeResult, _ layer: ProbeResult.Layer) -> String {
        switch layer {
        case .setup: return ""
        case .dns: return result.ip ?? ""
        case .tcp: return "connected"
        case .tls:
            guard let c = result.certificate else { return "" }
            let days = Int(c.notAfter.timeIntervalSinceNow / 86_400)
            let verdict = c.verified && c.nameMatches ? "verified" : "NOT verified (insecure): \(c.verifyError ?? "name mismatch")"
            return "\(c.tlsVersion ?? "TLS")\(c.alpn.map { ", ALPN \($0)" } ?? ""); \(c.subject); SANs [\(c.sans.joined(separator: ", "))]; expires in \(days) days; \(verdict) against \(c.trust)"
        case .http:
            guard let http = result.http else { return "" }
            return "\(http.status) \(http.reason), \(http.bodyBytes) bytes\(http.truncated ? " (cut at the limit)" : "") (first byte \(milliseconds(result.phases.firstByte)))"
        case .postgres:
            return result.postgres.map { "\($0) connections" } ?? ""
        }
    }
}
