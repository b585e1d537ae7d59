/// `docker port`, `docker info` and `docker events`, shaped like docker/cli's output.
struct DockerStandIn {
    let store: WorldStore

    static let daemonDown = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"

    func run(_ arguments: [String]) -> Outcome {
        let world = store.load()
        guard world.dockerRunning else { return Outcome(1, stderr: Self.daemonDown) }
        switch arguments.first {
        case "events":
            return DockerEvents.follow(Array(arguments.dropFirst()), store: store)
        case "port":
            guard arguments.count >= 2 else { return Outcome(1, stderr: "\"docker port\" requires at least 1 argument.\n") }
            let container = arguments[1]
            guard let profile = world.profiles[container] else {
                return Outcome(1, stderr: "Error response from daemon: No such container: \(container)\n")
            }
            let asked = arguments.count > 2 ? arguments[2] : "\(profile.apiServerPort)/tcp"
            guard profile.state == "Running", let port = profile.hostPort, asked == "\(profile.apiServerPort)/tcp" else {
                return Outcome(1, stderr: "Error: No public port '\(asked)' published for \(container)\n")
            }
            if profile.listenAddress == "0.0.0.0" {
                return Outcome(stdout: "0.0.0.0:\(port)\n[::]:\(port)\n")
            }
            return Outcome(stdout: "\(profile.listenAddress.isEmpty ? "127.0.0.1" : profile.listenAddress):\(port)\n")
        case let verb? where verb == "inspect" || (verb == "container" && arguments.dropFirst().first == "inspect"):
            let names = arguments.drop { $0 != "inspect" }.dropFirst().filter { !$0.hasPrefix("-") }
            guard let name = names.first, let profile = world.profiles[name] else {
                return Outcome(1, stdout: "[]\n", stderr: "Error: No such object: \(names.first ?? "")\n")
            }
            return Outcome(stdout: JSONText.array([DockerInspect.container(name, profile)]).indented() + "\n")
        case "info":
            let format = Flags(arguments: arguments).value("--format", short: "-f") ?? ""
            if format == "{{.MemTotal}}" { return Outcome(stdout: "\(world.dockerMemTotal)\n") }
            return Outcome(stdout: "Server Version: 28.2.2\nTotal Memory: \(world.dockerMemTotal >> 20)MiB\n")
        default:
            return Outcome(1, stderr: "docker: unknown command: docker \(arguments.first ?? "")\n")
        }
    }
}

