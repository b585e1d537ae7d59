import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

@Suite(.serialized) struct CLITests {
    @Test func validateAndExitCodes() async throws {
        let lab = try Homelab(lab: Labs.seed())
        let ok = try await lab.moor("validate")
        #expect(ok.exit == 0 && ok.stdout == "ok\n" && ok.stderr.isEmpty)
        try lab.writeLab("version: 1\ncluster:\n  cpu: 4\n")
        let bad = try await lab.moor("validate")
        #expect(bad.exit == 65)
        #expect(bad.stderr == "\(lab.labPath):3:3: error: unknown key `cpu` in `cluster`; did you mean `cpus`?\n")
        #expect(bad.stdout.isEmpty)
        #expect(try await lab.moor("plan").exit == 65)
        #expect(try await lab.moor("frobnicate").exit == 64)
        #expect(try await lab.moor("history", "--limit", "0").exit == 64)
        let help = try await lab.moor("--help")
        #expect(help.exit == 0 && help.stdout.contains("validate"))

        // -o json gives the problems as JSON too (and the same exit status).
        let json = try await lab.moor("validate", "-o", "json")
        #expect(json.exit == 65)
        let report = try json.json()
        #expect(report["ok"] as? Bool == false && report["file"] as? String == lab.labPath)
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(problems.count == 1 && problems[0]["line"] as? Int == 3 && problems[0]["column"] as? Int == 3)
        #expect((problems[0]["message"] as? String)?.hasPrefix("unknown key `cpu`") == true)
        let missing = try await lab.moor("validate", "-o", "json", "-f", lab.scratch.path + "/none.yaml")
        #expect(missing.exit == 66)
        #expect(((try missing.json()["problems"] as? [[String: Any]])?.first?["line"]) is NSNull)
    }

