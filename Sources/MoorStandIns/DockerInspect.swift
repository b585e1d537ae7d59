/// `docker inspect <node>` as the real engine prints it for a minikube node container
/// (Tests/Fixtures/docker/real-engine/inspect.*.json), with the fields anyone reads: the
/// state, the labels and the published ports (none once it is stopped: `{}`).
enum DockerInspect {
    static func container(_ name: String, _ profile: World.Profile) -> JSONText {
        let running = profile.state == "Running"
        let paused = profile.state == "Paused"
        let state = JSONText.object([
            ("Status", .string(running ? "running" : paused ? "paused" : "exited")), ("Running", .bool(running || paused)),
            ("Paused", .bool(paused)), ("Restarting", .bool(false)), ("OOMKilled", .bool(false)), ("Dead", .bool(false)),
            ("Pid", .int(running || paused ? 4242 : 0)), ("ExitCode", .int(running || paused ? 0 : 137)), ("Error", .string("")),
            ("StartedAt", .string("2025-11-29T09:12:01.554120871Z")),
            ("FinishedAt", .string(running || paused ? "0001-01-01T00:00:00Z" : "2025-11-29T09:14:22.120934512Z")),
        ])
        let labels = JSONText.object([
            ("created_by.minikube.sigs.k8s.io", .string("true")), ("mode.minikube.sigs.k8s.io", .string(name)),
            ("name.minikube.sigs.k8s.io", .string(name)), ("role.minikube.sigs.k8s.io", .string("")),
        ])
        var ports: [(String, JSONText)] = []
        if running || paused, let api = profile.hostPort {
            // Five published ports, the API server's the fourth (see World.allocateAPIPort).
            let host = profile.listenAddress.isEmpty ? "127.0.0.1" : profile.listenAddress
            let published = [(22, api - 3), (2376, api - 2), (32443, api + 1), (5000, api - 1), (profile.apiServerPort, api)]
            ports = published.map { port, hostPort in
                ("\(port)/tcp", .array([.object([("HostIp", .string(host)), ("HostPort", .string("\(hostPort)"))])]))
            }
        }
        return .object([
            ("Id", .string(DockerEvents.containerID(name))), ("Created", .string("2025-11-29T09:11:58.902114377Z")),
            ("Path", .string("/usr/local/bin/entrypoint")), ("Args", .array([.string("/sbin/init")])), ("State", state),
            ("Image", .string("sha256:" + DockerEvents.containerID("kicbase"))), ("Name", .string("/" + name)), ("RestartCount", .int(0)),
            ("Config", .object([("Hostname", .string(name)), ("Image", .string(DockerEvents.image)), ("Labels", labels)])),
            ("NetworkSettings", .object([("Ports", .object(ports))])),
        ])
    }
}
