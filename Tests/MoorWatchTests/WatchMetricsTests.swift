import Foundation
import Testing
@testable import MoorEngine
@testable import MoorProbe
@testable import MoorWatch
import MoorTestSupport

/// Check metrics under blackbox_exporter's names and labels (as its recorded exposition has
/// them), plus the check label.
@Suite struct WatchMetricsTests {
    static func tlsResult(_ name: String, version: String = "TLS 1.3", state: CheckResult.State = .ok) -> CheckResult {
        var phases = ProbeResult.Phases()
        phases.resolve = 1.4; phases.connect = 2.2; phases.tls = 13; phases.firstByte = 18.1; phases.transfer = 0.2
        let expiry = Date(timeIntervalSince1970: 1_798_631_040)
        let certificate = ProbeResult.Certificate(subject: "CN=k8s", issuer: "CN=E6", sans: [], notBefore: expiry, notAfter: expiry,
                                                  earliestExpiry: expiry, serverName: "k8s", nameMatches: true, verified: true,
                                                  verifyError: nil, tlsVersion: version, alpn: nil, chainLength: 2)
        return CheckResult(name: name, state: state, durationMs: 41.2, detail: "HTTP 200", target: "https://k8s/healthz",
                           phases: phases, certificate: certificate, status: 200, conditions: [], tags: [])
    }

    /// `name{labels}` of every sample line, labels sorted, without the check label.
    static func series(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { one(String($0)) })
    }

    static let label = try! NSRegularExpression(pattern: #"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)

    static func one(_ line: String) -> String {
        guard let brace = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else {
            return String(line.split(separator: " ").first ?? "")
        }
        let inside = String(line[line.index(after: brace)..<close])
        var pairs: [String] = []
        for match in label.matches(in: inside, range: NSRange(inside.startIndex..., in: inside)) {
            let name = String(inside[Range(match.range(at: 1), in: inside)!])
            let value = String(inside[Range(match.range(at: 2), in: inside)!])
            if name != "check" { pairs.append(name + "=\"" + value + "\"") }
        }
        pairs.sort()
        return String(line[..<brace]) + (pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}")
    }

    @Test func checkSeriesAreBlackboxSeries() throws {
        let metrics = WatchMetrics()
        metrics.record(Self.tlsResult("k8s-apiserver (remote)"))
        let ours = Self.series(metrics.render()).filter { $0.hasPrefix("probe_") }
        let blackbox = Self.series(try Fixtures.text("blackbox/probe.http-tls.exposition.DERIVED.txt"))
        #expect(ours.isSubset(of: blackbox), "not in blackbox: \(ours.subtracting(blackbox).sorted())")
        #expect(ours == Set(["probe_success", "probe_duration_seconds", "probe_http_status_code", "probe_ssl_earliest_cert_expiry",
                         "probe_tls_version_info{version=\"TLS 1.3\"}"] + ["resolve", "connect", "tls", "processing", "transfer"].map { "probe_http_duration_seconds{phase=\"\($0)\"}" }))
        let text = metrics.render()
        #expect(text.contains("probe_success{check=\"k8s-apiserver (remote)\"} 1"))
        #expect(text.contains("probe_http_duration_seconds{check=\"k8s-apiserver (remote)\",phase=\"tls\"} 0.013"))
        #expect(text.contains("probe_ssl_earliest_cert_expiry{check=\"k8s-apiserver (remote)\"} 1798631040"))
    }

    @Test func aChangedTLSVersionReplacesTheOldSeries() {
        let metrics = WatchMetrics()
        metrics.record(Self.tlsResult("web", version: "TLS 1.2"))
        metrics.record(Self.tlsResult("web", version: "TLS 1.3"))
        let text = metrics.render()
        #expect(!text.contains("TLS 1.2"))
        #expect(text.contains("probe_tls_version_info{check=\"web\",version=\"TLS 1.3\"} 1"))
        metrics.record(Self.tlsResult("old", state: .fail))
        #expect(metrics.render().contains("probe_success{check=\"old\"} 0"))
    }

    @Test func aWarnCountsAsSuccess() {
        let metrics = WatchMetrics()
        metrics.record(Self.tlsResult("web", state: .warn))
        #expect(metrics.render().contains("probe_success{check=\"web\"} 1"))
    }
}
