/// Reads `cluster:` (the one-cluster shorthand) and `clusters:` (a map of moor's cluster
/// names to their settings), checking each field against the cluster's provider.
extension LabDecoder {
    static func clusters(_ top: MappingReader, hosts: Set<String>) -> [ClusterSpec] {
        if let shorthand = top["cluster"], let many = top["clusters"] {
            many.error("the lab file has both `cluster` and `clusters`; `cluster` is the one-cluster shorthand, so move it under `clusters`")
            _ = shorthand
            return []
        }
        if let node = top["cluster"], let map = node.mapping(keys: LabKeys.cluster) {
            var spec = ClusterSpec()
            if let name = map["name"]?.string() {
                if Validate.isProfileName(name) { spec.name = name } else {
                    map["name"]?.error("`cluster.name` must be a minikube profile name (letters, digits, `-`, `_`, `.`), found `\(name)`")
                }
            }
            spec.id = spec.name
            return cluster(map, into: spec, hosts: hosts).map { [$0] } ?? []
        }
        guard let node = top["clusters"], let entries = node.entries() else { return [] }
        var result: [ClusterSpec] = []
        var profiles: [String: (String, SourcePosition)] = [:]
        for (name, keyed) in entries {
            guard Validate.isProfileName(name) else {
                keyed.value.error("cluster names must be letters, digits, `-`, `_` or `.` (they appear in resource names such as `cluster:\(name)`), found `\(name)`")
                continue
            }
            guard let map = keyed.value.mapping(keys: LabKeys.clusterEntry) else { continue }
            var spec = ClusterSpec()
            spec.id = name
            spec.name = name
            if let profile = map["profile"]?.string() {
                if Validate.isProfileName(profile) { spec.name = profile } else {
                    map["profile"]?.error("`clusters.\(name).profile` must be a minikube profile name (letters, digits, `-`, `_`, `.`), found `\(profile)`")
                }
            }
            guard var decoded = cluster(map, into: spec, hosts: hosts) else { continue }
            decoded.remoteAccess = map["remoteAccess"].flatMap(remoteAccess)
            decoded.kubeContext = map["kubeContext"]?.string()
            let place = "\(decoded.host ?? "this machine")/\(decoded.provider)/\(decoded.name)"
            if decoded.provider == .minikube, let (other, _) = profiles[place] {
                keyed.value.error("clusters `\(other)` and `\(name)` are the same minikube profile `\(decoded.name)` on \(decoded.host ?? "this machine"); give one a `profile` of its own")
            } else if decoded.provider == .k3s, let (other, _) = profiles[place.replacingOccurrences(of: "/\(decoded.name)", with: "")] {
                keyed.value.error("clusters `\(other)` and `\(name)` are both the k3s of \(decoded.host ?? "this machine"); a host runs one k3s")
            } else {
                profiles[decoded.provider == .k3s ? "\(decoded.host ?? "this machine")/k3s" : place] = (name, keyed.keyPosition)
                result.append(decoded)
            }
        }
        if result.isEmpty && entries.isEmpty { node.error("`clusters` is empty; list at least one cluster, or remove the key") }
        return result
    }

