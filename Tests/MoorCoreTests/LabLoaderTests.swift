import Testing
import MoorCore
import MoorTestSupport

@Suite struct LabLoaderTests: LabTextLoading {
    @Test func theExampleLoadsWithEverySection() throws {
        let lab = try load(Fixtures.example()).get()
        #expect(lab.hosts.map(\.name) == ["indri", "sifaka"])
        let cluster = try #require(lab.cluster)
        #expect(cluster.host == "indri")
        #expect(cluster.memoryMiB == 11264)
        #expect(cluster.diskMiB == 200 * 1024)
        #expect(cluster.apiServer.names == ["k8s.tail8d86e.ts.net", "indri"])
        #expect(cluster.apiServer.port == 6443)
        #expect(cluster.registryMirrors.count == 4)
        #expect(cluster.registryMirrors[1].server == "https://registry-1.docker.io")
        #expect(cluster.registryMirrors[2].server == "https://ghcr.io")
        #expect(cluster.registryMirrors[2].capabilities == ["pull", "resolve"])
        #expect(lab.expose?.tailscale == TailscaleExpose(host: "indri", service: "svc:k8s", port: 443))
        #expect(lab.gitops?.apps.count == 9)
        #expect(lab.secrets.count == 2)
        #expect(lab.storage?.nfs.first?.export == "/volume1/torrents")
        #expect(lab.checks.map(\.name).contains("PostgreSQL"))
    }

    @Test func aChecksOnlyFileIsValid() throws {
        let lab = try load("version: 1\nchecks:\n  - name: web\n    url: https://example.com/\n").get()
        #expect(lab.cluster == nil)
        #expect(lab.checks.first?.target == .url("https://example.com/"))
        #expect(lab.checks.first?.timeoutMilliseconds == 5000)
    }

    @Test func unknownKeysArePositionedWithASuggestion() {
        #expect(problems("version: 1\ncluster:\n  cpu: 4\n") == ["moor.yaml:3:3: error: unknown key `cpu` in `cluster`; did you mean `cpus`?"])
        #expect(problems("version: 1\nclustr: {}\n") == ["moor.yaml:2:1: error: unknown key `clustr` at the top level; did you mean `cluster`?"])
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let lines = problems("""
            version: 1
            cluster:
              host: indry
              cpus: six
              memory: 12 parsecs
              registryMirrors:
                - registry: docker.io
                  mirror: http://cache:5050
                - registry: docker.io
                  mirror: ftp://nope
            expose:
              tailscale:
                service: k8s
            """)
        #expect(lines.count == 6)
        #expect(lines[0] == "moor.yaml:3:9: error: `cluster.host` names the host `indry`, which is not in `hosts`")
        #expect(lines[1] == "moor.yaml:4:9: error: `cluster.cpus` must be a whole number, found `six`")
        #expect(lines[2].hasPrefix("moor.yaml:5:11: error: `cluster.memory` must be a size"))
        #expect(lines[3].hasPrefix("moor.yaml:9:7: error: registry `docker.io` is listed twice (first at line 7)"))
        #expect(lines[4].hasPrefix("moor.yaml:10:15: error: `cluster.registryMirrors[1].mirror` must be an http:// or https:// URL"))
        #expect(lines[5].hasPrefix("moor.yaml:13:14: error: `expose.tailscale.service` must look like `svc:<dns-label>`"))
    }

    @Test func hostReferencesSuggestTheClosestHost() {
        let lines = problems("version: 1\nhosts:\n  indri: {ssh: indri}\ncluster:\n  host: indry\n")
        #expect(lines == ["moor.yaml:5:9: error: `cluster.host` names the host `indry`, which is not in `hosts`; did you mean `indri`?"])
    }

    @Test(arguments: [
        ("", "moor.yaml:1:1: error: the file is empty; it needs at least `version: 1`"),
        ("cluster: {}\n", "moor.yaml:1:1: error: the file is missing the required key `version`"),
        ("version: 2\n", "moor.yaml:1:10: error: unsupported lab file version 2; this moor reads version 1"),
        ("- a\n- b\n", "moor.yaml:1:1: error: the top level must be a mapping, found a list"),
        ("version: 1\nhosts: [a]\n", "moor.yaml:2:8: error: `hosts` must be a mapping, found a list"),
        ("version: 1\ncluster:\n  apiServer:\n    port: 70000\n", "moor.yaml:4:11: error: `cluster.apiServer.port` must be a TCP port (1-65535), found 70000"),
        ("version: 1\ncluster:\n  driver: dockr\n", "moor.yaml:3:11: error: `cluster.driver` must be one of docker, podman, qemu2, hyperkit, virtualbox, kvm2, vfkit, none, ssh, found `dockr`; did you mean `docker`?"),
        ("version: 1\ncluster:\n  registryMirrors:\n    - registry: quay.io\n      mirror: http://m\n      capabilities: [pul]\n",
         "moor.yaml:6:21: error: unknown capability `pul` in `cluster.registryMirrors[0].capabilities` (pull, resolve, push, referrers); did you mean `pull`?"),
        ("version: 1\nhosts:\n  a: {ssh: x, local: true}\n", "moor.yaml:3:6: error: host `a` has both `ssh` and `local: true`; keep one"),
        ("version: 1\nchecks:\n  - name: x\n    tcp: a:1\n  - name: x\n    tcp: b:2\n", "moor.yaml:5:5: error: check name `x` is used twice (first at line 3); names must be unique"),
        ("version: 1\nchecks:\n  - name: x\n    tcp: a:1\n    url: http://a/\n", "moor.yaml:3:5: error: check `x` needs exactly one of url, tcp, tls, postgres, command; found `url` and `tcp`"),
        ("version: 1\nchecks:\n  - name: x\n    tcp: a:1\n    timeout: soon\n", "moor.yaml:5:14: error: `checks[0].timeout` must be a duration such as `5s` or `500ms`, found `soon`"),
    ])
    func badFilesGetOnePositionedMessage(text: String, expected: String) {
        #expect(problems(text) == [expected])
    }

