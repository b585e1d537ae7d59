import Foundation
import Testing
import MoorCore
import MoorTestSupport

@Suite struct SecretTemplateTests {
    @Test func everyDocumentedFormIsFound() throws {
        let template = SecretTemplate(try Fixtures.text("op/inject-template.syntax-variants.DERIVED.tpl"))
        let expected = try Fixtures.text("op/inject-template.syntax-variants.EXPECTED-REFS.txt").split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map(String.init)
        let found = template.references.map { reference -> String in
            let parts = reference.opParts!
            return [parts.vault, parts.item, parts.section, parts.field, parts.query].joined(separator: "|")
        }
        #expect(found == expected)
        #expect(template.references.last?.expanded([:]).opParts?.vault == "homelab")
        #expect(template.references.last?.expanded(["VAULT": "prod", "app_env": "x"]).body == "prod/app-x/secret")
    }

    @Test func renderingReplacesOnlyReferences() throws {
        let text = try Fixtures.text("op/inject-template.blumeops-1password-connect.verbatim.yaml.tpl")
        let template = SecretTemplate(text)
        #expect(template.references.map(\.description) == ["op://blumeops/1Password Connect/credentials-file", "op://blumeops/1Password Connect/token"])
        let rendered = template.render { $0.opParts!.field.uppercased() }
        #expect(rendered.contains(#"token: "TOKEN""#))
        #expect(rendered.contains("# This template is processed ONCE manually"))
        #expect(SecretTemplate("a: {{ \"{{ literal }}\" }}").render { _ in "x" } == "a: {{ literal }}")
        #expect(SecretTemplate("url: xop://not-a-ref").references.isEmpty)
        #expect(SecretTemplate("k: {{ env://GRAFANA_PASSWORD }}\nf: {{ file://secrets/key.txt }}").references.map(\.scheme) == [.env, .file])
    }

    @Test func theSecretsATemplateMakes() throws {
        let objects = SecretManifests.secrets(in: try Fixtures.text("op/inject-template.blumeops-1password-connect.verbatim.yaml.tpl"))
        #expect(objects == [.init(name: "op-credentials", namespace: "1password"), .init(name: "onepassword-token", namespace: "1password")])
        #expect(SecretManifests.secrets(in: "kind: Secret\nmetadata: {name: x}\nstringData: {v: \"{{ op://a/b/c }}\"}") == [.init(name: "x", namespace: "default")])
    }
}

@Suite struct ApplicationParserTests {
    @Test(arguments: [
        ("argocd/app.synced-healthy.metrics_test.verbatim.yaml", "Synced", "Healthy", nil as String?),
        ("argocd/app.outofsync-degraded.metrics_test.verbatim.yaml", "OutOfSync", "Degraded", nil),
        ("argocd/app.operation-running.metrics_test.verbatim.yaml", "OutOfSync", "Progressing", "Running"),
        ("argocd/app.operation-succeeded.metrics_test.verbatim.yaml", "Synced", "Healthy", "Succeeded"),
        ("argocd/app.outofsync-degraded-conditions.metrics_test.verbatim.yaml", "OutOfSync", "Degraded", nil),
        ("argocd/app.health-only-degraded.gitops-engine.verbatim.yaml", "Unknown", "Degraded", nil),
        ("argocd/app.health-only-healthy.gitops-engine.verbatim.yaml", "Unknown", "Healthy", nil),
    ])
    func everyStatusCombination(file: String, sync: String, health: String, phase: String?) throws {
        let app = try ApplicationParser.parse(yaml: Fixtures.text(file))
        #expect(app.syncStatus.description == sync && app.health.description == health && app.operationPhase == phase)
    }

    @Test func jsonListsAndSources() throws {
        let running = try ApplicationParser.parseList(json: Fixtures.text("argocd/app.operation-running.converted.json"))
        #expect(running.first?.name == "my-app" && running.first?.operationStartedAt == "2025-01-29T08:42:34Z")
        #expect(running.first?.sources.first?.repoURL == "https://github.com/argoproj/argocd-example-apps.git")
        #expect(running.first?.targetRevision == "", "no targetRevision means HEAD")
        let conditions = try ApplicationParser.parse(yaml: Fixtures.text("argocd/app.outofsync-degraded-conditions.metrics_test.verbatim.yaml"))
        #expect(conditions.conditions.map(\.type) == ["OrphanedResourceWarning", "ExcludedResourceWarning", "ExcludedResourceWarning"])
        let multi = try ApplicationParser.parseList(json: #"{"items":[{"metadata":{"name":"grafana","annotations":{"argocd.argoproj.io/tracking-id":"apps:argoproj.io/Application:argocd/grafana"}},"spec":{"sources":[{"repoURL":"https://grafana.github.io/helm-charts","chart":"grafana","targetRevision":"8.5.1"},{"repoURL":"https://forge/blumeops.git","targetRevision":"feature/x","ref":"values"}]},"status":{"sync":{"status":"Synced","revisions":["8.5.1","abc"]}}}]}"#)
        let grafana = try #require(multi.first)
        #expect(grafana.parent == "apps")
        #expect(grafana.gitSources.map(\.index) == [1])
        #expect(grafana.targetRevision == "feature/x")
        #expect(!grafana.isOnTarget("main") && grafana.syncedRevision == "8.5.1")
    }

    @Test func syncProgressFailsFastAndDoesNotTrustOldOperations() throws {
        var app = try ApplicationParser.parse(yaml: Fixtures.text("argocd/app.operation-succeeded.metrics_test.verbatim.yaml"))
        app.syncedRevision = "1111111111111111111111111111111111111111"
        #expect(SyncProgress.of(app, revision: nil, startedBefore: "2025-01-29T08:42:34Z") != .done, "the old operation")
        #expect(SyncProgress.of(app, revision: nil, startedBefore: nil) == .done)
        #expect(SyncProgress.of(app, revision: "2222222222222222222222222222222222222222", startedBefore: nil)
                == .waiting("synced 1111111, waiting for 2222222"))
        app.health = "Degraded"
        app.healthMessage = "Deployment miniflux exceeded its progress deadline"
        #expect(SyncProgress.of(app, revision: nil, startedBefore: nil) == .failed("Degraded: Deployment miniflux exceeded its progress deadline"))
        app.conditions = [.init(type: "ComparisonError", message: "repository not found")]
        #expect(SyncProgress.of(app, revision: nil, startedBefore: "x") == .failed("ComparisonError: repository not found"))
        app.conditions = []
        app.operationPhase = "Failed"
        app.operationMessage = "one or more objects failed to apply"
        #expect(SyncProgress.of(app, revision: nil, startedBefore: nil) == .failed("sync failed: one or more objects failed to apply"))
    }
}
