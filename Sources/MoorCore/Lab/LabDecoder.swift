/// Reads the top level of a lab file and its infrastructure sections.
enum LabDecoder {
    static var topKeys: [String] { LabKeys.top }

    static func decode(_ root: NodeReader) -> LabFile? {
        guard let top = root.mapping(keys: topKeys) else { return nil }
        var lab = LabFile()
        if let version = top.required("version") {
            if let number = version.int(), number != 1 {
                version.error("unsupported lab file version \(number); this moor reads version 1")
            }
        }
        lab.hosts = top["hosts"].map(hosts) ?? []
        let hostNames = Set(lab.hosts.map(\.name))
        lab.clusters = clusters(top, hosts: hostNames)
        let clusterNames = lab.clusters.map(\.id)
        lab.expose = top["expose"].flatMap { expose($0, hosts: hostNames, clusters: clusterNames) }
        lab.remoteAccess = top["remoteAccess"].flatMap(remoteAccess)
        lab.kubeContext = top["kubeContext"]?.string()
        lab.gitops = top["gitops"].flatMap { gitops($0, clusters: clusterNames) }
        lab.secrets = top["secrets"].flatMap(secrets) ?? []
        lab.storage = top["storage"].flatMap(storage)
        lab.backups = top["backups"].flatMap(backups)
        if let doctor = top["doctor"]?.mapping(keys: LabKeys.doctor), let image = doctor["image"]?.string() {
            if image.isEmpty || image.contains(where: { $0.isWhitespace }) {
                doctor["image"]?.error("`doctor.image` must be an image reference such as busybox:1.36, found `\(image)`")
            } else {
                lab.doctorImage = image
            }
        }
        lab.watch = top["watch"].flatMap(watch)
        if let node = top["checks"] {
            lab.checks = CheckDecoder.checks(node, hostNames: hostNames, reserved: lab.watch == nil ? [] : Set(WatchSpec.ownAlerts), clusters: lab.clusters)
        }
        return lab
    }

    static func hosts(_ node: NodeReader) -> [HostSpec] {
        guard let entries = node.entries() else { return [] }
        return entries.compactMap { name, keyed in
            let value = keyed.value
            if value.isNull { return HostSpec(name: name, ssh: nil) }
            guard let host = value.mapping(keys: LabKeys.host) else { return nil }
            let ssh = host["ssh"]?.string()
            let local = host["local"]?.bool() ?? false
            if local, ssh != nil {
                value.error("host `\(name)` has both `ssh` and `local: true`; keep one")
            }
            if let ssh, ssh.isEmpty || ssh.hasPrefix("-") {
                host["ssh"]?.error("`\(name).ssh` must be an ssh destination such as `indri` or `user@indri`, found `\(ssh)`")
            }
            return HostSpec(name: name, ssh: local ? nil : ssh)
        }
    }

    static var clusterKeys: [String] { LabKeys.cluster }

    /// Reads a host reference, which must name an entry of `hosts`.
    static func hostReference(_ node: NodeReader?, hosts: Set<String>) -> String? {
        guard let node, let name = node.string() else { return nil }
        if !hosts.contains(name) {
            let hint = Suggest.closest(to: name, in: hosts.sorted()).map { "; did you mean `\($0)`?" } ?? ""
            node.error("`\(node.path)` names the host `\(name)`, which is not in `hosts`\(hint)")
        }
        return name
    }

    static func registryMirror(_ node: NodeReader) -> RegistryMirror? {
        guard let map = node.mapping(keys: LabKeys.registryMirror),
              let registryNode = map.required("registry"), let registry = registryNode.string(),
              let mirrorNode = map.required("mirror"), let mirror = mirrorNode.string() else { return nil }
        if !Validate.isRegistryHost(registry) {
            registryNode.error("`\(registryNode.path)` must be a registry host such as `docker.io` or `registry.local:5000`, found `\(registry)`")
        }
        if !Validate.isHTTPURL(mirror) {
            mirrorNode.error("`\(mirrorNode.path)` must be an http:// or https:// URL, found `\(mirror)`")
        }
        var result = RegistryMirror(registry: registry, mirror: mirror)
        if let upstream = map["upstream"], let value = upstream.string() {
            if Validate.isHTTPURL(value) { result.upstream = value } else {
                upstream.error("`\(upstream.path)` must be an http:// or https:// URL, found `\(value)`")
            }
        }
        if let capabilities = map["capabilities"], let values = capabilities.strings() {
            let known = ["pull", "resolve", "push", "referrers"]
            for value in values where !known.contains(value) {
                let hint = Suggest.closest(to: value, in: known).map { "; did you mean `\($0)`?" } ?? ""
                capabilities.error("unknown capability `\(value)` in `\(capabilities.path)` (pull, resolve, push, referrers)\(hint)")
            }
            result.capabilities = values
        }
        result.skipVerify = map["skipVerify"]?.bool() ?? false
        return result
    }

    static var tailscaleKeys: [String] { LabKeys.tailscale }

    static func expose(_ node: NodeReader, hosts: Set<String>, clusters: [String]) -> ExposeSpec? {
        guard let map = node.mapping(keys: LabKeys.expose) else { return nil }
        guard let tailscale = map["tailscale"], let ts = tailscale.mapping(keys: tailscaleKeys) else {
            return ExposeSpec(tailscale: nil)
        }
        var spec = TailscaleExpose()
        spec.host = hostReference(ts["host"], hosts: hosts)
        spec.cluster = clusterReference(ts["cluster"], clusters: clusters)
        if let serviceNode = ts["service"], let service = serviceNode.string() {
            if Validate.isServiceName(service) { spec.service = service } else {
                serviceNode.error("`\(serviceNode.path)` must look like `svc:<dns-label>` (lowercase letters, digits, `-`), found `\(service)`")
            }
        }
        if let portNode = ts["port"], let port = portNode.int(min: 1) {
            if port > 65535 { portNode.error("`\(portNode.path)` must be a TCP port (1-65535), found \(port)") }
            spec.port = port
        }
        return ExposeSpec(tailscale: spec)
    }

    static func size(_ node: NodeReader) -> Int? {
        guard let text = node.string() else { return nil }
        guard let value = Units.mebibytes(text), value > 0 else {
            node.error("`\(node.path)` must be a size such as `11264MiB`, `12GiB` or `200g`, found `\(text)`")
            return nil
        }
        return value
    }

    static func oneOf(_ node: NodeReader?, _ allowed: [String]) -> String? {
        guard let node, let value = node.string() else { return nil }
        guard allowed.contains(value) else {
            let hint = Suggest.closest(to: value, in: allowed).map { "; did you mean `\($0)`?" } ?? ""
            node.error("`\(node.path)` must be one of \(allowed.joined(separator: ", ")), found `\(value)`\(hint)")
            return nil
        }
        return value
    }
}
