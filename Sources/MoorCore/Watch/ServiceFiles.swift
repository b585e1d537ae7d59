import Foundation

/// The files that make `moor watch` start at login and come back when it dies: a launchd
/// LaunchAgent on macOS, a systemd user unit on Linux. Pure: paths in, text out.
public struct ServiceFiles: Sendable, Equatable {
    public static let launchdLabel = "dev.moor.watch"
    public static let systemdUnit = "moor-watch.service"

    /// Absolute path of the moor executable.
    public var executable: String
    /// Absolute path of the lab file.
    public var labPath: String
    public var home: String
    /// Variables the service needs (PATH, so minikube, docker and tailscale are found;
    /// MOOR_STATE_DIR when set). Never a secret: the token comes from an op:// reference or
    /// an environment file the user keeps.
    public var environment: [String: String]

    public init(executable: String, labPath: String, home: String, environment: [String: String]) {
        self.executable = executable
        self.labPath = labPath
        self.home = home
        self.environment = environment
    }

    public var arguments: [String] { [executable, "watch", "--file", labPath] }

    // MARK: launchd

    public var launchAgentPath: String { home + "/Library/LaunchAgents/\(Self.launchdLabel).plist" }
    public var logDirectory: String { home + "/Library/Logs/moor" }

    /// KeepAlive and RunAtLoad: launchd starts it at login and again whenever it exits.
    public func launchAgent() throws -> String {
        let plist: [String: Any] = [
            "Label": Self.launchdLabel,
            "ProgramArguments": arguments,
            "RunAtLoad": true,
            "KeepAlive": true,
            "ThrottleInterval": 10,
            "ProcessType": "Background",
            "EnvironmentVariables": environment,
            "StandardOutPath": logDirectory + "/watch.log",
            "StandardErrorPath": logDirectory + "/watch.log",
            "WorkingDirectory": (labPath as NSString).deletingLastPathComponent,
        ]
        let data = try PropertyListSerialization.data(fromPropertyList: plist, format: .xml, options: 0)
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: systemd

    public var unitPath: String { home + "/.config/systemd/user/\(Self.systemdUnit)" }

    /// Restart=on-failure; the user's `~/.config/moor/watch.env` (optional) can hold
    /// NTFY_TOKEN for an `env://` reference without it being written here.
    public func systemdUnitText() -> String {
        var lines = [
            "[Unit]",
            "Description=moor watch: keep the homelab in \(Self.escapeSpecifiers(labPath)) converged, checked and alerting",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=exec",
            "ExecStart=" + arguments.map { Self.systemdQuote($0) }.joined(separator: " "),
            // A path, verbatim but for specifiers: systemd does not unquote this one.
            "WorkingDirectory=" + Self.escapeSpecifiers((labPath as NSString).deletingLastPathComponent),
        ]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            lines.append("Environment=" + Self.systemdQuote("\(key)=\(value)", expandsVariables: false))
        }
        lines += [
            "EnvironmentFile=-%h/.config/moor/watch.env",
            "Restart=on-failure",
            "RestartSec=5",
            "TimeoutStopSec=10",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// One word of ExecStart= or Environment=: double-quoted, with `\` and `"` escaped,
    /// `%` doubled (specifiers) and, where systemd expands variables (ExecStart=), `$` too.
    public static func systemdQuote(_ word: String, expandsVariables: Bool = true) -> String {
        var out = "\""
        for character in word {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "%": out += "%%"
            case "$" where expandsVariables: out += "$$"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    static func escapeSpecifiers(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "\n", with: " ")
    }
}
