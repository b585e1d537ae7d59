import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorSystem
import MoorWatch
import MoorTestSupport

/// Installing as a LaunchAgent (the Mac path, run here with a scripted launchctl).
@Suite struct ServiceInstallerTests {
    @Test func launchdInstallWritesThePlistThenBootstrapsAndUninstallBootsOut() async throws {
        let home = try Scratch("moor-launchd")
        let runner = FakeRunner()
        runner.on(["launchctl", "bootout"], exit: 3, stderr: "Boot-out failed: 3: No such process\n")
        runner.on(["launchctl", "bootstrap"])
        let context = MoorContext(runner: runner, journal: try TestJournal.make(), stateDirectory: home.path + "/state")
        let files = ServiceFiles(executable: "/opt/homebrew/bin/moor", labPath: home.path + "/moor.yaml", home: home.path,
                                 environment: ["PATH": "/opt/homebrew/bin:/usr/bin:/bin"])
        let installer = ServiceInstaller(files: files, platform: .launchd, context: context)
        let done = try await installer.install()
        let plist = home.path + "/Library/LaunchAgents/dev.moor.watch.plist"
        #expect(try String(contentsOfFile: plist, encoding: .utf8) == (try files.launchAgent()))
        #expect(FileManager.default.fileExists(atPath: home.path + "/Library/Logs/moor"))
        let uid = getuid()
        #expect(runner.commands.map(\.argv) == [["launchctl", "bootout", "gui/\(uid)/dev.moor.watch"], ["launchctl", "bootstrap", "gui/\(uid)", plist]])
        #expect(done.first == "wrote \(plist)")

        runner.on(["launchctl", "bootout"])
        let undone = try await installer.uninstall()
        #expect(!FileManager.default.fileExists(atPath: plist))
        #expect(undone == ["unloaded dev.moor.watch", "removed \(plist)"])
    }

    @Test func aFailedBootstrapIsAnErrorNamingLaunchctl() async throws {
        let home = try Scratch("moor-launchd")
        let runner = FakeRunner()
        runner.on(["launchctl", "bootout"], exit: 3)
        runner.on(["launchctl", "bootstrap"], exit: 5, stderr: "Bootstrap failed: 5: Input/output error\n")
        let context = MoorContext(runner: runner, journal: try TestJournal.make(), stateDirectory: home.path + "/state")
        let files = ServiceFiles(executable: "/usr/local/bin/moor", labPath: home.path + "/moor.yaml", home: home.path, environment: [:])
        await #expect(throws: MoorError.self) { _ = try await ServiceInstaller(files: files, platform: .launchd, context: context).install() }
        do {
            _ = try await ServiceInstaller(files: files, platform: .launchd, context: context).install()
        } catch let error as MoorError {
            #expect(error.message.contains("launchctl bootstrap"), "\(error.message)")
            #expect(error.message.contains("Bootstrap failed: 5"), "\(error.message)")
        }
    }
}