    @Test func probeAndDemoTakeDebugLikeEveryCommand() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        let probe = try await lab.moor("probe", "tcp://127.0.0.1:1", "--debug", "--timeout", "1s")
        #expect(probe.exit == 2 || probe.exit == 64, "\(probe.stderr)")
        let tcp = try await lab.moor("probe", "127.0.0.1:1", "--debug", "--timeout", "1s")
        #expect(tcp.exit == 2, "a failed probe, not a usage error: \(tcp.stderr)")
        #expect(tcp.stderr.contains("debug: probe 127.0.0.1:1"), "\(tcp.stderr)")
        let demo = try await lab.moor("demo", "--debug", "--help")
        #expect(demo.exit == 0 && demo.stdout.contains("--debug"))
    }

    @Test func mutatedLabFilesExit65WithAPosition() async throws {
        let lab = try Homelab(lab: "")
        var random = SeededRandom(seed: 42)
        let example = try Fixtures.example()
        for round in 0..<25 {
            let (bytes, kind) = LabMutator.mutate(example, with: &random)
            try Data(bytes).write(to: URL(fileURLWithPath: lab.labPath))
            let run = try await lab.moor("validate")
            #expect(run.exit == 65, "round \(round): \(kind)")
            let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.range(of: #"^.+:\d+:\d+: error: .+"#, options: .regularExpression) != nil, "round \(round): \(first)")
        }
    }

    @Test func theExampleWithoutAHomelabEndsInAClearError() async throws {
        let lab = try Homelab(lab: try Fixtures.example())
        let run = try await lab.moor("plan")
        #expect(run.exit == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("error: indri is unreachable over ssh") || run.stderr.hasPrefix("error: ssh is not installed"))
    }

    @Test func aMissingToolIsNamed() async throws {
        let lab = try Homelab(lab: Labs.seed())
        try FileManager.default.removeItem(atPath: lab.bin + "/minikube")
        let run = try await lab.moor("plan")
        #expect(run.exit == 1)
        #expect(run.stderr == "error: minikube is not installed (not found on PATH); install it or fix PATH\n")
    }

    @Test func statusAndHistoryJSONShapes() async throws {
        let lab = try Homelab(lab: Labs.seed())
        let absent = try await lab.moor("status", "-o", "json").json()
        #expect((absent["cluster"] as? [String: Any])?["state"] as? String == "absent")
        #expect(try await lab.moor("up").exit == 0)
        let status = try await lab.moor("status", "-o", "json").json()
        #expect(Set(status.keys) == ["cluster", "expose", "mirrors", "argocd"])
        #expect(status["argocd"] is NSNull, "no gitops section")
        let cluster = try #require(status["cluster"] as? [String: Any])
        #expect(Set(cluster.keys) == ["name", "state", "driver", "apiServer"])
        #expect(cluster["state"] as? String == "running" && cluster["driver"] as? String == "docker")
        #expect((status["mirrors"] as? [[String: Any]])?.allSatisfy { $0["inSync"] as? Bool == true } == true)
        let expose = try #require(status["expose"] as? [String: Any])
        #expect((expose["target"] as? String)?.hasPrefix("localhost:") == true)
        let history = try await lab.moor("history", "-o", "json").json()
        let runs = try #require(history["runs"] as? [[String: Any]])
        #expect(runs.map { $0["command"] as? String } == ["up"])
        #expect(runs.first?["changes"] as? Int == 6)
        #expect((runs.first?["startedAt"] as? String)?.hasSuffix("Z") == true)
        let id = try #require(runs.first?["id"] as? Int)
        let shown = try await lab.moor("history", String(id), "-o", "json").json()
        let changes = try #require(shown["changes"] as? [[String: Any]])
        #expect(changes.map { $0["resource"] as? String }.first == "cluster")
        #expect((changes.first?["after"] as? String)?.contains(#""cpus":"6""#) == true)
        #expect(changes.first { $0["resource"] as? String == "mirror:quay.io" }?["after"] as? String != nil, "the hosts.toml written")
        #expect(try await lab.moor("history", String(id)).stdout.contains("mirror:quay.io"))
        let mode = try FileManager.default.attributesOfItem(atPath: lab.scratch.path + "/state")[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    @Test func hostileLabValuesReachToolsUnchangedLocallyAndOverSSH() async throws {
        let hostile = "/tmp/a b 'q' \"dq\" ;$(touch /tmp/moor-e2e-pwned)\nline2"
        for host in [nil, "indri"] as [String?] {
            let lab = try Homelab(lab: Labs.seed(host: host, minikubeHome: hostile))
            // An ssh that does what sshd does with the command string: run it with sh -c.
            _ = try lab.scratch.write("bin/ssh", "#!/bin/sh\nfor last; do :; done\nexec /bin/sh -c \"$last\"\n", mode: 0o755)
            let up = try await lab.moor("up")
            #expect(up.exit == 0, "\(up.stderr)")
            #expect(!lab.world.minikubeHomes.isEmpty && lab.world.minikubeHomes.allSatisfy { $0 == hostile }, "host \(host ?? "local")")
            #expect(try await lab.moor("plan").exit == 0, "host \(host ?? "local"): the mirrors read back through both shells")
            #expect(!FileManager.default.fileExists(atPath: "/tmp/moor-e2e-pwned"))
        }
    }

    @Test func anAPIServerNameThatIsNotADNSNameOrAddressIsRefusedAtItsPosition() async throws {
        let lab = try Homelab(lab: Labs.seed(extraNames: ["bad name;rm -rf /"]))
        let run = try await lab.moor("validate")
        #expect(run.exit == 65)
        #expect(run.stderr.contains("moor.yaml:10:46: error:"), "\(run.stderr)")
        #expect(run.stderr.contains("found `bad name;rm -rf /`"))
        #expect(try await lab.moor("up").exit == 65)
        #expect(lab.world.calls().isEmpty, "nothing ran")
        for good in ["k8s.tail8d86e.ts.net", "indri", "100.64.0.1", "fd7a:115c:a1e0::1"] {
            try lab.writeLab(Labs.seed(extraNames: [good]))
            #expect(try await lab.moor("validate").exit == 0, "\(good)")
        }
    }

    @Test func hugeFilesAreRefusedAfterAStatNotRead() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        let big = lab.scratch.path + "/big.yaml"
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: 2 << 30)   // 2 GiB, sparse: nothing to read but its size
        try handle.close()
        let run = try await lab.moor("validate", "-f", big)
        #expect(run.exit == 65)
        #expect(run.stderr.contains("big.yaml:1:1: error: the lab file is larger than 1 MiB"), "\(run.stderr)")

        // A certificate file of the same size: the check fails at setup, moor does not read it.
        try lab.writeLab("version: 1\nchecks:\n  - name: big-ca\n    tls: 127.0.0.1:1\n    ca: big.yaml\n")
        let check = try await lab.moor("check", "-o", "json")
        #expect(check.exit == 2)
        #expect(check.stdout.contains("is 2147483648 bytes, more than the 1048576 bytes moor reads"), "\(check.stdout)")
    }

    @Test func theDemoTellsTheWholeStory() async throws {
        let lab = try Homelab(lab: "", standIns: [])   // the demo lays out its own; kubectl is the real one
        let run = try await lab.moor("demo", "--standin", Homelab.standIn)
        #expect(run.exit == 0, "\(run.stderr)")
        #expect(run.stdout.contains("12 change(s) pending"), "an empty machine: the cluster loop, ArgoCD, two Secrets, three apps")
        #expect(run.stdout.contains("miniflux: Progressing — Secret miniflux/miniflux-config is missing (template argocd/manifests/miniflux/secret.yaml.tpl)"))
        #expect(run.stdout.contains("miniflux  Synced  Healthy"))
        #expect(run.stdout.contains("in sync: 12 resource(s), nothing to do"))
        #expect(run.stdout.contains("repoint svc:k8s tcp/443"))
        #expect(run.stdout.contains("restarting containerd"))
        #expect(run.stdout.contains("container minikube: die"), "\(run.stdout)")
        #expect(run.stdout.contains("applied cluster: start the stopped cluster `minikube`"))
        #expect(run.stdout.contains("applied expose:svc:k8s:443: repoint svc:k8s tcp/443"))
        #expect(run.stdout.contains("kubernetes-api  ok"))
        #expect(run.stdout.contains("v3.1.9, available; apps 3, synced 3, healthy 3"))
        #expect(run.stdout.contains("docker driver, containerd runtime"), "the header says the runtime the plan shows")
        #expect(run.stdout.contains("cp examples/homelab.yaml moor.yaml"), "the closing line points at the example")
        #expect(!run.stdout.contains("more)"), "watch names every change it applies, not a count")
    }
}

