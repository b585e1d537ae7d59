import Foundation
import MoorProbe

/// One check's verdict, as `moor check -o json` prints it.
public struct CheckResult: Sendable, Equatable, Encodable {
    public enum State: String, Sendable, Codable { case ok, warn, fail }

    public var name: String
    public var state: State
    public var durationMs: Double
    /// One line: what passed, or which layer broke and why.
    public var detail: String
    public var target: String
    public var phases: ProbeResult.Phases?
    public var certificate: ProbeResult.Certificate?
    public var status: Int?
    public var exitCode: Int?
    /// Each condition with its resolved values, e.g. `[STATUS] (500) == 200`.
    public var conditions: [ConditionReport]
    public var tags: [String]
    /// The cluster the check names, in a lab of several (absent from the JSON otherwise).
    public var cluster: String?

    enum CodingKeys: String, CodingKey {
        case name, state, durationMs, detail, target, phases, certificate, status, exitCode, conditions, tags, cluster
    }

    /// Every key is always present (null when it does not apply), so the shape is stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(durationMs, forKey: .durationMs)
        try container.encode(detail, forKey: .detail)
        try container.encode(target, forKey: .target)
        try container.encode(phases, forKey: .phases)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(conditions, forKey: .conditions)
        try container.encode(tags, forKey: .tags)
        try container.encodeIfPresent(cluster, forKey: .cluster)
    }

    public struct ConditionReport: Sendable, Equatable, Encodable {
        public var condition: String
        public var kind: String
        public var success: Bool
        public var output: String
    }
}

/// The JSON of `moor check`.
public struct CheckReport: Sendable, Equatable, Encodable {
    public struct Summary: Sendable, Equatable, Encodable {
        public var ok = 0, warn = 0, fail = 0
    }

    public var checks: [CheckResult]
    public var summary: Summary

    public init(checks: [CheckResult]) {
        self.checks = checks
        var summary = Summary()
        for check in checks {
            switch check.state {
            case .ok: summary.ok += 1
            case .warn: summary.warn += 1
            case .fail: summary.fail += 1
            }
        }
        self.summary = summary
    }

    public var failed: Bool { summary.fail > 0 }
}

extension CheckResult {
    /// The layer that broke, as the detail names it (`tls: certificate expired…` → `tls`);
    /// `expect` when the conditions failed, `warn` for a warning, nil when ok.
    public var failingLayer: String? {
        guard state != .ok else { return nil }
        let head = detail.prefix { $0 != ":" }
        switch head {
        case "failed": return "expect"
        case "setup", "dns", "tcp", "tls", "http", "postgres", "command", "warn": return String(head)
        default: return nil
        }
    }
}