    /// The fields every provider shares, then the provider's own; a field of another
    /// provider is an error naming the provider that takes it.
    static func cluster(_ map: MappingReader, into start: ClusterSpec, hosts: Set<String>) -> ClusterSpec? {
        var spec = start
        spec.host = hostReference(map["host"], hosts: hosts)
        if let node = map["provider"], let provider = node.string() {
            guard LabKeys.providers.contains(provider) else {
                let hint = Suggest.closest(to: provider, in: LabKeys.providers).map { "; did you mean `\($0)`?" } ?? ""
                node.error("`\(node.path)` must be one of \(LabKeys.providers.joined(separator: ", ")), found `\(provider)`\(hint)")
                return nil
            }
            spec.provider = ClusterProviderName(provider)
        }
        let apiMap = map["apiServer"]?.mapping(keys: LabKeys.apiServer)
        let own = spec.provider.description
        for (provider, keys) in LabKeys.providerOnly where provider != own {
            for key in keys {
                let position = map.keyPosition(key) ?? apiMap?.keyPosition(key)
                guard let position, !(key == "name" && map.owner.path == "cluster") else { continue }
                let takes = LabKeys.providerOnly[own, default: []].filter { !["name", "listenAddress", "address"].contains($0) }
                let path = map.has(key) ? "\(map.owner.path).\(key)" : "\(map.owner.path).apiServer.\(key)"
                map.owner.context.error(position, "`\(path)` does not apply to a \(own) cluster (it is a \(provider) setting)\(takes.isEmpty ? "" : "; a \(own) cluster takes \(takes.map { "`\($0)`" }.joined(separator: ", "))")")
            }
        }
        if spec.provider == .minikube {
            spec.driver = oneOf(map["driver"], MinikubeDriver.known.map(\.description)).map { MinikubeDriver($0) } ?? spec.driver
            spec.containerRuntime = oneOf(map["containerRuntime"], ContainerRuntime.known.map(\.description)).map { ContainerRuntime($0) }
            spec.cpus = map["cpus"]?.int(min: 1)
            spec.memoryMiB = map["memory"].flatMap { size($0) }
            spec.diskMiB = map["disk"].flatMap { size($0) }
            if let homeNode = map["minikubeHome"], let home = homeNode.string() {
                if home.hasPrefix("/") { spec.minikubeHome = home } else {
                    homeNode.error("`\(homeNode.path)` must be an absolute path (minikube's MINIKUBE_HOME), found `\(home)`")
                }
            }
        } else {
            spec.containerRuntime = .containerd
            if let node = map["install"], let install = node.mapping(keys: LabKeys.clusterInstall),
               let versionNode = install.required("version"), let version = versionNode.string() {
                if version.hasPrefix("v"), version.contains("+k3s") || version.split(separator: ".").count == 3 {
                    spec.install = ClusterInstall(version: version, script: install["script"]?.string())
                    if let script = spec.install?.script, script.hasPrefix("http://") {
                        install["script"]?.error("`\(node.path).script` must be a path or an https:// URL, found `\(script)`")
                    }
                } else {
                    versionNode.error("`\(versionNode.path)` must be a k3s release such as v1.33.4+k3s1, found `\(version)`")
                }
            }
        }
        if let apiMap { apiServer(apiMap, into: &spec) }
        if let mirrors = map["registryMirrors"]?.list() {
            var seen: [String: SourcePosition] = [:]
            for item in mirrors {
                guard let mirror = registryMirror(item) else { continue }
                if let first = seen[mirror.registry] {
                    item.error("registry `\(mirror.registry)` is listed twice (first at line \(first.line)); keep one entry a registry")
                } else {
                    seen[mirror.registry] = item.position
                    spec.registryMirrors.append(mirror)
                }
            }
        }
        return spec
    }

    static func apiServer(_ apiMap: MappingReader, into spec: inout ClusterSpec) {
        let path = apiMap.owner.path
        for item in apiMap["names"]?.list() ?? [] {
            guard let name = item.string() else { continue }
            if Validate.isDNSName(name) || Validate.isIPAddress(name) {
                spec.apiServer.names.append(name)
            } else {
                let becomes = spec.provider == .k3s ? "--tls-san" : "--apiserver-names"
                item.error("`\(path).names` must hold DNS names or IP addresses (each becomes \(becomes) and a certificate name), found `\(name)`")
            }
        }
        spec.apiServer.port = apiMap["port"]?.int(min: 1)
        if let port = spec.apiServer.port, port > 65535 { apiMap["port"]?.error("`\(path).port` must be a TCP port (1-65535), found \(port)") }
        if spec.provider == .minikube {
            spec.apiServer.listenAddress = apiMap["listenAddress"]?.string()
            if let address = spec.apiServer.listenAddress, !Validate.isIPAddress(address) {
                apiMap["listenAddress"]?.error("`\(path).listenAddress` must be an IP address such as 0.0.0.0, found `\(address)`")
            }
        } else if let node = apiMap["address"], let address = node.string() {
            if Validate.isDNSName(address) || Validate.isIPAddress(address) { spec.apiServer.address = address } else {
                node.error("`\(node.path)` must be a DNS name or an IP address, found `\(address)`")
            }
        }
    }

    /// A reference to a cluster must name one of `clusters`.
    static func clusterReference(_ node: NodeReader?, clusters names: [String]) -> String? {
        guard let node, let name = node.string() else { return nil }
        if !names.contains(name) {
            let hint = Suggest.closest(to: name, in: names).map { "; did you mean `\($0)`?" } ?? ""
            node.error("`\(node.path)` names the cluster `\(name)`, which is not in `clusters` (\(names.map { "`\($0)`" }.joined(separator: ", ")))\(hint)")
        }
        return name
    }
}
