/// What one diagnosis found: its verdict, a summary line, the evidence it looked at (short),
/// and the fix for a warn or fail.
public struct DiagnosisResult: Sendable, Equatable, Encodable {
    public enum Verdict: String, Sendable, Codable { case ok, warn, fail, skipped }

    public struct Fix: Sendable, Equatable, Encodable {
        public var text: String
        /// `moor doctor --fix` applies safe fixes.
        public var safe: Bool
        /// nil until `--fix` looked at it; then whether it was applied.
        public var applied: Bool?

        public init(text: String, safe: Bool, applied: Bool? = nil) {
            self.text = text
            self.safe = safe
            self.applied = applied
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(safe, forKey: .safe)
            try container.encode(applied, forKey: .applied)
        }
        enum CodingKeys: String, CodingKey { case text, safe, applied }
    }

    public var id: String
    public var verdict: Verdict
    public var summary: String
    public var evidence: [String]
    public var fix: Fix?
    /// The cluster it looked at, in a lab of several (nil otherwise, and not in the JSON).
    public var cluster: String?

    public init(id: String, verdict: Verdict, summary: String, evidence: [String] = [], fix: Fix? = nil) {
        self.id = id
        self.verdict = verdict
        self.summary = summary
        self.evidence = evidence
        self.fix = fix
    }

    public static func skipped(_ id: String, _ reason: String) -> DiagnosisResult {
        DiagnosisResult(id: id, verdict: .skipped, summary: reason)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(summary, forKey: .summary)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(fix, forKey: .fix)
        try container.encodeIfPresent(cluster, forKey: .cluster)
    }
    enum CodingKeys: String, CodingKey { case id, verdict, summary, evidence, fix, cluster }
}

/// The JSON of `moor doctor`.
public struct DoctorReport: Sendable, Equatable, Encodable {
    public struct Summary: Sendable, Equatable, Encodable {
        public var ok = 0, warn = 0, fail = 0, skipped = 0
    }

    public var diagnoses: [DiagnosisResult]
    public var summary: Summary

    public init(diagnoses: [DiagnosisResult]) {
        self.diagnoses = diagnoses
        var summary = Summary()
        for diagnosis in diagnoses {
            switch diagnosis.verdict {
            case .ok: summary.ok += 1
            case .warn: summary.warn += 1
            case .fail: summary.fail += 1
            case .skipped: summary.skipped += 1
            }
        }
        self.summary = summary
    }

    public var failed: Bool { summary.fail > 0 }
}
