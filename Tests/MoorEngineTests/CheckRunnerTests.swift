import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorProbe
import MoorSystem
import MoorTestSupport

/// Checks end to end inside the process: lab file → probes against real loopback servers →
/// conditions → ok / warn / fail.
@Suite struct CheckRunnerTests {
    func runner(_ lab: LabFile, home: String = "/nonexistent", environment: [String: String] = [:]) throws -> CheckRunner {
        var environment = environment
        environment["HOME"] = home
        return CheckRunner(lab: lab, context: MoorContext(runner: LocalRunner(), prober: LiveProber(), journal: try TestJournal.make(),
                                                          environment: environment, stateDirectory: "/tmp"))
    }

    func lab(_ text: String) throws -> LabFile { try LabLoader.load(text: "version: 1\nchecks:\n" + text, file: "lab.yaml").get() }

    @Test func defaultsExpectationsAndWarnings() async throws {
        let up = try await TestServer.start(.http(status: 200, body: #"{"status":"UP","items":[1,2]}"#))
        let down = try await TestServer.start(.http(status: 503, body: "no"))
        let lab = try lab("""
              - name: up
                url: http://127.0.0.1:\(up.port)/health
              - name: down
                url: http://127.0.0.1:\(down.port)/health
              - name: body
                url: http://127.0.0.1:\(up.port)/
                expect: ["[BODY].status == UP", "len([BODY].items) == 2"]
              - name: wrong body
                url: http://127.0.0.1:\(up.port)/
                expect: ["[BODY].status == DOWN"]
              - name: slow warning
                url: http://127.0.0.1:\(up.port)/
                warn: ["[RESPONSE_TIME] < 0"]
              - name: tcp
                tcp: 127.0.0.1:\(up.port)
              - name: command
                command: [sh, -c, 'echo "{\\"phase\\":\\"Running\\"}"']
                expect: ["[STDOUT].phase == Running"]
            """)
        let report = try await runner(lab).run(lab.checks)
        let states = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.name, $0.state) })
        #expect(states == ["up": .ok, "down": .fail, "body": .ok, "wrong body": .fail, "slow warning": .warn, "tcp": .ok, "command": .ok])
        #expect(report.checks.map(\.name) == lab.checks.map(\.name), "lab order is kept")
        let failed = report.checks[1]
        #expect(failed.detail.hasPrefix("http: 503 after ") && failed.detail.hasSuffix(" ms"))
        #expect(report.checks[3].detail == "failed: [BODY].status (UP) == DOWN")
        #expect(report.checks[4].detail.hasPrefix("warn: [RESPONSE_TIME] ("))
        #expect(report.summary.ok == 4 && report.summary.warn == 1 && report.summary.fail == 2)
    }

    @Test func kubeconfigContextSuppliesCAAndClientCertificate() async throws {
        let ca = try TestPKI.authority("minikubeCA")
        let server = try TestPKI.leaf("minikube", dns: ["localhost", "k8s.tail8d86e.ts.net"], ips: ["127.0.0.1"], issuer: ca)
        let client = try TestPKI.leaf("minikube-user", issuer: ca)
        let api = try await TestServer.start(.http(status: 200, body: "ok"), tls: server, clientCA: ca)
        let scratch = try Scratch()
        // File references, relative to the kubeconfig, as minikube writes them.
        _ = try scratch.write("kube/ca.crt", ca.certificatePEM)
        _ = try scratch.write("kube/client.crt", client.certificatePEM)
        _ = try scratch.write("kube/client.key", client.keyPEM, mode: 0o600)
        _ = try scratch.write("kube/files.yaml", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: indri
              cluster: {server: "https://127.0.0.1:\(api.port)", certificate-authority: ca.crt}
            users:
            - name: indri
              user: {client-certificate: client.crt, client-key: client.key}
            contexts:
            - name: minikube-indri
              context: {cluster: indri, user: indri}
            """)
        let data = { (pem: String) in Data(pem.utf8).base64EncodedString() }
        _ = try scratch.write("kube/data.yaml", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:\(api.port)", certificate-authority-data: \(data(ca.certificatePEM))}
            users:
            - name: u
              user: {client-certificate-data: \(data(client.certificatePEM)), client-key-data: \(data(client.keyPEM))}
            contexts:
            - name: embedded
              context: {cluster: c, user: u}
            """)
        let lab = try lab("""
              - name: with files
                url: https://127.0.0.1:\(api.port)/healthz
                kubeconfig: minikube-indri
              - name: with data
                url: https://127.0.0.1:\(api.port)/healthz
                kubeconfig: embedded
              - name: no such context
                url: https://127.0.0.1:\(api.port)/healthz
                kubeconfig: nowhere
              - name: anonymous
                url: https://127.0.0.1:\(api.port)/healthz
                ca: \(scratch.path)/kube/ca.crt
            """)
        let environment = ["KUBECONFIG": "\(scratch.path)/kube/files.yaml:\(scratch.path)/kube/data.yaml"]
        let report = try await runner(lab, environment: environment).run(lab.checks)
        #expect(report.checks[0].state == .ok, "\(report.checks[0].detail)")
        #expect(report.checks[1].state == .ok, "\(report.checks[1].detail)")
        #expect(report.checks[2].detail.hasPrefix("setup: no kubeconfig defines the context `nowhere`"))
        #expect(report.checks[3].detail == "tls: the server requires a client certificate; give `cert` and `key` (or `kubeconfig:`)")
    }

    /// Counted at the server, not timed: a loaded machine stretches times, not overlaps.
    @Test func checksRunConcurrentlyUnderTheCap() async throws {
        let slow = try await HTTPRecorder(status: 200)
        slow.delay = .milliseconds(500)
        let checks = (0..<8).map { "  - name: c\($0)\n    url: http://127.0.0.1:\(slow.port)/\n" }.joined()
        let lab = try lab(checks)
        let report = try await runner(lab).run(lab.checks, concurrency: 8)
        #expect(report.summary.ok == 8)
        #expect(slow.maxInFlight >= 5, "8 checks with room for 8 overlapped only \(slow.maxInFlight) at a time")
        slow.resetConcurrency()
        let capped = try await runner(lab).run(lab.checks, concurrency: 2)
        #expect(capped.summary.ok == 8)
        #expect((1...2).contains(slow.maxInFlight), "a cap of 2 had \(slow.maxInFlight) at once")
    }
}
