import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor watch --print / --install / --uninstall` on Linux: the systemd user unit.
@Suite(.serialized) struct WatchInstallTests {
    @Test func printShowsTheUnitWithAbsolutePathsAndWritesNothing() async throws {
        let lab = try Homelab(lab: Homelab.watchLab("  reconcile: 60s\n"), standIns: StandIn.tools + ["systemctl"])
        let run = try await lab.moor("watch", "--print")
        #expect(run.exit == 0, "\(run.stderr)")
        let moor = URL(fileURLWithPath: Homelab.moor).resolvingSymlinksInPath().path
        #expect(run.stdout.contains("ExecStart=\"\(moor)\" \"watch\" \"--file\" \"\(lab.labPath)\"\n"), "\(run.stdout)")
        #expect(run.stdout.contains("Restart=on-failure"))
        #expect(run.stdout.contains("Environment=\"PATH=\(lab.environment["PATH"]!)\""))
        #expect(run.stdout.contains("Environment=\"MOOR_STATE_DIR=\(lab.scratch.path)/state\""))
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/.config/systemd/user/moor-watch.service"))
        #expect(lab.calls(["systemctl"]).isEmpty)
    }

    @Test func theUnitPassesSystemdAnalyzeVerify() async throws {
        guard let analyze = LocalRunner.lookup("systemd-analyze", in: "/usr/bin:/bin:/usr/local/bin") else {
            // Checked where the tool exists; .ci/run installs systemd, so under CI its absence fails.
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("systemd-analyze is missing (apt-get install systemd)") }
            return
        }
        let lab = try Homelab(lab: Homelab.watchLab("  reconcile: 60s\n"), standIns: StandIn.tools + ["systemctl"])
        let run = try await lab.moor("watch", "--print")
        let unit = lab.scratch.path + "/moor-watch.service"
        try run.stdout.write(toFile: unit, atomically: true, encoding: .utf8)
        let verify = try await LocalRunner(environment: ["HOME": lab.scratch.path]).run(Command(analyze, ["verify", "--man=no", unit]))
        #expect(verify.exitCode == 0, "systemd-analyze verify: \(verify.stderrText)")
        #expect(!verify.stderrText.contains("moor-watch.service:"), "\(verify.stderrText)")
    }

    @Test func installWritesEnablesAndUninstallUndoes() async throws {
        let lab = try Homelab(lab: Homelab.watchLab("  reconcile: 60s\n"), standIns: StandIn.tools + ["systemctl"])
        let path = lab.scratch.path + "/.config/systemd/user/moor-watch.service"
        let install = try await lab.moor("watch", "--install")
        #expect(install.exit == 0, "\(install.stderr)")
        let printed = try await lab.moor("watch", "--print").stdout
        #expect(try String(contentsOfFile: path, encoding: .utf8) == printed)
        #expect(lab.calls(["systemctl"]) == [["systemctl", "--user", "show-environment"], ["systemctl", "--user", "daemon-reload"],
                                             ["systemctl", "--user", "enable", "--now", "moor-watch.service"]])
        #expect(install.stdout.contains("wrote \(path)"))

        let uninstall = try await lab.moor("watch", "--uninstall")
        #expect(uninstall.exit == 0, "\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(lab.calls(["systemctl"]).suffix(2) == [["systemctl", "--user", "disable", "--now", "moor-watch.service"], ["systemctl", "--user", "daemon-reload"]])
        let again = try await lab.moor("watch", "--uninstall")
        #expect(again.exit == 0)
        #expect(again.stdout.contains("nothing to remove"))
    }

    @Test func aFailingServiceManagerIsAnErrorNamingTheCommand() async throws {
        let lab = try Homelab(lab: Homelab.watchLab("  reconcile: 60s\n"), standIns: StandIn.tools + ["systemctl"])
        try lab.world.injectFault(tool: "systemctl", match: "enable")
        let install = try await lab.moor("watch", "--install")
        #expect(install.exit == 1)
        #expect(install.stderr.contains("systemctl --user enable --now moor-watch.service"), "\(install.stderr)")
        #expect(install.stderr.contains("nothing was installed"), "\(install.stderr)")
        #expect(!install.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/.config/systemd/user/moor-watch.service"), "no unit left behind")
    }

    @Test func noSystemdUserInstanceSaysWhatToDoAndWritesNothing() async throws {
        let lab = try Homelab(lab: Homelab.watchLab("  reconcile: 60s\n"), standIns: StandIn.tools + ["systemctl"])
        try lab.world.update { $0.systemdUserBus = false }
        let install = try await lab.moor("watch", "--install")
        #expect(install.exit == 1)
        let error = install.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(error.count == 1, "one line: \(install.stderr)")
        #expect(install.stderr.contains("Failed to connect to bus: No medium found"))
        #expect(install.stderr.contains("loginctl enable-linger"), "\(install.stderr)")
        #expect(install.stderr.contains("nothing was installed"))
        #expect(!FileManager.default.fileExists(atPath: lab.scratch.path + "/.config/systemd/user/moor-watch.service"))
        #expect(lab.calls(["systemctl"]) == [["systemctl", "--user", "show-environment"]])
    }

    @Test func aTextfileWhoseDirectoryIsMissingIsAnErrorNamingIt() async throws {
        let missing = "/tmp/moor-no-such-node-exporter-\(UInt32.random(in: 0...UInt32.max))"
        let lab = try Homelab(lab: Homelab.watchLab("  metrics:\n    textfile: \(missing)/moor.prom\n"))
        let run = try await lab.moor("watch")
        #expect(run.exit == 1)
        #expect(run.stderr.contains("the directory of watch.metrics.textfile, \(missing), does not exist"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing), "not created")
    }

    @Test func conflictingFlagsAndABadWatchSectionAreRefused() async throws {
        let lab = try Homelab(lab: Homelab.watchLab("  metrics:\n    listen: 0.0.0.0:9464\n"))
        let run = try await lab.moor("watch")
        #expect(run.exit == 65)
        #expect(run.stderr.contains("`watch.metrics.listen` is `0.0.0.0:9464`, which is not a loopback address"), "\(run.stderr)")
        let both = try await lab.moor("watch", "--install", "--uninstall")
        #expect(both.exit == 64)

        try lab.writeLab("version: 1\nwatch: {}\n")
        let nothing = try await lab.moor("watch")
        #expect(nothing.exit == 1)
        #expect(nothing.stderr.contains("has no `cluster` and no `checks`: nothing to watch"), "\(nothing.stderr)")

        let taken = try await HTTPRecorder()
        try lab.writeLab(Homelab.watchLab("  metrics:\n    listen: 127.0.0.1:\(taken.port)\n"))
        let busy = try await lab.moor("watch")
        #expect(busy.exit == 1)
        #expect(busy.stderr.contains("cannot serve metrics on 127.0.0.1:\(taken.port) (watch.metrics.listen)"), "\(busy.stderr)")
    }
}
