import Foundation
import MoorCore
import MoorEngine
import MoorSystem

/// Installs `moor watch` as a LaunchAgent (macOS) or a systemd user unit (Linux), loads it,
/// and undoes both.
public struct ServiceInstaller: Sendable {
    public enum Platform: String, Sendable {
        case launchd, systemd

        public static var current: Platform {
            #if os(macOS)
            .launchd
            #else
            .systemd
            #endif
        }
    }

    let files: ServiceFiles
    let platform: Platform
    let context: MoorContext

    public init(files: ServiceFiles, platform: Platform = .current, context: MoorContext) {
        self.files = files
        self.platform = platform
        self.context = context
    }

    public var path: String { platform == .launchd ? files.launchAgentPath : files.unitPath }

    public func text() throws -> String {
        platform == .launchd ? try files.launchAgent() : files.systemdUnitText()
    }

    /// Writes the file atomically, then loads it; returns what was done, one line each.
    public func install() async throws -> [String] {
        let text = try text()
        if platform == .systemd { try await userInstanceAnswers() }
        if platform == .launchd { try context.files.ensureDirectory(files.logDirectory) }
        let previous = context.files.exists(path) ? try? context.files.read(path, limit: 1 << 20) : nil
        try context.files.write(Array(text.utf8), to: path, mode: 0o644)
        do {
            return try await load(path)
        } catch {
            // Nothing half-installed: the file goes back to what it was (or away).
            if let previous { try? context.files.write(previous, to: path, mode: 0o644) } else { try? context.files.remove(path) }
            let moor = MoorError.from(error)
            throw MoorError(code: moor.code, message: moor.message + "; nothing was installed (\(path) \(previous == nil ? "removed" : "restored"))",
                            argv: moor.argv, exitCode: moor.exitCode, stderrLine: moor.stderrLine, cause: error as? MoorError)
        }
    }

    /// `systemctl --user` needs the user's systemd instance (a login session, or lingering).
    func userInstanceAnswers() async throws {
        let probe = Command("systemctl", ["--user", "show-environment"], timeout: .seconds(30))
        let result = try await context.runner.run(probe)
        guard result.exitCode != 0 else { return }
        throw MoorError(code: .unavailable,
                        message: "there is no systemd user instance to install into (`systemctl --user`: \(result.firstStderrLine ?? "exit \(result.exitCode)")); "
                            + "run `loginctl enable-linger $USER` and log in again, or run watch as a system service: "
                            + "`moor watch --print` shows the unit to adapt for /etc/systemd/system; nothing was installed",
                        argv: probe.displayArgv, exitCode: result.exitCode, stderrLine: result.firstStderrLine)
    }

    func load(_ path: String) async throws -> [String] {
        var done = ["wrote \(path)"]
        switch platform {
        case .launchd:
            let domain = "gui/\(getuid())"
            // A loaded older version is replaced; not being loaded is fine.
            _ = try? await context.runner.run(Command("launchctl", ["bootout", "\(domain)/\(ServiceFiles.launchdLabel)"], timeout: .seconds(30)))
            _ = try await context.runner.output(Command("launchctl", ["bootstrap", domain, path], timeout: .seconds(30)))
            done.append("loaded \(ServiceFiles.launchdLabel) (launchctl bootstrap \(domain)); logs in \(files.logDirectory)/watch.log")
        case .systemd:
            _ = try await context.runner.output(Command("systemctl", ["--user", "daemon-reload"], timeout: .seconds(30)))
            _ = try await context.runner.output(Command("systemctl", ["--user", "enable", "--now", ServiceFiles.systemdUnit], timeout: .seconds(60)))
            done.append("enabled and started \(ServiceFiles.systemdUnit) (logs: journalctl --user -u \(ServiceFiles.systemdUnit)); for it to run without a login session: loginctl enable-linger")
        }
        return done
    }

    /// Stops and unloads the service, then removes its file; nothing installed is fine.
    public func uninstall() async throws -> [String] {
        var done: [String] = []
        switch platform {
        case .launchd:
            let result = try? await context.runner.run(Command("launchctl", ["bootout", "gui/\(getuid())/\(ServiceFiles.launchdLabel)"], timeout: .seconds(30)))
            if result?.exitCode == 0 { done.append("unloaded \(ServiceFiles.launchdLabel)") }
        case .systemd:
            if context.files.exists(path) {
                let result = try? await context.runner.run(Command("systemctl", ["--user", "disable", "--now", ServiceFiles.systemdUnit], timeout: .seconds(60)))
                if result?.exitCode == 0 { done.append("stopped and disabled \(ServiceFiles.systemdUnit)") }
            }
        }
        if context.files.exists(path) {
            try context.files.remove(path)
            done.append("removed \(path)")
            if platform == .systemd {
                _ = try? await context.runner.run(Command("systemctl", ["--user", "daemon-reload"], timeout: .seconds(30)))
            }
        }
        return done.isEmpty ? ["nothing to remove: \(path) does not exist"] : done
    }
}
