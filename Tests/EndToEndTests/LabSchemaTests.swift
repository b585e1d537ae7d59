import Foundation
import Testing
import Yams
import MoorCore
import MoorSystem
import MoorTestSupport

/// `docs/moor.schema.json` is what `moor schema` prints, every object in it has exactly the
/// keys the loader takes, and the example and test labs validate against it with a real
/// JSON Schema validator (Python's jsonschema, draft 2020-12), read as YAML 1.2 as moor reads
/// them (Yams), so `on:` is a key and not a boolean.
@Suite struct LabSchemaTests {
    static func validatorAvailable() async -> Bool {
        (try? await LocalRunner().run(Command("python3", ["-c", "import jsonschema"])).exitCode == 0) == true
    }

    /// The validator's problems with `lab`, one line each (`$.path: message`).
    static func problems(_ lab: String) async throws -> [String] {
        let object = try #require(try Yams.load(yaml: lab))
        let json = try JSONSerialization.data(withJSONObject: object)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for error in jsonschema.Draft202012Validator(schema).iter_errors(json.load(sys.stdin)):
                print(f"{error.json_path}: {error.message}")
            """
        let result = try await LocalRunner().run(Command("python3", ["-c", script, Fixtures.packageRoot + "/docs/moor.schema.json"], stdin: Array(json)))
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return result.stdoutText.split(separator: "\n").map(String.init)
    }

    static let labs: [(String, String)] = {
        var labs = [("examples/homelab.yaml", (try? Fixtures.example("homelab.yaml")) ?? "")]
        labs.append(("seed", SeedLab.text()))
        labs.append(("seed, containerd, remote, custom MINIKUBE_HOME", SeedLab.text(runtime: "containerd", extraNames: ["10.0.0.1"], host: "indri", minikubeHome: "/opt/mk")))
        labs.append(("watch", Homelab.watchLab("  reconcile: 10s\n  metrics:\n    listen: 127.0.0.1:9464\n  alerts:\n    ntfy: {topic: homelab, token: \"{{ env://NTFY_TOKEN }}\"}\n",
                                            checks: "  - name: web\n    url: https://127.0.0.1:8443/\n    interval: 10s\n    expect: [\"[STATUS] == 200\"]\n")))
        labs.append(("gitops", GitOpsTests.labText(appsList: "[apps, grafana]")))
        labs.append(("checks of every kind", """
            version: 1
            hosts: {indri: {ssh: indri}, here: {local: true}, bare: null}
            checks:
              - {name: a, url: "https://x.example/", method: POST, headers: {X-A: b}, body: "{}", ca: ca.pem, cert: c.pem, key: k.pem, serverName: x, tags: [web]}
              - {name: b, tcp: "x:1", timeout: 2s}
              - {name: c, tls: "x:443", kubeconfig: minikube-indri, insecure: true}
              - {name: d, postgres: "x:5432", warn: ["[CONNECTED] == true"]}
              - {name: e, command: [\"true\"], on: indri}
            storage: {nfs: [{name: t, server: sifaka, export: /v, clients: [10.0.0.0/8]}]}
            doctor: {image: "busybox:1.36"}
            """))
        return labs
    }()

    @Test func theCommittedSchemaIsWhatMoorPrints() async throws {
        let printed = try await LocalRunner().run(Command(Homelab.moor, ["schema"]))
        #expect(printed.exitCode == 0)
        let committed = try String(contentsOfFile: Fixtures.packageRoot + "/docs/moor.schema.json", encoding: .utf8)
        #expect(printed.stdoutText == committed, "run `moor schema > docs/moor.schema.json`")
    }

    /// docs/lab-file.md documents every key the loader takes.
    @Test func theReferenceNamesEveryKey() throws {
        let reference = try String(contentsOfFile: Fixtures.packageRoot + "/docs/lab-file.md", encoding: .utf8)
        for object in LabSchema.objects {
            for key in object.keys {
                #expect(reference.contains("`\(key)`") || reference.contains(".\(key)`") || reference.contains("`\(key).")
                        || reference.contains("## `\(object.path)"), "docs/lab-file.md does not name `\(key)` of \(object.path)")
            }
        }
    }

    @Test func everyObjectHasExactlyTheKeysTheLoaderTakes() {
        #expect(LabSchema.objects.count >= 20)
        for object in LabSchema.objects {
            #expect(Set(object.properties) == Set(object.keys), "\(object.path): \(Set(object.properties).symmetricDifference(object.keys))")
        }
    }

    @Test func theExampleAndTestLabsLoadAndValidate() async throws {
        guard await Self.validatorAvailable() else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("python3's jsonschema is missing (.ci/run installs it)") }
            return
        }
        for (name, text) in Self.labs {
            guard case .success = LabLoader.load(text: text, file: name) else { Issue.record("\(name) does not load"); continue }
            let found = try await Self.problems(text)
            #expect(found.isEmpty, "\(name): \(found)")
        }
    }

    @Test func whatTheLoaderRefusesForItsShapeTheSchemaRefusesToo() async throws {
        guard await Self.validatorAvailable() else { return }
        let bad = [
            ("an unknown key", "version: 1\nclustr: {}\n"),
            ("an unknown nested key", "version: 1\ncluster: {cpu: 2}\n"),
            ("two targets", "version: 1\nchecks:\n  - {name: a, tcp: \"x:1\", url: \"https://x/\"}\n"),
            ("cert without key", "version: 1\nchecks:\n  - {name: a, tls: \"x:1\", cert: c.pem}\n"),
            ("a bad driver", "version: 1\ncluster: {driver: docker-desktop}\n"),
            ("version 2", "version: 2\n"),
            ("no version", "cluster: {}\n"),
            ("install with both", "version: 1\ngitops: {argocd: {install: {version: v3.1.9, manifest: a.yaml}}}\n"),
        ]
        for (name, text) in bad {
            guard case .failure = LabLoader.load(text: text, file: name) else { Issue.record("the loader took \(name)"); continue }
            #expect(try await !Self.problems(text).isEmpty, "the schema took \(name)")
        }
    }
}
