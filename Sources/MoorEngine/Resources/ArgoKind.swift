import Foundation
import MoorCore
import MoorSystem

/// `argocd`: ArgoCD installed at the version asked for (server-side apply of upstream's
/// install.yaml of that tag, or of the manifest given, fetched once into the state
/// directory), and available: every Deployment and the application-controller StatefulSet
/// ready.
struct ArgoKind: ResourceKind {
    let spec: GitOpsSpec
    let engine: AppsEngine
    let labPath: String
    var kind: String { "argocd" }
    var needs: [String] { ["cluster", "volumes"] }

    var kubeContext: String { get throws { try engine.kubeContext } }

    func observe(_ session: ObservationSession) async throws -> ObservedArgo {
        let context = session.context
        let output = try await KubectlRun.output(KubectlGitOps.listWorkloads(context: kubeContext, namespace: spec.namespace),
                                                 runner: context.runner, context: kubeContext)
        var desired = spec.install?.version
        if desired == nil, let install = spec.install, let text = try? manifestText(install, context) {
            desired = ObservedArgo.version(inManifest: text)
        }
        return ObservedArgo(workloads: try ArgoWorkload.parseList(output), desiredVersion: desired)
    }

    func diff(_ observed: ObservedArgo, upstream: UpstreamChanges) -> KindPlan {
        ArgoDiff.diff(spec.install, observed)
    }

    func apply(_ changes: [Change], observed: ObservedArgo, context apply: ApplyContext) async throws {
        guard let install = spec.install, let change = changes.first else { return }
        let context = apply.context
        if change.action != .update || change.fields["version"] != nil {
            let file = try await manifestFile(install, context)
            context.progress.note("\(change.summary) (kubectl apply --server-side of \(install.source))")
            let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(spec.namespace)\n"
            _ = try await KubectlRun.output(KubectlGitOps.apply(context: kubeContext, manifest: Array(namespace.utf8)), runner: context.runner, context: kubeContext)
            _ = try await KubectlRun.output(KubectlGitOps.applyServerSide(context: kubeContext, namespace: spec.namespace, file: file),
                                            runner: context.runner, context: kubeContext)
        }
        try await waitUntilAvailable(apply)
    }

    /// Polls the workloads (quickly at first, then every 2 s) until all are ready, saying on
    /// stderr which ones it waits for whenever that changes.
    func waitUntilAvailable(_ apply: ApplyContext) async throws {
        let context = apply.context
        let clock = context.clock
        let deadline = clock.now + apply.options.waitTimeout
        var interval: Duration = .milliseconds(250)
        var last = ""
        while true {
            let output = try await KubectlRun.output(KubectlGitOps.listWorkloads(context: kubeContext, namespace: spec.namespace),
                                                     runner: context.runner, context: kubeContext)
            let observed = ObservedArgo(workloads: try ArgoWorkload.parseList(output), desiredVersion: nil)
            if observed.available { return context.progress.note("ArgoCD is available") }
            let waiting = ArgoDiff.diff(ArgoInstall(), observed).changes.first?.summary ?? "waiting for ArgoCD"
            if waiting != last { context.progress.note(waiting) }
            last = waiting
            guard clock.now < deadline else {
                throw MoorError(.didNotTake, "ArgoCD is not available after \(DurationText.words(apply.options.waitTimeout)): \(waiting); see `kubectl -n \(spec.namespace) get pods`")
            }
            try await clock.sleep(for: min(interval, max(.zero, deadline - clock.now)))
            interval = min(interval * 2, .seconds(2))
        }
    }

    func journal(_ change: Change, observed: ObservedArgo) -> (before: String?, after: String?) {
        (observed.version, observed.desiredVersion ?? spec.install?.source)
    }

    func notTaken(_ change: Change, remaining: Change, now: ObservedArgo) -> String {
        "ArgoCD did not end up as asked: \(remaining.summary); see `kubectl -n \(spec.namespace) get deployments,statefulsets`"
    }

    func unobservable(_ error: any Error) -> String? {
        "could not list ArgoCD's workloads (\(error)); argocd is left out of this plan"
    }

    // MARK: the manifest

    /// A local manifest's path, or where a URL's copy is cached in the state directory.
    func manifestLocation(_ install: ArgoInstall, _ context: MoorContext) -> (path: String, url: String?) {
        let source = install.source
        guard source.hasPrefix("https://") else {
            let expanded = Files.expandTilde(source, home: context.home)
            let base = (labPath as NSString).deletingLastPathComponent
            return (expanded.hasPrefix("/") || base.isEmpty ? expanded : base + "/" + expanded, nil)
        }
        let name = String(source.dropFirst("https://".count).map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }.suffix(200))
        return (context.stateDirectory + "/manifests/" + name, source)
    }

    func manifestText(_ install: ArgoInstall, _ context: MoorContext) throws -> String {
        try context.files.readText(manifestLocation(install, context).path, limit: 16 << 20)
    }

    /// The manifest on disk: a local path as it is, a URL downloaded once (atomically) and
    /// reused by every later run.
    func manifestFile(_ install: ArgoInstall, _ context: MoorContext) async throws -> String {
        let (path, url) = manifestLocation(install, context)
        guard let url else {
            guard context.files.exists(path) else {
                throw MoorError(.notFound, "the ArgoCD manifest \(path) (gitops.argocd.install.manifest) does not exist")
            }
            return path
        }
        if context.files.exists(path) { return path }
        try context.files.ensureDirectory(context.stateDirectory + "/manifests")
        let partial = path + ".download"
        context.progress.note("downloading \(url)")
        let result = try await context.runner.run(Curl.download(url, to: partial))
        guard result.exitCode == 0 else {
            throw MoorError(.toolFailed, "could not download \(url) (\(result.firstStderrLine ?? "curl exit \(result.exitCode)")); fetch it on a machine that can and set gitops.argocd.install.manifest to the file's path")
        }
        guard rename(partial, path) == 0 else {
            throw MoorError(.unreadable, "could not keep the downloaded manifest at \(path)")
        }
        return path
    }
}

/// Durations in messages.
enum DurationText {
    /// `15m`, `90s`.
    static func words(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds >= 60 && seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }
}
