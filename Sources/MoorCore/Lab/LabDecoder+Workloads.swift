/// Sections used by remote access, GitOps, secrets and storage.
extension LabDecoder {
    static func remoteAccess(_ node: NodeReader) -> RemoteAccessSpec? {
        guard let map = node.mapping(keys: ["context", "server", "path"]),
              let context = map.required("context")?.string(),
              let serverNode = map.required("server"), let server = serverNode.string(),
              let path = map.required("path")?.string() else { return nil }
        if !server.hasPrefix("https://") {
            serverNode.error("`remoteAccess.server` must be an https:// URL, found `\(server)`")
        }
        return RemoteAccessSpec(context: context, server: server, path: path)
    }

    static func gitops(_ node: NodeReader) -> GitOpsSpec? {
        guard let map = node.mapping(keys: ["argocd"]), let argocd = map["argocd"],
              let apps = argocd.mapping(keys: ["namespace", "revision", "parent", "apps"]) else { return nil }
        var spec = GitOpsSpec()
        spec.namespace = apps["namespace"]?.string() ?? spec.namespace
        spec.revision = apps["revision"]?.string() ?? spec.revision
        spec.parent = apps["parent"]?.string()
        spec.apps = apps["apps"]?.strings() ?? []
        if let parent = spec.parent, !spec.apps.isEmpty, !spec.apps.contains(parent) {
            apps["parent"]?.error("`gitops.argocd.parent` is `\(parent)`, which is not in `gitops.argocd.apps`")
        }
        return spec
    }

    static func secrets(_ node: NodeReader) -> [SecretTemplateSpec]? {
        node.list()?.compactMap { item in
            guard let map = item.mapping(keys: ["template"]), let template = map.required("template")?.string() else { return nil }
            return SecretTemplateSpec(template: template)
        }
    }

    static func storage(_ node: NodeReader) -> StorageSpec? {
        guard let map = node.mapping(keys: ["nfs"]) else { return nil }
        var spec = StorageSpec()
        spec.nfs = map["nfs"]?.list()?.compactMap { item in
            guard let nfs = item.mapping(keys: ["name", "server", "export", "clients"]),
                  let name = nfs.required("name")?.string(),
                  let server = nfs.required("server")?.string(),
                  let export = nfs.required("export")?.string() else { return nil }
            return NFSExport(name: name, server: server, export: export, clients: nfs["clients"]?.strings() ?? [])
        } ?? []
        return spec
    }
}
