import Foundation
import Testing
import MoorCommands
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// Every error a user can cause, through the binary: one line (`error: …`, or a lab file's
/// positioned problems), the next step where there is one, no Swift type name, enum case or
/// stack trace, and the exit status the README's table gives.
@Suite(.serialized) struct ErrorTests {
    /// What must never reach a user.
    static let leaks = ["MoorError", "MoorCore.", "Swift.", "Fatal error", ".swift:", "(code:", "Error(", "Code.", "Stack dump", "failedToLoad"]

    static func expectUserError(_ run: Homelab.Run, exit: Int32, _ needles: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.exit == exit, "exit \(run.exit): \(run.stderr)", sourceLocation: sourceLocation)
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.contains(": error: ") }
        #expect(errors.count == 1, "one error line: \(run.stderr)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(run.stderr.contains(needle) || run.stdout.contains(needle), "\(needle) in \(run.stderr)\(run.stdout)", sourceLocation: sourceLocation)
        }
        for leak in leaks {
            #expect(!run.stderr.contains(leak) && !run.stdout.contains(leak), "\(leak) leaked: \(run.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func aBadLabFileIsPositionedAndExits65() async throws {
        let lab = try Homelab(lab: "version: 1\ncluster:\n  cpus: many\n")
        Self.expectUserError(try await lab.moor("plan"), exit: 65, ["moor.yaml:3:9: error:"])
    }

    @Test func aMissingUnreadableOrDirectoryLabFileExits66WithTheWayOut() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        Self.expectUserError(try await lab.moor("up", "-f", lab.scratch.path + "/nope.yaml"), exit: 66,
                             ["error: cannot read the lab file \(lab.scratch.path)/nope.yaml: no such file; pass -f PATH, set MOOR_FILE, or create moor.yaml"])
        Self.expectUserError(try await lab.moor("validate", "-f", lab.scratch.path), exit: 66, ["it is a directory"])
        Self.expectUserError(try await lab.moor("validate", "-f", "/dev/null"), exit: 66, ["it is not a regular file"])
        let debug = try await lab.moor("plan", "-f", lab.scratch.path + "/nope.yaml", "--debug")
        #expect(debug.stderr.contains("debug: caused by: \(lab.scratch.path)/nope.yaml does not exist"), "--debug shows the cause: \(debug.stderr)")
    }

    @Test func aFailingToolIsNamedWithItsArgvStatusAndFirstStderrLine() async throws {
        let lab = try Homelab(lab: Labs.seed())
        try lab.world.injectFault(tool: "minikube", match: "start")
        let up = try await lab.moor("up")
        Self.expectUserError(up, exit: 1, ["`minikube start -p minikube", "with exit status 1: minikube: injected failure"])
    }

    @Test func aBadClientKeyIsASetupFailureNamingTheFile() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("client", issuer: ca)
        let cert = try lab.scratch.write("client.crt", leaf.certificatePEM)
        let bad = try lab.scratch.write("client.key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
        // Nothing listens on port 1: the probe must not claim a TCP connection it never made.
        let run = try await lab.moor("probe", "https://127.0.0.1:1", "--cert", cert, "--key", bad)
        #expect(run.exit == 2)
        #expect(run.stdout.contains("setup: the client key \(bad) is not a PEM private key"), "\(run.stdout)")
        #expect(!run.stdout.contains("connected"), "no layer was reached: \(run.stdout)")
        for leak in Self.leaks { #expect(!run.stdout.contains(leak), "\(leak): \(run.stdout)") }
        let other = try TestPKI.leaf("other", issuer: ca)
        let mismatched = try lab.scratch.write("other.key", other.keyPEM)
        let json = try await lab.moor("probe", "tls://127.0.0.1:1", "--cert", cert, "--key", mismatched, "-o", "json")
        let failure = try #require(try json.json()["failure"] as? [String: Any])
        #expect(failure["layer"] as? String == "setup")
        #expect(failure["message"] as? String == "setup: the client key \(mismatched) does not belong to the client certificate \(cert)")
        #expect(try json.json()["connected"] as? Bool == false)
        let badCA = try lab.scratch.write("ca.pem", "not a certificate\n")
        let caRun = try await lab.moor("probe", "tls://127.0.0.1:1", "--ca", badCA)
        #expect(caRun.stdout.contains("setup: the CA file \(badCA)"), "\(caRun.stdout)")
        Self.expectUserError(try await lab.moor("probe", "tls://127.0.0.1:1", "--timeout", "0s"), exit: 64, ["--timeout takes a duration above zero"])
    }

    @Test func aMalformedKubeconfigFailsTheCheckAtSetupNamingTheFile() async throws {
        let lab = try Homelab(lab: "version: 1\nchecks:\n  - name: api\n    url: https://127.0.0.1:1/version\n    kubeconfig: minikube-indri\n")
        let broken = try lab.scratch.write("kubeconfig", "apiVersion: v1\nclusters: [\n")
        let run = try await lab.moorWith(["KUBECONFIG": broken], "check")
        #expect(run.exit == 2)
        #expect(run.stdout.contains("setup: cannot read the kubeconfig \(broken): the kubeconfig is unusable: not valid YAML"), "\(run.stdout)")
        for leak in Self.leaks { #expect(!run.stdout.contains(leak), "\(leak): \(run.stdout)") }
    }

    @Test func aCorruptBackupStopsWithOneLineNamingTheFile() async throws {
        let (lab, tar) = try await MigrateTests.corruptedBackup()
        Self.expectUserError(try await lab.moor("migrate"), exit: 1, ["the backup \(tar)", "the cluster is not deleted"])
    }

    @Test func usageAndUnknownThings() async throws {
        let lab = try Homelab(lab: Labs.seed())
        Self.expectUserError(try await lab.moor("up", "--bogus"), exit: 64, ["--bogus"])
        Self.expectUserError(try await lab.moor("history", "999"), exit: 1, ["error: there is no run 999 in the journal"])
        Self.expectUserError(try await lab.moor("check", "--only", "nope"), exit: 64, ["no check named `nope`"])
        Self.expectUserError(try await lab.moor("check", "--tag", "nope"), exit: 64, ["no check tagged `nope`"])
        Self.expectUserError(try await lab.moor("doctor", "--only", "nope"), exit: 64, ["nope"])
    }

    /// The README's exit-status table is the contract: every status a code maps to is in it,
    /// and every row of it is one moor gives.
    @Test func theREADMEExitTableMatchesTheCodes() throws {
        let readme = try String(contentsOfFile: Fixtures.packageRoot + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Exit codes").dropFirst().first)
        let rows = section.split(separator: "\n").prefix { !$0.hasPrefix("#") }.filter { $0.hasPrefix("| ") }
        let documented = Set(rows.compactMap { Int32($0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) ?? "") })
        let mapped = Set(MoorError.Code.allCases.map(MoorExit.status(for:)))
        #expect(mapped.isSubset(of: documented), "statuses not in the README: \(mapped.subtracting(documented))")
        #expect(documented == mapped.union([MoorExit.ok, MoorExit.pending]), "README rows no code gives: \(documented.subtracting(mapped))")
        for code in MoorError.Code.allCases {
            #expect(section.contains("`\(code.rawValue)`"), "the README names the code \(code.rawValue)")
        }
    }
}
