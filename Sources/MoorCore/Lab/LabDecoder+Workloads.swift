/// Sections used by remote access, GitOps, secrets and storage.
extension LabDecoder {
    static func remoteAccess(_ node: NodeReader) -> RemoteAccessSpec? {
        guard let map = node.mapping(keys: LabKeys.remoteAccess),
              let context = map.required("context")?.string(),
              let serverNode = map.required("server"), let server = serverNode.string(),
              let path = map.required("path")?.string() else { return nil }
        if !server.hasPrefix("https://") {
            serverNode.error("`remoteAccess.server` must be an https:// URL, found `\(server)`")
        }
        return RemoteAccessSpec(context: context, server: server, path: path)
    }

    static func gitops(_ node: NodeReader, clusters: [String]) -> GitOpsSpec? {
        guard let map = node.mapping(keys: LabKeys.gitops), let argocd = map["argocd"],
              let apps = argocd.mapping(keys: LabKeys.argocd) else { return nil }
        var spec = GitOpsSpec()
        spec.namespace = apps["namespace"]?.string() ?? spec.namespace
        spec.cluster = clusterReference(apps["cluster"], clusters: clusters)
        spec.clusters = (apps["clusters"]?.list() ?? []).compactMap { clusterReference($0, clusters: clusters) }
        if spec.cluster == nil, clusters.count > 1 {
            argocd.error("the lab has \(clusters.count) clusters: say which one ArgoCD runs in with `gitops.argocd.cluster` (one of \(clusters.map { "`\($0)`" }.joined(separator: ", ")))")
        }
        spec.revision = apps["revision"]?.string() ?? spec.revision
        spec.parent = apps["parent"]?.string()
        spec.apps = apps["apps"]?.strings() ?? []
        if let parent = spec.parent, !spec.apps.isEmpty, !spec.apps.contains(parent) {
            apps["parent"]?.error("`gitops.argocd.parent` is `\(parent)`, which is not in `gitops.argocd.apps`")
        }
        if let node = apps["install"], let install = node.mapping(keys: LabKeys.install) {
            spec.install = ArgoInstall(version: install["version"]?.string(), manifest: install["manifest"]?.string())
            switch (spec.install?.version, spec.install?.manifest) {
            case (nil, nil), (_?, _?):
                node.error("`gitops.argocd.install` takes one of `version` (an ArgoCD release tag such as v3.1.9) or `manifest` (a path or https URL)")
            case (let version?, nil):
                if !version.hasPrefix("v") || version.dropFirst().split(separator: ".").count != 3
                    || !version.dropFirst().allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0.isLetter }) {
                    install["version"]?.error("`gitops.argocd.install.version` must be a release tag such as v3.1.9, found `\(version)`")
                }
            case (nil, let manifest?):
                if manifest.hasPrefix("http://") {
                    install["manifest"]?.error("`gitops.argocd.install.manifest` must be a path or an https:// URL, found `\(manifest)`")
                }
            }
        }
        if let node = apps["root"], let root = node.mapping(keys: LabKeys.root),
           let nameNode = root.required("name"), let name = nameNode.string(),
           let repoURL = root.required("repoURL")?.string(), let path = root.required("path")?.string() {
            if !Validate.isDNSLabel(name) { nameNode.error("`gitops.argocd.root.name` must be a DNS label (an Application name), found `\(name)`") }
            spec.root = RootApp(name: name, repoURL: repoURL, path: path)
        }
        return spec
    }

    static func secrets(_ node: NodeReader) -> [SecretTemplateSpec]? {
        node.list()?.compactMap { item in
            guard let map = item.mapping(keys: LabKeys.secret), let template = map.required("template")?.string() else { return nil }
            return SecretTemplateSpec(template: template)
        }
    }

    static func storage(_ node: NodeReader) -> StorageSpec? {
        guard let map = node.mapping(keys: LabKeys.storage) else { return nil }
        var spec = StorageSpec()
        spec.nfs = map["nfs"]?.list()?.compactMap { item in
            guard let nfs = item.mapping(keys: LabKeys.nfs),
                  let name = nfs.required("name")?.string(),
                  let server = nfs.required("server")?.string(),
                  let export = nfs.required("export")?.string() else { return nil }
            return NFSExport(name: name, server: server, export: export, clients: nfs["clients"]?.strings() ?? [])
        } ?? []
        return spec
    }
}