/// What the install gives besides the binary: shell completions for every subcommand (the
/// Homebrew formula installs them), and the formula naming the files it installs.
@Suite struct InstallTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionsCoverEverySubcommand(shell: String) async throws {
        let run = try await LocalRunner().run(Command(Homelab.moor, ["--generate-completion-script", shell]))
        #expect(run.exitCode == 0)
        for subcommand in ["validate", "schema", "plan", "up", "migrate", "rollback", "status", "check", "probe", "kubeconfig",
                           "apps", "secrets", "doctor", "watch", "history", "demo"] {
            #expect(run.stdoutText.contains(subcommand), "\(shell) completion lacks \(subcommand)")
        }
    }

    @Test func theFormulaInstallsTheBinaryTheStandInsAndTheCompletions() throws {
        let formula = try String(contentsOfFile: Fixtures.packageRoot + "/Formula/moor.rb", encoding: .utf8)
        #expect(formula.contains(#"bin.install ".build/release/moor""#))
        #expect(formula.contains(#"(libexec/"moor").install ".build/release/moor-standin""#), "where `moor demo` looks")
        #expect(formula.contains(#"generate_completions_from_executable(bin/"moor", "--generate-completion-script""#))
        #expect(formula.contains("version \"\(try #require(String(contentsOfFile: Fixtures.packageRoot + "/Sources/MoorCommands/Moor.swift", encoding: .utf8).split(separator: "\"").first { $0.first?.isNumber == true && $0.contains(".") }))\""),
                "the formula's version is moor's")
    }
}
