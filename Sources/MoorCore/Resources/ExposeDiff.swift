/// What observe found for the tailnet exposure: the API server's host port and the serve
/// configuration on the exposing host.
public struct ObservedExposure: Sendable, Equatable {
    public var apiHostPort: Int?
    public var serve: ServeConfig?

    public init(apiHostPort: Int?, serve: ServeConfig?) {
        self.apiHostPort = apiHostPort
        self.serve = serve
    }

    public func target(_ spec: TailscaleExpose) -> String? { serve?.tcpForward(service: spec.service, port: spec.port) }
}

/// The pure diff of `expose:<service or node>:<port>`: the serve mapping must forward to the
/// API server's current host port.
public enum ExposeDiff {
    public static func id(_ spec: TailscaleExpose) -> ResourceID { .expose(service: spec.service, port: spec.port) }

    public static func diff(_ spec: TailscaleExpose, _ observed: ObservedExposure, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        let port = upstream.changes(kind: "cluster") ? nil : observed.apiHostPort
        plan.add(change(spec, hostPort: port, current: observed.target(spec)), or: id(spec))
        return plan
    }

    static func change(_ spec: TailscaleExpose, hostPort: Int?, current: String?) -> Change? {
        let what = spec.service.map { "\($0) tcp/\(spec.port)" } ?? "tailnet tcp/\(spec.port)"
        guard let hostPort else {
            return Change(id(spec), action: current == nil ? .create : .update,
                          summary: "point \(what) at the API server's host port once the cluster runs",
                          fields: ["target": FieldChange(from: current, to: "localhost:<api port>")])
        }
        if ServeTarget.matches(current, hostPort: hostPort) { return nil }
        let desired = ServeTarget.desired(hostPort: hostPort)
        let summary = current.map { "repoint \(what) from \($0) to \(desired)" } ?? "serve \(what) → \(desired)"
        return Change(id(spec), action: current == nil ? .create : .update, summary: summary,
                      fields: ["target": FieldChange(from: current, to: desired)])
    }
}