    @Test func yamlSyntaxErrorsArePositioned() {
        let lines = problems("version: 1\ncluster:\n  name: \"unclosed\n")
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("moor.yaml:4:1: error: invalid YAML"))
        let duplicate = problems("version: 1\nversion: 1\n")
        #expect(duplicate == ["moor.yaml:2:1: error: duplicate key `version` (first at line 1); keep one"], "at the duplicate")
        let nested = problems("version: 1\ncluster:\n  name: a\n  cpus: 2\n  disk: 10g\n  name: b\n")
        #expect(nested == ["moor.yaml:6:3: error: duplicate key `name` (first at line 3); keep one"])
        let inList = problems("version: 1\nchecks:\n  - name: x\n    tcp: a:1\n  - name: y\n    tcp: b:1\n    name: z\n")
        #expect(inList == ["moor.yaml:7:5: error: duplicate key `name` (first at line 5); keep one"])
    }

    @Test func aTabIsCalledATab() {
        let indented = problems("version: 1\ncluster:\n\tname: a\n")
        #expect(indented == ["moor.yaml:3:1: error: a tab character: YAML indents with spaces only; replace the tab with spaces"])
        let deeper = problems("version: 1\ncluster:\n  apiServer:\n  \tport: 6443\n")
        #expect(deeper.count == 1 && deeper[0].contains("a tab character"), "\(deeper)")
    }

    @Test func hostileInputIsRefusedWithAPosition() {
        func bytes(_ result: Result<LabFile, LabFileError>) -> [String] {
            if case .failure(let error) = result { return error.lines }
            return []
        }
        let huge = [UInt8](repeating: UInt8(ascii: "#"), count: 10 << 20)
        #expect(bytes(LabLoader.load(bytes: huge, file: "f")) == ["f:1:1: error: the file is 10.0 MiB; a lab file may be at most 1 MiB"])
        #expect(bytes(LabLoader.load(bytes: [0x76, 0x3a, 0xff, 0xfe], file: "f")) == ["f:1:3: error: the file is not valid UTF-8 text"])
        #expect(bytes(LabLoader.load(bytes: Array("version: 1\nx: \u{0}".utf8), file: "f")) == ["f:2:4: error: the file contains a control character (U+0000); is it a binary file?"])
        let deep = "version: 1\nx: " + String(repeating: "[", count: 100_000)
        #expect(bytes(LabLoader.load(bytes: Array(deep.utf8), file: "f")).first?.hasSuffix("nesting is deeper than 200 levels") == true)
        let dashes = "version: 1\nx:\n" + String(repeating: "- ", count: 300_000) + "a\n"
        #expect(bytes(LabLoader.load(bytes: Array(dashes.utf8), file: "f")).first?.hasPrefix("f:3:") == true)
    }

    @Test func aliasBombsAreBounded() {
        var text = "version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        text += "checks:\n  - name: x\n    command: *a9\n"
        guard case .failure(let error) = load(text) else {
            Issue.record("an alias bomb loaded")
            return
        }
        // Nothing is expanded: the ten unknown keys, the command's ten items that are lists
        // rather than strings, and the check left without a target are all there is to say.
        let unknown = error.diagnostics.filter { $0.message.hasPrefix("unknown key `a") }
        #expect(unknown.count == 10)
        #expect(error.diagnostics.count <= 21, "\(error.diagnostics.map(\.message))")
    }

    @Test func moreValuesThanTheBudgetAreRefusedNotSilentlyDropped() {
        let tags = Array(repeating: "a", count: 210_000).joined(separator: ",")
        let text = "version: 1\nchecks:\n  - name: x\n    tcp: h:1\n    tags: [\(tags)]\n"
        #expect(text.utf8.count < YAMLGuard.maxBytes)
        guard case .failure(let error) = load(text) else {
            Issue.record("210,000 values loaded past a budget of 200,000")
            return
        }
        #expect(error.diagnostics.contains { $0.message.contains("too many values") })
    }
}

@Suite struct CheckLabTests {
    @Test func conditionsWithoutAnOperatorArePositioned() {
        guard case .failure(let error) = LabLoader.load(text: "version: 1\nchecks:\n  - name: x\n    tcp: a:1\n    expect: [\"[CONNECTED]==true\"]\n", file: "f") else {
            Issue.record("loaded")
            return
        }
        #expect(error.lines == ["f:5:14: error: condition `[CONNECTED]==true` has no operator; write it like `[STATUS] == 200` (==, !=, <, <=, >, >=, with spaces)"])
    }
}
