/// `tailscale serve status --json` and `tailscale serve --bg [--service=svc:X] --tcp=N tcp://T`,
/// shaped like the recorded ServeConfig and CLI messages.
struct TailscaleStandIn {
    let store: WorldStore
    static let dnsSuffix = "tail8d86e.ts.net"

    func run(_ arguments: [String]) throws -> Outcome {
        if arguments.starts(with: ["status", "--json"]) {
            return Outcome(stdout: Self.status(store.load()).indented() + "\n")
        }
        guard arguments.first == "serve" else {
            return Outcome(1, stderr: "tailscale stand-in: only `serve` is simulated\n")
        }
        let rest = Array(arguments.dropFirst())
        if rest.first == "status" {
            return Outcome(stdout: Self.serveConfig(store.load()).indented() + "\n")
        }
        let flags = Flags(arguments: rest)
        guard let portText = flags.value("--tcp"), let port = Int(portText), let target = rest.last, target.hasPrefix("tcp://") else {
            return Outcome(1, stderr: "tailscale stand-in: expected --tcp=PORT tcp://HOST:PORT\n")
        }
        let forward = String(target.dropFirst("tcp://".count))
        let service = flags.value("--service")
        if let service {
            let label = service.dropFirst(4)
            guard service.hasPrefix("svc:"), !label.isEmpty, label.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
                return Outcome(1, stderr: "\"\(service)\" is not a valid service name: must start with 'svc:'\n")
            }
        }
        try store.update { world in
            let handler = World.Handler(TCPForward: forward)
            if let service {
                var config = world.serveServices[service] ?? World.Service()
                config.TCP = (config.TCP ?? [:]).merging([String(port): handler]) { _, new in new }
                world.serveServices[service] = config
            } else {
                world.serveTCP[String(port)] = handler
            }
        }
        let name = service.map { "\($0.dropFirst(4)).\(Self.dnsSuffix)" } ?? "indri.\(Self.dnsSuffix)"
        var message = "Available within your tailnet:\n\n|-- tcp://\(name):\(port)\n|--> tcp://\(forward)\n\n"
        message += "Serve started and running in the background.\n"
        if let service {
            message += "To disable the proxy, run: tailscale serve --service=\(service) --tcp=\(port) off\n"
            message += "To remove config for the service, run: tailscale serve clear \(service)\n"
        } else {
            message += "To disable the proxy, run: tailscale serve --tcp=\(port) off\n"
        }
        return Outcome(stdout: message)
    }

    /// ipnstate.Status in the recorded client's shape (fixtures/tailscale/status.client-1.102…):
    /// `Self.Tags` is absent on an untagged node, and `Self.CapMap["service-host"]` lists the
    /// services the node is approved for.
    static func status(_ world: World) -> JSONText {
        var me: [(String, JSONText)] = [
            ("ID", .string("nZrjc8ZiLQ11CNTRL")), ("PublicKey", .string("nodekey:3b1c")), ("HostName", .string("indri")),
            ("DNSName", .string("indri.\(dnsSuffix).")), ("OS", .string("macOS")), ("UserID", .int(6_942_114_560_913_519)),
            ("TailscaleIPs", .array([.string("100.101.102.103"), .string("fd7a:115c:a1e0::1234")])), ("Online", .bool(true)),
        ]
        if world.tailscaleService != "untagged" { me.append(("Tags", .array([.string("tag:k8s")]))) }
        var capabilities: [(String, JSONText)] = [("default-auto-update", .array([.bool(true)])), ("https", .null)]
        if world.tailscaleService == "approved" {
            capabilities.append(("service-host", .array(world.serveServices.keys.sorted().map { name in
                .object([(name, .array([.string("100.101.102.104"), .string("fd7a:115c:a1e0::4321")]))])
            })))
        }
        me.append(("CapMap", .object(capabilities)))
        return .object([("Version", .string("1.102.4-t0123456789-gabcdef01")), ("TUN", .bool(true)), ("BackendState", .string("Running")),
                        ("Self", .object(me)), ("MagicDNSSuffix", .string(dnsSuffix))])
    }

    /// ipn.ServeConfig with Go's sorted map keys; empty fields are omitted, so nothing is `{}`.
    static func serveConfig(_ world: World) -> JSONText {
        func handlers(_ table: [String: World.Handler]) -> JSONText {
            .object(table.keys.sorted().map { port in
                let handler = table[port]!
                var fields: [(String, JSONText)] = []
                if handler.HTTPS == true { fields.append(("HTTPS", .bool(true))) }
                if let forward = handler.TCPForward { fields.append(("TCPForward", .string(forward))) }
                return (port, .object(fields))
            })
        }
        var top: [(String, JSONText)] = []
        if !world.serveTCP.isEmpty { top.append(("TCP", handlers(world.serveTCP))) }
        if !world.serveServices.isEmpty {
            top.append(("Services", .object(world.serveServices.keys.sorted().map { name in
                (name, .object(world.serveServices[name]!.TCP.map { [("TCP", handlers($0))] } ?? []))
            })))
        }
        return .object(top)
    }
}
