/// Reads `watch:`.
extension LabDecoder {
    static func watch(_ node: NodeReader) -> WatchSpec? {
        guard let map = node.mapping(keys: LabKeys.watch) else { return nil }
        var spec = WatchSpec()
        spec.reconcileMilliseconds = interval(map["reconcile"], minimum: 1_000) ?? spec.reconcileMilliseconds
        spec.autoStart = map["autoStart"]?.bool() ?? true
        spec.checksMilliseconds = interval(map["checks"], minimum: 100) ?? spec.checksMilliseconds
        if let metrics = map["metrics"]?.mapping(keys: LabKeys.metrics) {
            spec.metrics.allowRemote = metrics["allowRemote"]?.bool() ?? false
            if let listen = metrics["listen"], let address = listen.string() {
                if let (host, _) = Validate.hostPort(address), Validate.isIPAddress(host) || host == "localhost" {
                    if !spec.metrics.allowRemote, !Validate.isLoopback(host) {
                        listen.error("`\(listen.path)` is `\(address)`, which is not a loopback address: metrics would be served to the network; set `watch.metrics.allowRemote: true` to mean it")
                    }
                    spec.metrics.listen = address
                } else {
                    listen.error("`\(listen.path)` must be an IP address and port such as `127.0.0.1:9464`, found `\(address)`")
                }
            }
            if let textfile = metrics["textfile"], let path = textfile.string() {
                if path.hasPrefix("/") || path.hasPrefix("~/") { spec.metrics.textfile = path } else {
                    textfile.error("`\(textfile.path)` must be an absolute path (node_exporter's textfile directory), found `\(path)`")
                }
            }
        }
        if let pageNode = map["page"], let page = pageNode.bool() {
            if page, spec.metrics.listen == nil {
                pageNode.error("`\(pageNode.path)` is true but `watch.metrics.listen` is not set: the page is served on the metrics address; set `watch.metrics.listen: 127.0.0.1:9464`")
            }
            spec.page = page
        }
        if let historyNode = map["history"], let text = historyNode.string() {
            if let days = historyDays(text), days >= 1, days <= 400 { spec.historyDays = days } else {
                historyNode.error("`\(historyNode.path)` must be a number of days from 1 to 400 such as `90d` (or hours such as `2160h`), found `\(text)`")
            }
        }
        if let alerts = map["alerts"]?.mapping(keys: LabKeys.alerts) {
            spec.alerts.rule.failureThreshold = alerts["failureThreshold"]?.int(min: 1) ?? spec.alerts.rule.failureThreshold
            spec.alerts.rule.successThreshold = alerts["successThreshold"]?.int(min: 1) ?? spec.alerts.rule.successThreshold
            spec.alerts.rule.sendOnResolved = alerts["sendOnResolved"]?.bool() ?? spec.alerts.rule.sendOnResolved
            if let ntfyNode = alerts["ntfy"], let ntfy = ntfyNode.mapping(keys: LabKeys.ntfy),
               let topicNode = ntfy.required("topic"), let topic = topicNode.string() {
                if !Validate.isNtfyTopic(topic) {
                    topicNode.error("`\(topicNode.path)` must be an ntfy topic (letters, digits, `-`, `_`, at most 64), found `\(topic)`")
                }
                var spec2 = WatchSpec.Ntfy(topic: topic)
                if let urlNode = ntfy["url"], let url = urlNode.string() {
                    if Validate.isHTTPURL(url) { spec2.url = url } else {
                        urlNode.error("`\(urlNode.path)` must be an http:// or https:// URL, found `\(url)`")
                    }
                }
                if let tokenNode = ntfy["token"], let token = tokenNode.string() {
                    if !SecretTemplate(token).references.isEmpty { spec2.token = token } else {
                        tokenNode.error("`\(tokenNode.path)` must be a reference such as \"{{ env://NTFY_TOKEN }}\" or \"{{ op://vault/item/field }}\", never the token itself")
                    }
                }
                if let priorityNode = ntfy["priority"], let priority = priorityNode.int(min: 1) {
                    if priority > 5 { priorityNode.error("`\(priorityNode.path)` must be an ntfy priority from 1 to 5, found \(priority)") }
                    spec2.priority = priority
                }
                spec.alerts.ntfy = spec2
            }
        }
        return spec
    }

    /// `90d`, or a duration in whole days (`2160h`).
    static func historyDays(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("d"), let days = Int(trimmed.dropLast()) { return days }
        guard let ms = Units.milliseconds(trimmed), ms % 86_400_000 == 0 else { return nil }
        return ms / 86_400_000
    }

    /// A duration of at least `minimum` milliseconds, or a positioned error.
    static func interval(_ node: NodeReader?, minimum: Int) -> Int? {
        guard let node, let text = node.string() else { return nil }
        guard let ms = Units.milliseconds(text), ms >= minimum else {
            node.error("`\(node.path)` must be a duration of at least \(minimum >= 1000 ? "\(minimum / 1000)s" : "\(minimum)ms") such as `60s` or `5m`, found `\(text)`")
            return nil
        }
        return ms
    }
}
