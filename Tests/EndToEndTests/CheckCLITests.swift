import Foundation
import Testing
import MoorTestSupport

/// `moor check` and `moor probe` as a user runs them.
@Suite struct CheckCLITests {
    @Test func checkPrintsATableJSONAndJUnitWithTheRightExitCodes() async throws {
        let ca = try TestPKI.authority()
        let tlsServer = try await TestServer.start(.silent, tls: try TestPKI.leaf("api", dns: ["localhost"], issuer: ca))
        let up = try await TestServer.start(.http(status: 200, body: "ok"))
        let down = try await TestServer.start(.http(status: 500, body: "boom"))
        let lab = try Homelab(lab: """
            version: 1
            checks:
              - name: web
                url: http://127.0.0.1:\(up.port)/
                tags: [web]
              - name: broken
                url: http://127.0.0.1:\(down.port)/
                tags: [web, critical]
              - name: shell
                command: [true]
              - name: relative ca
                tls: 127.0.0.1:\(tlsServer.port)
                ca: certs/ca.pem
                serverName: localhost
            """)
        _ = try lab.scratch.write("certs/ca.pem", ca.certificatePEM)
        let text = try await lab.moor("check")
        #expect(text.exit == 2)
        #expect(text.stdout.contains("\nbroken       fail "))
        #expect(text.stdout.hasSuffix("3 ok, 0 warn, 1 fail\n"), "\(text.stdout)")
        #expect(!text.stdout.contains("\u{1B}["), "no color when stdout is not a terminal")

        let json = try await lab.moor("check", "-o", "json").json()
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["web", "broken", "shell", "relative ca"])
        for key in ["name", "state", "durationMs", "detail", "phases", "certificate"] { #expect(checks[0].keys.contains(key), "\(key)") }
        #expect(Set((checks[0]["phases"] as? [String: Any])?.keys.map { $0 } ?? []) == ["resolve", "connect", "tls", "firstByte", "transfer"])
        #expect(json["summary"] as? [String: Int] == ["ok": 3, "warn": 0, "fail": 1])

        let only = try await lab.moor("check", "--only", "web")
        #expect(only.exit == 0 && !only.stdout.contains("broken"))
        let tagged = try await lab.moor("check", "--tag", "critical", "-o", "json").json()
        #expect((tagged["checks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["broken"])
        #expect(try await lab.moor("check", "--only", "nope").exit == 64)
        // Lists, as doctor --only takes them: comma-separated or repeated, the same.
        for arguments in [["--only", "web,shell"], ["--only", "web", "--only", "shell"]] {
            let listed = try await lab.moor(arguments: ["check", "-o", "json"] + arguments).json()
            #expect((listed["checks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["web", "shell"], "\(arguments)")
        }
        let tags = try await lab.moor(arguments: ["check", "--tag", "critical,web", "-o", "json"]).json()
        #expect((tags["checks"] as? [[String: Any]])?.count == 2)
        #expect(try await lab.moor("check", "--tag", "nope").exit == 64, "an unknown tag is a usage error, as an unknown name is")

        let junit = try await lab.moor("check", "-o", "junit")
        #expect(junit.stdout.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(junit.stdout.contains(#"<testsuites name="moor check" tests="4" failures="1""#))
        #expect(junit.stdout.contains(#"<failure message="http: 500 after"#))
    }

    @Test func probeReportsEveryLayerAndExitsZeroOnlyWhenAllPass() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("api", dns: ["localhost"], ips: ["127.0.0.1"], issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: "{}"), tls: leaf)
        let lab = try Homelab(lab: "version: 1\n")
        let caPath = try lab.scratch.write("ca.pem", ca.certificatePEM)
        let good = try await lab.moor("probe", "https://localhost:\(server.port)/version", "--ca", caPath)
        #expect(good.exit == 0, "\(good.stdout)\(good.stderr)")
        for layer in ["dns", "tcp", "tls", "http"] { #expect(good.stdout.contains("\n\(layer) "), "\(layer)") }
        #expect(good.stdout.contains("TLS 1.3"))

        let wrongName = try await lab.moor("probe", "tls://127.0.0.1:\(server.port)", "--ca", caPath, "--server-name", "k8s.tail8d86e.ts.net")
        #expect(wrongName.exit == 2)
        #expect(wrongName.stdout.contains("tls: certificate valid for [localhost, 127.0.0.1], not k8s.tail8d86e.ts.net"))
        #expect(wrongName.stdout.contains("certificate: CN=api, issued by CN=moor test CA"))

        let silent = try await TestServer.start(.silent)
        let hang = try await lab.moor("probe", "tls://127.0.0.1:\(silent.port)", "--timeout", "3s", "-o", "json")
        #expect(hang.exit == 2)
        let failure = try #require(try hang.json()["failure"] as? [String: String])
        #expect(failure["layer"] == "tls")
        #expect(failure["message"]?.contains("never answered the ClientHello") == true)
        #expect(try await lab.moor("probe", "not a target").exit == 64)
    }
}
