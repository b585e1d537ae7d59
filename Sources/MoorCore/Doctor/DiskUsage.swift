/// `df -P PATH`: the use of the file system holding PATH.
public struct DiskUsage: Sendable, Equatable {
    public var filesystem: String
    public var usedPercent: Int
    public var availableKiB: Int
    public var mountedOn: String

    public static func parse(_ text: String) throws -> DiskUsage {
        let lines = text.split(separator: "\n").filter { !$0.isEmpty }
        guard lines.count >= 2 else { throw ToolOutputError(tool: "df -P", problem: "expected a header and a line") }
        let fields = lines[lines.count - 1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 6, let percent = Int(fields[4].dropLast()), let available = Int(fields[3]) else {
            throw ToolOutputError(tool: "df -P", problem: "cannot read `\(lines[lines.count - 1])`")
        }
        return DiskUsage(filesystem: fields[0], usedPercent: percent, availableKiB: available, mountedOn: fields[5])
    }

    public func verdict() -> DiagnosisResult {
        let evidence = ["df -P /var: \(filesystem) \(usedPercent)% used, \(availableKiB / 1024) MiB free, on \(mountedOn)"]
        let verdict: DiagnosisResult.Verdict = usedPercent > 95 ? .fail : usedPercent > 85 ? .warn : .ok
        let summary = verdict == .ok ? "/var in the node is \(usedPercent)% full"
            : "/var in the node is \(usedPercent)% full: image pulls and pods start failing as it fills"
        return DiagnosisResult(id: "node-disk", verdict: verdict, summary: summary, evidence: evidence,
                               fix: verdict == .ok ? nil : .init(text: "free space in the node (`minikube ssh -- docker system prune` or `crictl rmi --prune`), or give the cluster a larger disk (`moor migrate`)", safe: false))
    }
}
