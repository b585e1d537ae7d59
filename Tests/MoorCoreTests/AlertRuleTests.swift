import Foundation
import Testing
import MoorCore
import MoorTestSupport

/// Gatus' alerting rule, evaluation by evaluation.
@Suite struct AlertRuleTests {
    let at = Date(timeIntervalSince1970: 1_764_384_000)

    func run(_ rule: AlertRule, _ results: [Bool]) -> (AlertState, [AlertMessage.Kind]) {
        var state = AlertState()
        for success in results { state = rule.next(state, name: "web", success: success, detail: success ? "ok" : "500", at: at) }
        return (state, state.outbox.map(\.kind))
    }

    @Test func triggersAfterTheFailureThresholdAndResolvesAfterTheSuccessThreshold() {
        let rule = AlertRule()
        #expect(run(rule, [false, false]).1 == [])
        #expect(run(rule, [false, false, false]).1 == [.triggered])
        #expect(run(rule, [false, false, false, false, false]).1 == [.triggered], "no repeat while failing")
        #expect(run(rule, [false, false, false, true]).1 == [.triggered])
        #expect(run(rule, [false, false, false, true, true]).1 == [.triggered, .resolved])
        #expect(run(rule, [false, false, false, true, false, true, true]).1 == [.triggered, .resolved], "the success count starts again")
        #expect(!run(rule, [false, false, false, true, true]).0.firing)
    }

    @Test func flappingBelowTheThresholdNeverAlerts() {
        #expect(run(AlertRule(), [false, false, true, false, false, true, false, false]).1 == [])
    }

    @Test func resolvedIsSentOnlyWhenAsked() {
        let rule = AlertRule(failureThreshold: 1, successThreshold: 1, sendOnResolved: false)
        let (state, kinds) = run(rule, [false, true])
        #expect(kinds == [.triggered])
        #expect(!state.firing)
    }

    @Test func aDeliveredMessageLeavesTheOutbox() {
        let (state, _) = run(AlertRule(failureThreshold: 1), [false])
        let message = state.outbox[0]
        #expect(message.title == "moor: web failing")
        #expect(state.delivered(message).outbox.isEmpty)
    }

    @Test func ntfyPayloadHasTheFieldsNtfyReads() throws {
        let message = AlertMessage(kind: .resolved, name: "Grafana", detail: "HTTP 200 in 12 ms", at: at)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(NtfyPublish(topic: "homelab", priority: 4, message: message))) as? [String: Any]
        #expect(json?["topic"] as? String == "homelab")
        #expect(json?["title"] as? String == "moor: Grafana resolved")
        #expect(json?["message"] as? String == "HTTP 200 in 12 ms")
        #expect(json?["tags"] as? [String] == ["white_check_mark"])
        #expect(json?["priority"] as? Int == 4)
        let noPriority = try JSONSerialization.jsonObject(with: JSONEncoder().encode(NtfyPublish(topic: "t", priority: nil, message: message))) as? [String: Any]
        #expect(noPriority?["priority"] == nil)
    }
}

/// `docker events --format '{{json .}}'`, old and new shapes.
@Suite struct DockerEventTests {
    @Test func parsesTheRecordedShapesReadingOnlyTheStableFields() throws {
        let lines = try Fixtures.text("docker/events.minikube-container.DERIVED.jsonl").split(separator: "\n").map(String.init)
        let events = lines.compactMap(DockerEvent.parse)
        #expect(events.map(\.action) == ["die", "start", "start"])
        #expect(events.allSatisfy { $0.type == "container" && $0.profile == "minikube" })
        #expect(events[0].attributes["exitCode"] == "130")
        #expect(events[1].since == "1764384121.554120871")
        #expect(events[2].since == "1764384999.000000000")
        // Without status/id/from it parses the same (the third line has none).
        #expect(!lines[2].contains("\"status\""))
    }

    @Test func notEventsAreSkipped() {
        #expect(DockerEvent.parse("") == nil)
        #expect(DockerEvent.parse("{\"Type\":\"container\"") == nil)
        #expect(DockerEvent.parse("{\"status\":\"start\",\"id\":\"x\"}") == nil, "the old-only fields are not read")
        #expect(DockerEvent.parse("{\"Type\":\"container\",\"Action\":\"start\",\"time\":5}")?.since == "5")
    }
}

/// The LaunchAgent and the systemd unit `moor watch --install` writes.
@Suite struct ServiceFilesTests {
    let files = ServiceFiles(executable: "/opt/homebrew/bin/moor", labPath: "/Users/erich/lab/moor.yaml", home: "/Users/erich",
                             environment: ["PATH": "/opt/homebrew/bin:/usr/bin:/bin", "MOOR_STATE_DIR": "/Users/erich/.local/state/moor"])

    @Test func theLaunchAgentKeepsWatchAliveWithAbsolutePaths() throws {
        let text = try files.launchAgent()
        let plist = try PropertyListSerialization.propertyList(from: Data(text.utf8), format: nil) as? [String: Any]
        #expect(plist?["Label"] as? String == "dev.moor.watch")
        #expect(plist?["ProgramArguments"] as? [String] == ["/opt/homebrew/bin/moor", "watch", "--file", "/Users/erich/lab/moor.yaml"])
        #expect(plist?["KeepAlive"] as? Bool == true)
        #expect(plist?["RunAtLoad"] as? Bool == true)
        #expect(plist?["StandardErrorPath"] as? String == "/Users/erich/Library/Logs/moor/watch.log")
        #expect((plist?["EnvironmentVariables"] as? [String: String])?["PATH"] == "/opt/homebrew/bin:/usr/bin:/bin")
        #expect(files.launchAgentPath == "/Users/erich/Library/LaunchAgents/dev.moor.watch.plist")
        #expect(text.hasPrefix("<?xml"))
    }

    @Test func theSystemdUnitRestartsOnFailureAndQuotesEveryWord() {
        let odd = ServiceFiles(executable: "/home/e/my bin/moor", labPath: "/home/e/100% \"lab\"/$HOME.yaml", home: "/home/e", environment: ["PATH": "/usr/bin"])
        let text = odd.systemdUnitText()
        #expect(text.contains("ExecStart=\"/home/e/my bin/moor\" \"watch\" \"--file\" \"/home/e/100%% \\\"lab\\\"/$$HOME.yaml\"\n"), "\(text)")
        #expect(text.contains("\nWorkingDirectory=/home/e/100%% \"lab\"\n"), "\(text)")
        #expect(text.contains("\nRestart=on-failure\n"))
        #expect(text.contains("\nEnvironment=\"PATH=/usr/bin\"\n"))
        #expect(text.contains("\nWantedBy=default.target\n"))
        #expect(odd.unitPath == "/home/e/.config/systemd/user/moor-watch.service")
    }
}
