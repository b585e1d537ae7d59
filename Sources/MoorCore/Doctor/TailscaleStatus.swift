/// The parts of `tailscale status --json` (ipnstate.Status) a Tailscale Service host needs.
public struct TailscaleStatus: Sendable, Equatable {
    public var dnsName: String
    public var tags: [String]
    /// Services this node is approved to host (`Self.CapMap["service-host"]`).
    public var servicesHosted: [String]
    public var version: String?

    public static func parse(_ text: String) throws -> TailscaleStatus {
        guard let root = JSONValue.parse(text), let me = root["Self"] else {
            throw ToolOutputError(tool: "tailscale status --json", problem: "expected an object with Self")
        }
        var tags: [String] = []
        if case .array(let values, _)? = me["Tags"] { tags = values.compactMap(\.text) }
        var services: [String] = []
        if case .array(let entries, _)? = me["CapMap"]?["service-host"] {
            for entry in entries {
                if case .object(let pairs, _) = entry { services += pairs.map(\.0) }
            }
        }
        return TailscaleStatus(dnsName: me["DNSName"]?.text ?? "", tags: tags, servicesHosted: services.sorted(), version: root["Version"]?.text)
    }

    public func verdict(service: String) -> DiagnosisResult {
        let id = "tailscale-service"
        let evidence = ["Self.DNSName: \(dnsName)", "Self.Tags: \(tags.isEmpty ? "(none)" : tags.joined(separator: ", "))",
                        "Self.CapMap[\"service-host\"]: \(servicesHosted.isEmpty ? "(none)" : servicesHosted.joined(separator: ", "))"]
        if tags.isEmpty {
            return DiagnosisResult(id: id, verdict: .fail, summary: "this node has no tags, and since tailscale 1.92 untagged nodes get \"service hosts must be tagged nodes\"",
                                   evidence: evidence,
                                   fix: .init(text: "tag the node in the admin console (Machines → … → Edit ACL tags, e.g. tag:k8s), allow that tag to host \(service), then run `moor up`", safe: false))
        }
        if !servicesHosted.contains(service) {
            return DiagnosisResult(id: id, verdict: .fail, summary: "\(service) is not approved for this host",
                                   evidence: evidence,
                                   fix: .init(text: "approve this host for \(service) in the admin console (Services → \(service)); if it is approved and still missing here (a known stale-approval bug), run `tailscale serve clear \(service)`, then `moor up`", safe: false))
        }
        return DiagnosisResult(id: id, verdict: .ok, summary: "\(service) is approved for this tagged host", evidence: evidence)
    }
}
