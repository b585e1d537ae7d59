/// Reads `checks`: each needs a unique name and exactly one target.
enum CheckDecoder {
    static var targetKeys: [String] { LabKeys.checkTargets }
    static var keys: [String] { LabKeys.check }

    /// `reserved`: names a check may not take (watch's own alerts, when the file has `watch`).
    static func checks(_ node: NodeReader, hostNames: Set<String>, reserved: Set<String> = [], clusters: [ClusterSpec] = []) -> [CheckSpec] {
        guard let items = node.list() else { return [] }
        var seen: [String: Int] = [:]
        var result: [CheckSpec] = []
        for item in items {
            guard let check = check(item, hostNames: hostNames, clusters: clusters) else { continue }
            if reserved.contains(check.name) {
                item.error("check name `\(check.name)` is the name of one of `moor watch`'s own alerts (\(reserved.sorted().joined(separator: ", "))); rename the check")
                continue
            }
            if let line = seen[check.name] {
                item.error("check name `\(check.name)` is used twice (first at line \(line)); names must be unique")
                continue
            }
            seen[check.name] = item.position.line
            result.append(check)
        }
        return result
    }

    /// Conditions, each checked for an operator so a typo fails at load time, not at 3 a.m.
    static func conditions(_ node: NodeReader?) -> [String] {
        guard let node, let items = node.list() else { return [] }
        return items.compactMap { item in
            guard let text = item.string() else { return nil }
            if let problem = Condition.problem(in: text) { item.error(problem) }
            return text
        }
    }

    static func check(_ node: NodeReader, hostNames: Set<String>, clusters: [ClusterSpec] = []) -> CheckSpec? {
        guard let map = node.mapping(keys: keys), let name = map.required("name")?.string() else { return nil }
        let given = targetKeys.filter { map[$0] != nil }
        guard given.count == 1, let key = given.first, let value = map[key] else {
            let found = given.isEmpty ? "none" : given.map { "`\($0)`" }.joined(separator: " and ")
            node.error("check `\(name)` needs exactly one of url, tcp, tls, postgres, command; found \(found)")
            return nil
        }
        let target: CheckSpec.Target
        switch key {
        case "url":
            guard let url = value.string() else { return nil }
            guard Validate.isHTTPURL(url) else {
                value.error("`\(value.path)` must be an http:// or https:// URL, found `\(url)`")
                return nil
            }
            target = .url(url)
        case "command":
            guard let argv = value.strings(), !argv.isEmpty else {
                value.error("`\(value.path)` must be a non-empty list of arguments")
                return nil
            }
            target = .command(argv)
        default:
            guard let address = value.string() else { return nil }
            guard address.contains(":"), let port = Int(address.split(separator: ":").last ?? ""), (1...65535).contains(port) else {
                value.error("`\(value.path)` must be `host:port`, found `\(address)`")
                return nil
            }
            target = key == "tcp" ? .tcp(address) : key == "tls" ? .tls(address) : .postgres(address)
        }
        var check = CheckSpec(name: name, target: target)
        check.on = LabDecoder.hostReference(map["on"], hosts: hostNames)
        check.cluster = LabDecoder.clusterReference(map["cluster"], clusters: clusters.map(\.id))
        if check.on == nil, case .command = target, let cluster = clusters.first(where: { $0.id == check.cluster }) { check.on = cluster.host }
        if let timeout = map["timeout"], let text = timeout.string() {
            if let ms = Units.milliseconds(text), ms > 0 { check.timeoutMilliseconds = ms } else {
                timeout.error("`\(timeout.path)` must be a duration such as `5s` or `500ms`, found `\(text)`")
            }
        }
        check.intervalMilliseconds = LabDecoder.interval(map["interval"], minimum: 100)
        check.expect = conditions(map["expect"])
        check.warn = conditions(map["warn"])
        check.tags = map["tags"]?.strings() ?? []
        check.method = map["method"]?.string()
        if let headers = map["headers"]?.entries() {
            for (header, keyed) in headers { check.headers[header] = keyed.value.string() }
        }
        check.body = map["body"]?.string()
        check.serverName = map["serverName"]?.string()
        check.ca = map["ca"]?.string()
        check.cert = map["cert"]?.string()
        check.key = map["key"]?.string()
        check.insecure = map["insecure"]?.bool() ?? false
        check.kubeconfig = map["kubeconfig"]?.string()
        if (check.cert == nil) != (check.key == nil) {
            node.error("check `\(name)` gives `cert` without `key` or the reverse; give both")
        }
        return check
    }
}
