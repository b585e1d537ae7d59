import Foundation

/// The pretend homelab the stand-ins share: Docker, minikube profiles with their nodes'
/// files, and tailscale's serve config. It lives in one directory (`MOOR_STANDIN_DIR`):
/// `state.json`, `nodes/<profile>/…` for files inside each node, `calls.log` with one
/// JSON argv a line for every invocation, and `faults` for injected failures.
public struct World: Codable, Sendable {
    public struct Profile: Codable, Sendable {
        public var state = "Running"
        public var driver = "docker"
        public var runtime = "docker"
        public var cpus = 2
        public var memory = 4000
        public var disk = 20000
        public var apiServerPort = 8443
        public var names: [String] = []
        public var listenAddress = ""
        public var hostPort: Int?
        public var storageDriver = "overlay2 [[\"Backing Filesystem\",\"extfs\"],[\"Supports d_type\",\"true\"]]"
        /// How full `/var` in the node is, for `df`.
        public var diskUsePercent = 42

        public init() {}
    }

    public struct Handler: Codable, Sendable, Equatable {
        public var TCPForward: String?
        public var HTTPS: Bool?
    }

    public struct Service: Codable, Sendable, Equatable {
        public var TCP: [String: Handler]?
    }

    /// A real Docker engine the nodes are containers of (RealNodes); nil: pretend nodes under `nodes/`.
    public struct RealEngine: Codable, Sendable {
        /// The node image (scripts/test-engines builds `local/moor-node:test`).
        public var image: String
        /// The user-defined network every node joins (the test's, with its registry).
        public var network: String
        /// Extra labels on what the stand-in creates (`moor-test=1`, so leftovers can be found).
        public var labels: [String]

        public init(image: String, network: String, labels: [String] = []) {
            self.image = image
            self.network = network
            self.labels = labels
        }
    }

    public var realEngine: RealEngine?
    public var dockerRunning = true
    public var dockerMemTotal = 12 << 30
    public var nextHostPort = 32768
    public var profiles: [String: Profile] = [:]
    public var serveTCP: [String: Handler] = [:]
    public var serveServices: [String: Service] = [:]
    /// `approved`, `unapproved` or `untagged`: how `tailscale status --json` shows this node.
    public var tailscaleService = "approved"
    /// What a short-lived pod sees: `ok` or `fail` for DNS; by `server:export`, `ok` or `denied` for NFS.
    public var podDNS = "ok"
    public var nfs: [String: String] = [:]
    /// What `du -sk` in a node says instead of measuring.
    public var duOverrideKiB: Int?
    /// false: no systemd user instance (a root shell, no login session): `systemctl --user`
    /// fails as it does then.
    public var systemdUserBus: Bool?
    /// 1Password items: reference → value.
    public var opItems: [String: String] = [:]
    public init() {}

    /// Docker publishes five ports per minikube container; the API server gets the fourth,
    /// as in the recorded `docker port` sample.
    public mutating func allocateAPIPort() -> Int {
        defer { nextHostPort += 5 }
        return nextHostPort + 3
    }
}

/// Loading and saving a world directory.
public struct WorldStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    var statePath: String { directory + "/state.json" }
    public var callsPath: String { directory + "/calls.log" }
    public func nodeRoot(_ profile: String) -> String { directory + "/nodes/" + profile }

    public func load() -> World {
        guard let data = FileManager.default.contents(atPath: statePath),
              let world = try? JSONDecoder().decode(World.self, from: data) else { return World() }
        return world
    }

    public func save(_ world: World) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let temporary = statePath + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        try encoder.encode(world).write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, statePath)
    }

    public func update(_ change: (inout World) throws -> Void) throws {
        var world = load()
        try change(&world)
        try save(world)
    }

    /// Every recorded invocation, oldest first.
    public func calls() -> [[String]] {
        guard let text = try? String(contentsOfFile: callsPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            try? JSONDecoder().decode([String].self, from: Data(line.utf8))
        }
    }

    func logCall(_ argv: [String]) {
        guard let data = try? JSONEncoder().encode(argv) else { return }
        let fd = open(callsPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = data + Data("\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Every `MINIKUBE_HOME` the stand-ins were started with, one JSON string a line.
    public var minikubeHomes: [String] {
        guard let text = try? String(contentsOfFile: directory + "/minikube-home.log", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(String.self, from: Data($0.utf8)) }
    }

    func logMinikubeHome(_ home: String) {
        guard let data = try? JSONEncoder().encode(home) else { return }
        let fd = open(directory + "/minikube-home.log", O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = data + Data("\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// Adds a fault: the next `count` invocations of `tool` whose arguments contain `match` fail.
    public func injectFault(tool: String, match: String, count: Int = 1) throws {
        try addFault(tool: tool, match: match, count: count, file: "faults")
    }

    /// The next invocation of `tool` whose arguments contain `match` hangs until it is killed,
    /// after writing its pid to `hung.pid`.
    public func injectHang(tool: String, match: String) throws {
        try addFault(tool: tool, match: match, count: 1, file: "hangs")
    }

    /// The next `count` invocations of `tool` whose arguments contain `match` take 1.5 s.
    public func injectSlowness(tool: String, match: String, count: Int = 1) throws {
        try addFault(tool: tool, match: match, count: count, file: "slow")
    }

    /// The pid of the invocation that hung, if one did.
    public var hungPID: Int32? {
        (try? String(contentsOfFile: directory + "/hung.pid", encoding: .utf8)).flatMap { Int32($0) }
    }

    func addFault(tool: String, match: String, count: Int, file: String) throws {
        let line = "\(tool)\t\(match)\t\(count)\n"
        let path = directory + "/" + file
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try (existing + line).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Consumes a matching fault, if there is one.
    func takeFault(tool: String, arguments: [String], file: String = "faults") -> Bool {
        let path = directory + "/" + file
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        var hit = false
        let joined = arguments.joined(separator: " ")
        let lines = text.split(separator: "\n").map { line -> String in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard !hit, parts.count == 3, parts[0] == tool, joined.contains(parts[1]), let count = Int(parts[2]), count > 0 else {
                return String(line)
            }
            hit = true
            return "\(parts[0])\t\(parts[1])\t\(count - 1)"
        }
        if hit { try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) }
        return hit
    }
}
