import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// `secrets:` templates: which Secret objects they make and whether those exist; rendering
/// them in memory (op / env / file references) and piping them to `kubectl apply -f -`.
/// Values never reach a file, the journal, a log or an error message.
public struct SecretsEngine: Sendable {
    public struct Status: Sendable, Equatable, Encodable {
        public var template: String
        public var name: String
        public var namespace: String
        public var present: Bool
    }

    public struct Applied: Sendable, Equatable, Encodable {
        public var template: String
        public var objects: [String]
        public var references: Int
    }

    let lab: LabFile
    let labPath: String
    let context: MoorContext
    var environment: [String: String] { context.environment }

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    var kubeContext: String { get throws { try lab.requiredKubectlContext() } }
    var baseDirectory: String { (labPath as NSString).deletingLastPathComponent }

    func path(_ template: String) -> String {
        let expanded = Files.expandTilde(template, home: context.home)
        return expanded.hasPrefix("/") || baseDirectory.isEmpty ? expanded : baseDirectory + "/" + expanded
    }

    func read(_ template: String) throws -> String {
        do {
            return try context.files.readText(path(template))
        } catch let error as MoorError {
            throw MoorError(error.code == .fileMissing ? .notFound : .unreadable, "cannot read the secret template \(path(template)): \(error.message)")
        }
    }

    /// One kubectl call lists Secret names (never their data).
    public func status() async throws -> [Status] {
        let listing = try await KubectlRun.output(KubectlGitOps.listSecretNames(context: kubeContext), runner: context.runner, context: kubeContext)
        let present = Set(listing.split(separator: "\n").map(String.init))
        return try lab.secrets.flatMap { entry in
            SecretManifests.secrets(in: try read(entry.template)).map {
                Status(template: entry.template, name: $0.name, namespace: $0.namespace, present: present.contains("\($0.namespace)/\($0.name)"))
            }
        }
    }

    /// Applies the templates (all, or `only`), then reads the Secret names back: a Secret
    /// that kubectl reported but the cluster does not have is an error naming it.
    public func apply(only: [String] = [], run: RunHandle) async throws -> [Applied] {
        let applied = try await applyTemplates(only: only, run: run)
        let present = try await status()
        let wanted = Set(applied.map(\.template))
        if let missing = present.first(where: { wanted.contains($0.template) && !$0.present }) {
            throw MoorError(.didNotTake, "kubectl applied \(missing.template) but the Secret \(missing.namespace)/\(missing.name) is not in the cluster; run `kubectl get secret -n \(missing.namespace) \(missing.name)`")
        }
        run.conclude(.ok, detail: "\(applied.count) template(s) applied")
        return applied
    }

    /// Applies the templates without reading back (the engine's verify does that for `up`).
    func applyTemplates(only: [String], run: RunHandle) async throws -> [Applied] {
        let entries = lab.secrets.filter { only.isEmpty || only.contains($0.template) }
        if let unknown = only.first(where: { name in !lab.secrets.contains { $0.template == name } }) {
            throw MoorError(.notFound, "no secret template `\(unknown)` in \(labPath)")
        }
        var applied: [Applied] = []
        for entry in entries { applied.append(try await apply(entry.template, run: run)) }
        return applied
    }

    func apply(_ template: String, run: RunHandle) async throws -> Applied {
        let text = try read(template)
        let parsed = SecretTemplate(text)
        var values: [SecretReference: String] = [:]
        for reference in Set(parsed.references.map { $0.expanded(environment) }) {
            values[reference] = try await resolve(reference, template: template)
        }
        let redactor = Redactor(secrets: Array(values.values))
        let rendered = parsed.render { values[$0.expanded(environment)] ?? "" }
        // A fresh cluster has no app namespaces yet (ArgoCD makes them when it syncs), and
        // the API server refuses a Secret in a missing namespace: apply them first, in the
        // same command.
        let namespaces = Set(SecretManifests.secrets(in: text).map(\.namespace)).subtracting(["default"]).sorted()
        if let bad = namespaces.first(where: { !Validate.isDNSLabel($0) }) {
            throw MoorError(.invalidInput, "\(template) puts a Secret in the namespace `\(bad)`, which is not a valid namespace name")
        }
        let prefix = namespaces.map { "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \($0)\n---\n" }.joined()
        let command = try KubectlGitOps.apply(context: kubeContext, manifest: Array((prefix + rendered).utf8))
        let result = try await context.runner.run(command)
        guard result.exitCode == 0 else {
            let line = redactor.redact(result.firstStderrLine ?? "no error message")
            throw MoorError(.toolFailed, "kubectl apply of \(template) failed with exit status \(result.exitCode): \(line)")
        }
        let objects = result.stdoutText.split(separator: "\n").map { redactor.redact(String($0)) }
        for object in objects {
            try run.record("secret:\(template)", action: "apply", summary: object)
        }
        context.progress.note("applied \(template): \(objects.joined(separator: ", "))")
        return Applied(template: template, objects: objects, references: values.count)
    }

    /// A value the lab file gives as a template (`{{ env://NTFY_TOKEN }}`, `{{ op://… }}`),
    /// rendered in memory; `purpose` names it in errors (never the value).
    public func render(_ text: String, purpose: String) async throws -> String {
        let template = SecretTemplate(text)
        var values: [SecretReference: String] = [:]
        for reference in template.references where values[reference] == nil {
            var value = try await resolve(reference, template: purpose)
            if value.hasSuffix("\n") { value.removeLast() }
            values[reference] = value
        }
        return template.render { values[$0] ?? "" }
    }

    func resolve(_ reference: SecretReference, template: String) async throws -> String {
        switch reference.scheme {
        case .op:
            let result = try await context.runner.run(OnePassword.read(reference.description))
            guard result.exitCode == 0 else {
                throw MoorError(.unavailable, "op could not read \(reference.description) (in \(template)): \(result.firstStderrLine ?? "exit \(result.exitCode)"); is `op` signed in?")
            }
            return result.stdoutText
        case .env:
            guard let value = environment[reference.body] else {
                throw MoorError(.unavailable, "\(template) needs the environment variable \(reference.body), which is not set")
            }
            return value
        case .file:
            let file = path(reference.body)
            var value: String
            do { value = try context.files.readText(file) } catch let error as MoorError {
                throw MoorError(.unavailable, "\(template) refers to \(file), which cannot be read: \(error.message)")
            }
            if value.hasSuffix("\n") { value.removeLast() }
            return value
        }
    }
}

/// Replaces every known secret value in a text with `<redacted>`.
public struct Redactor: Sendable {
    let secrets: [String]

    /// Each value, each of its lines (an error may quote one line of a multi-line value),
    /// and its base64 form.
    public init(secrets: [String]) {
        var all = Set<String>()
        for value in secrets {
            all.insert(value)
            all.insert(Data(value.utf8).base64EncodedString())
            for line in value.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).count >= 6 {
                all.insert(line.trimmingCharacters(in: .whitespaces))
            }
        }
        self.secrets = all.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }
}
