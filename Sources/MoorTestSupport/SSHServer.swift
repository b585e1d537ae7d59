import Foundation
import MoorSystem
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH server on 127.0.0.1 with a generated host key and one authorised client
/// key, logging at VERBOSE so tests can count connections. In CI it must exist (.ci/run
/// installs openssh-server); a missing sshd is an error, never a skip.
public final class SSHServer: @unchecked Sendable {
    public let port: Int
    public let directory: String
    public let clientKey: String
    public let knownHosts: String
    public let logPath: String
    public let user: String
    private let task: Task<Void, Never>

    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "no sshd in \(SSHServer.candidates.joined(separator: ", ")); install OpenSSH's server (Debian's openssh-server; .ci/run does)"
        }
    }

    /// Where sshd is looked for: Debian's and macOS's, then Homebrew's and other local installs.
    public static let candidates = ["/usr/sbin/sshd", "/usr/local/sbin/sshd", "/opt/homebrew/sbin/sshd", "/opt/homebrew/opt/openssh/sbin/sshd"]

    /// `environment` is set in every session (sshd's SetEnv): the remote side of a test can
    /// find stand-in tools that way.
    public static func start(in directory: String, environment: [String: String] = [:]) async throws -> SSHServer {
        guard let sshd = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw Missing() }
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try await run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/host_key"])
        try await run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory + "/client_key"])
        try FileManager.default.copyItem(atPath: directory + "/client_key.pub", toPath: directory + "/authorized_keys")
        let port = try freePort()
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8)
        try "[127.0.0.1]:\(port) \(hostKey)".write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            LogLevel VERBOSE
            MaxSessions 100
            MaxStartups 100
            """ + (environment.isEmpty ? "" : "\nSetEnv " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n")
        try config.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
        // sshd runs in the background for the test's lifetime (swift-subprocess, like every
        // process of the test runner; Foundation's Process and it must not both reap children).
        let task = Task {
            _ = try? await LocalRunner().run(Command(sshd, ["-D", "-f", directory + "/sshd_config", "-E", directory + "/sshd.log"],
                                                     timeout: .seconds(3600)))
        }
        let server = SSHServer(port: port, directory: directory, user: user, task: task)
        try await server.waitUntilListening()
        return server
    }

    private init(port: Int, directory: String, user: String, task: Task<Void, Never>) {
        self.port = port
        self.directory = directory
        self.clientKey = directory + "/client_key"
        self.knownHosts = directory + "/known_hosts"
        self.logPath = directory + "/sshd.log"
        self.user = user
        self.task = task
    }

    deinit { stop() }

    /// Cancelling the task tears sshd down (SIGTERM, then SIGKILL).
    public func stop() {
        task.cancel()
    }

    /// Options that make `ssh` reach this server as the current user with the test key.
    public var sshOptions: [String] {
        ["-p", String(port), "-i", clientKey, "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(knownHosts)",
         "-o", "StrictHostKeyChecking=yes", "-o", "User=\(user)", "-o", "LogLevel=ERROR"]
    }

    /// An ssh_config block naming this server `alias`.
    public func configBlock(alias: String) -> String {
        """
        Host \(alias)
          HostName 127.0.0.1
          Port \(port)
          User \(user)
          IdentityFile \(clientKey)
          IdentitiesOnly yes
          UserKnownHostsFile \(knownHosts)
          StrictHostKeyChecking yes
          LogLevel ERROR

        """
    }

    /// Authenticated connections so far, from sshd's log.
    public var acceptedConnections: Int {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "Accepted publickey").count - 1
    }

    func waitUntilListening() async throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw SSHServerFailed(message: "sshd did not start: \(log.suffix(400))")
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, PortableSocket.stream, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, PortableSocket.stream, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw SSHServerFailed(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func run(_ executable: String, _ arguments: [String]) async throws {
        let result = try await LocalRunner().run(Command(executable, arguments))
        guard result.exitCode == 0 else { throw SSHServerFailed(message: "\(executable) failed: \(result.firstStderrLine ?? "")") }
    }
}

public struct SSHServerFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
