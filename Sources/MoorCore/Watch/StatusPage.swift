import Foundation

/// The status page: one HTML document rendered from a `LabStatus`, complete without
/// JavaScript. Every value is escaped; state is told by a symbol and a word, never by colour
/// alone; sections are landmarks with headings; tables have header cells.
public struct StatusPage: Sendable {
    public var status: LabStatus
    /// How often the script refreshes (`watch.checks`).
    public var refreshMilliseconds: Int
    public var timeZone: TimeZone

    let formats: Formats

    public init(status: LabStatus, refreshMilliseconds: Int, timeZone: TimeZone = .current) {
        self.status = status
        self.refreshMilliseconds = refreshMilliseconds
        self.timeZone = timeZone
        formats = Formats(timeZone)
    }

    /// The page's date formatters, made once a render (a formatter is costly to make).
    final class Formats: @unchecked Sendable {
        let clock = DateFormatter(), full = DateFormatter(), iso = ISO8601DateFormatter()

        init(_ timeZone: TimeZone) {
            for (formatter, format) in [(clock, "HH:mm:ss"), (full, "yyyy-MM-dd HH:mm")] {
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = timeZone
                formatter.dateFormat = format
            }
        }
    }

    public func render() -> String {
        var html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(status.overall.state == "ok" ? "✓" : "✗ \(status.overall.problems.count)") · moor lab status</title>
        <style>\(StatusPageAssets.style)</style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to the status</a>
        <header>
        <h1>moor · lab status</h1>
        \(overall())
        </header>
        <main id="main" data-refresh-ms="\(refreshMilliseconds)">

        """
        html += "<div class=\"pair\">" + clusters() + apps() + "</div>\n" + checks() + incidents() + doctor()
        html += """
        </main>
        <footer><p>Served by <code>moor watch</code> from its memory and journal; JSON at <a href="/api/v1/status">/api/v1/status</a>, metrics at <a href="/metrics">/metrics</a>. Generated \(time(status.generatedAt)).</p></footer>
        <script>\(StatusPageAssets.script)</script>
        </body>
        </html>

        """
        return html
    }

    // MARK: sections

    func overall() -> String {
        let seen = status.lastObservation.map { " · last observation \(time($0))" } ?? " · nothing observed yet"
        if status.overall.problems.isEmpty {
            return #"<p id="overall" class="overall ok" data-state="ok" role="status">✓ All well\#(seen)</p>"#
        }
        let count = status.overall.problems.count
        return """
        <div id="overall" data-state="problems" data-problems="\(count)" role="status"><p class="overall bad">✗ \(count) problem\(count == 1 ? "" : "s")\(seen)</p>
        <ul>\(status.overall.problems.map { "<li>\(e($0))</li>" }.joined())</ul></div>
        """
    }

    func clusters() -> String {
        guard !status.clusters.isEmpty else { return "" }
        var html = #"<section aria-labelledby="h-clusters"><h2 id="h-clusters">Clusters</h2><div class="cards">"#
        for cluster in status.clusters {
            let running = cluster.state == "running"
            html += #"<article class="card" data-cluster="\#(e(cluster.name))" data-state="\#(e(cluster.state))" data-port="\#(cluster.apiServerPort.map(String.init) ?? "")">"#
            html += "<h3>\(e(cluster.name)) <span class=\"state \(running ? "s-ok" : "s-fail")\">\(running ? "✓" : "✗") \(e(cluster.state))</span></h3><dl>"
            html += row("provider", e(cluster.provider)) + row("host", e(cluster.host))
            html += row("Kubernetes", e(cluster.kubernetesVersion ?? "—"))
            html += row("API server port", cluster.apiServerPort.map { "<span class=\"num\">\($0)</span>" } ?? "—")
            if let exposure = cluster.exposure {
                let mark = exposure.matches ? "<span class=\"s-ok\">✓ matches the port</span>" : "<span class=\"s-fail\">✗ does not match the port</span>"
                html += row("tailnet", #"<span data-exposure-target="\#(e(exposure.target ?? ""))" data-matches="\#(exposure.matches)">\#(e(exposure.resource)) → \#(e(exposure.target ?? "nothing"))</span> \#(mark)"#)
            }
            if !cluster.mirrors.isEmpty { html += row("mirrors", mirrors(cluster.mirrors)) }
            html += row("last restart", cluster.lastRestart.map(time) ?? "not seen since watch started")
            if let reconcile = cluster.lastReconcile {
                let good = reconcile.outcome == "in sync" || reconcile.outcome == "applied"
                html += row("last reconcile", "\(time(reconcile.at)) <span class=\"\(good ? "s-ok" : "s-fail")\" data-reconcile=\"\(e(reconcile.outcome))\">\(good ? "✓" : "✗") \(e(reconcile.outcome))</span>\(reconcile.detail.map { " <span class=\"muted\">\(e($0))</span>" } ?? "")")
            } else {
                html += row("last reconcile", "none yet")
            }
            html += "</dl></article>"
        }
        return html + "</div></section>\n"
    }

    /// The mirrors in the same state together: `docker.io, ghcr.io ✓ written · ⚠ ignored…`.
    func mirrors(_ mirrors: [LabStatus.Cluster.Mirror]) -> String {
        var groups: [(written: Bool, use: String, mirrors: [LabStatus.Cluster.Mirror])] = []
        for mirror in mirrors {
            if let index = groups.firstIndex(where: { $0.written == mirror.written && $0.use == mirror.use }) { groups[index].mirrors.append(mirror) } else {
                groups.append((mirror.written, mirror.use, [mirror]))
            }
        }
        return groups.map { group in
            let written = group.written ? "<span class=\"s-ok\">✓ written</span>" : "<span class=\"s-fail\">✗ not written</span>"
            let use = group.use == "in use" ? "<span class=\"s-ok\">✓ in use</span>" :
                group.use.hasPrefix("ignored") ? "<span class=\"s-warn\">⚠ \(e(group.use))</span>" : "<span class=\"s-pending\">? \(e(group.use))</span>"
            let names = group.mirrors.map { #"<span data-mirror="\#(e($0.registry))" data-written="\#($0.written)" data-use="\#(e($0.use))" title="\#(e($0.endpoint))">\#(e($0.registry))</span>"# }
            return "<div>\(names.joined(separator: ", ")) \(written) · \(use)</div>"
        }.joined()
    }

    func apps() -> String {
        guard let argo = status.argocd else { return "" }
        var html = #"<section aria-labelledby="h-apps"><h2 id="h-apps">ArgoCD</h2>"#
        html += "<p class=\"muted\">target revision \(e(argo.revision ?? "as each app says"))\(argo.observedAt.map { " · listed \(time($0))" } ?? " · not listed yet")</p>"
        guard !argo.apps.isEmpty else { return html + "<p>No Applications listed.</p></section>\n" }
        html += #"<table class="stack"><thead><tr><th scope="col">App</th><th scope="col">Sync</th><th scope="col">Health</th><th scope="col">Revision</th><th scope="col">Cluster</th><th scope="col">Likely cause</th></tr></thead><tbody>"#
        for app in argo.apps {
            let synced = app.sync == "Synced", healthy = app.health == "Healthy"
            html += #"<tr data-app="\#(e(app.name))" data-sync="\#(e(app.sync))" data-health="\#(e(app.health))">"#
            html += #"<th scope="row">\#(e(app.name))</th>"#
            html += cell("Sync", "<span class=\"state \(synced ? "s-ok" : "s-warn")\">\(synced ? "✓" : "⚠") \(e(app.sync))</span>")
            html += cell("Health", "<span class=\"state \(healthy ? "s-ok" : app.health == "Degraded" ? "s-fail" : "s-warn")\">\(healthy ? "✓" : app.health == "Degraded" ? "✗" : "⚠") \(e(app.health))</span>")
            html += cell("Revision", "<span class=\"num\">\(e(app.syncedRevision ?? "—"))</span> \(app.onTarget ? "<span class=\"s-ok\">✓ on target</span>" : "<span class=\"s-warn\">⚠ target \(e(app.targetRevision))</span>")")
            html += cell("Cluster", e(app.cluster ?? "—"))
            html += #"<td data-label="Likely cause" class="cause">\#(app.cause.map { e($0) } ?? (healthy ? "" : "—"))</td>"#
            html += "</tr>"
        }
        return html + "</tbody></table></section>\n"
    }

    func checks() -> String {
        guard !status.checks.isEmpty else { return "" }
        var html = #"<section aria-labelledby="h-checks"><h2 id="h-checks">Checks</h2>"#
        var groups: [String] = []
        for check in status.checks where !groups.contains(check.group) { groups.append(check.group) }
        let dayCount = status.checks.first?.days.count ?? 90
        html += #"<table class="stack checks"><thead><tr><th scope="col">Check</th><th scope="col">Last result</th><th scope="col">Last 48</th><th scope="col">\#(dayCount) days</th><th scope="col">Uptime 24 h · 7 d · 30 d</th><th scope="col">Response</th><th scope="col">Certificate</th></tr></thead>"#
        for group in groups {
            html += #"<tbody data-group="\#(e(group))"><tr class="group"><th scope="rowgroup" colspan="7">\#(e(group))</th></tr>"#
            for check in status.checks where check.group == group { html += checkRow(check) }
            html += "</tbody>"
        }
        html += "</table>"
        return html + "</section>\n"
    }

    func checkRow(_ check: LabStatus.Check) -> String {
        let symbol = ["ok": "✓", "warn": "⚠", "fail": "✗"][check.state] ?? "…"
        var html = #"<tr data-check="\#(e(check.name))" data-state="\#(e(check.state))" data-layer="\#(e(check.layer ?? ""))" data-uptime-24h="\#(ratio(check.uptime.h24))" data-uptime-7d="\#(ratio(check.uptime.d7))" data-uptime-30d="\#(ratio(check.uptime.d30))">"#
        html += #"<th scope="row"><a href="/api/v1/checks/\#(e(Self.pathComponent(check.name)))/history">\#(e(check.name))</a><br><span class="muted">\#(e(check.target))</span></th>"#
        var last = "<span class=\"state s-\(check.state)\">\(symbol) \(e(check.state))</span>"
        if let layer = check.layer { last += " at <strong>\(e(layer))</strong>" }
        if let detail = check.detail { last += "<br><span class=\"muted\">\(e(detail))</span>" }
        if let at = check.lastRunAt { last += "<br><span class=\"when\">\(time(at))</span>" }
        html += cell("Last result", last)
        html += cell("Last 48", bar(check.recent))
        html += cell("\(check.days.count) days", days(check.days))
        html += cell("Uptime", "<span class=\"num\">\(percent(check.uptime.h24)) · \(percent(check.uptime.d7)) · \(percent(check.uptime.d30))</span>")
        html += cell("Response", sparkline(check.recent))
        html += cell("Certificate", check.certificateDaysLeft.map { days in
            "<span class=\"num \(days < 14 ? "s-fail" : days < 30 ? "s-warn" : "")\">\(days) days left</span>"
        } ?? "—")
        return html + "</tr>"
    }

    /// One cell a result. Only a result that did not pass carries a title (its state, time and
    /// duration): a page of 41 checks stays small enough to refresh every minute.
    func bar(_ results: [LabStatus.Check.Result]) -> String {
        guard !results.isEmpty else { return "<span class=\"muted\">no runs yet</span>" }
        let failed = results.filter { $0.state == "fail" }.count, warned = results.filter { $0.state == "warn" }.count
        let label = "last \(results.count) results: \(results.count - failed - warned) ok, \(warned) warn, \(failed) failed"
        return #"<span class="bar" role="img" aria-label="\#(label)" title="\#(label)">"# + results.map { result in
            result.state == "ok" ? "<i class=\"ok\"></i>"
                : "<i class=\"\(e(result.state))\" title=\"\(e(result.state)) \(clock(result.at)), \(Int(result.durationMs.rounded())) ms\"></i>"
        }.joined() + "</span>"
    }

    /// One cell a day, by its uptime (`d4` 100 %, `d3` ≥ 99 %, `d2` ≥ 95 %, `d1` below, none
    /// without runs); a day below 100 % carries its figure as a title.
    func days(_ days: [LabStatus.Check.Day]) -> String {
        let measured = days.filter { $0.runs > 0 }
        let full = measured.filter { $0.failures == 0 }.count
        let label = "\(days.count) days: \(measured.count) with runs, \(full) at 100 %"
        return #"<span class="days" role="img" aria-label="\#(label)">"# + days.map { day in
            guard let uptime = day.uptime else { return "<i></i>" }
            if uptime >= 1 { return "<i class=\"d4\"></i>" }
            let bucket = uptime >= 0.99 ? "d3" : uptime >= 0.95 ? "d2" : "d1"
            return "<i class=\"\(bucket)\" title=\"\(day.day): \(percent(uptime)) of \(day.runs)\"></i>"
        }.joined() + "</span>"
    }

    func clock(_ date: Date) -> String { formats.clock.string(from: date) }

    func sparkline(_ results: [LabStatus.Check.Result]) -> String {
        guard results.count > 1 else { return results.first.map { "<span class=\"num\">\(Int($0.durationMs.rounded())) ms</span>" } ?? "—" }
        let values = results.map(\.durationMs)
        let low = values.min() ?? 0, high = values.max() ?? 0
        let span = max(high - low, 1)
        let step = 96.0 / Double(values.count - 1)
        let points = values.enumerated().map { index, value in
            String(format: "%.1f,%.1f", Double(index) * step, 19 - (value - low) / span * 18)
        }.joined(separator: " ")
        let label = "response time \(Int(low.rounded()))–\(Int(high.rounded())) ms, last \(Int((values.last ?? 0).rounded())) ms"
        return #"<svg class="spark" viewBox="0 0 96 20" role="img" aria-label="\#(label)"><title>\#(label)</title><polyline points="\#(points)"/></svg> <span class="num">\#(Int((values.last ?? 0).rounded())) ms</span>"#
    }

    func incidents() -> String {
        var html = #"<section aria-labelledby="h-incidents"><h2 id="h-incidents">Incidents</h2>"#
        guard !status.incidents.isEmpty else { return html + "<p>None recorded.</p></section>\n" }
        html += #"<ul class="plain">"#
        for incident in status.incidents {
            let open = incident.resolvedAt == nil
            html += #"<li data-incident="\#(e(incident.name))" data-open="\#(open)">"#
            html += "<span class=\"state \(open ? "s-fail" : "s-ok")\">\(open ? "✗ firing" : "✓ resolved")</span> <strong>\(e(incident.name))</strong> "
            html += "<span class=\"when\">fired \(time(incident.firedAt))"
            if let resolved = incident.resolvedAt {
                html += ", resolved \(time(resolved)), lasted \(DurationWords.text(resolved.timeIntervalSince(incident.firedAt)))"
            } else {
                html += ", for \(DurationWords.text(status.generatedAt.timeIntervalSince(incident.firedAt))) so far"
            }
            html += "</span><pre>\(e(incident.message))</pre></li>"
        }
        return html + "</ul></section>\n"
    }

    func doctor() -> String {
        var html = #"<section aria-labelledby="h-doctor"><h2 id="h-doctor">Doctor</h2>"#
        guard let doctor = status.doctor else { return html + "<p>No <code>moor doctor</code> run recorded yet.</p></section>\n" }
        html += "<p class=\"muted\">last run \(time(doctor.ranAt))</p>"
        let shown = doctor.findings.filter { $0.verdict != "ok" && $0.verdict != "skipped" }
        guard !shown.isEmpty else { return html + "<p class=\"s-ok\">✓ Every diagnosis passed.</p></section>\n" }
        html += #"<table class="stack"><thead><tr><th scope="col">Diagnosis</th><th scope="col">Verdict</th><th scope="col">Finding</th><th scope="col">Fix</th></tr></thead><tbody>"#
        for finding in shown {
            let symbol = finding.verdict == "fail" ? "✗" : "⚠"
            html += #"<tr data-diagnosis="\#(e(finding.id))" data-verdict="\#(e(finding.verdict))"><th scope="row">\#(e(finding.id))\#(finding.cluster.map { " <span class=\"muted\">\(e($0))</span>" } ?? "")</th>"#
            html += cell("Verdict", "<span class=\"state s-\(finding.verdict == "fail" ? "fail" : "warn")\">\(symbol) \(e(finding.verdict))</span>")
            html += cell("Finding", e(finding.summary))
            html += cell("Fix", finding.fix.map { "\(e($0))\(finding.fixSafe == true ? " <span class=\"s-ok\">(safe: <code>moor doctor --fix</code>)</span>" : "")" } ?? "—")
            html += "</tr>"
        }
        return html + "</tbody></table></section>\n"
    }

    // MARK: pieces

    func row(_ term: String, _ value: String) -> String { "<dt>\(term)</dt><dd>\(value)</dd>" }
    func cell(_ label: String, _ value: String) -> String { "<td data-label=\"\(e(label))\">\(value)</td>" }

    func time(_ date: Date) -> String {
        let sameDay = formats.full.string(from: date).prefix(10) == formats.full.string(from: status.generatedAt).prefix(10)
        let ago = status.generatedAt.timeIntervalSince(date)
        let relative = ago < 1 ? "now" : "\(DurationWords.text(ago)) ago"
        return "<time datetime=\"\(formats.iso.string(from: date))\" title=\"\(relative)\">\((sameDay ? formats.clock : formats.full).string(from: date))</time>"
    }

    func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value >= 1 ? "100 %" : String(format: "%.2f %%", value * 100)
    }

    func ratio(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }

    func e(_ text: String) -> String { Self.escape(text) }

    /// Text for HTML content and attribute values.
    public static func escape(_ text: String) -> String { Markup.escape(text) }

    /// A check name as one URL path segment.
    public static func pathComponent(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? name
    }
}

/// `3 s`, `4 min`, `2 h 5 min`, `3 d 4 h`: how long, in the page's words.
public enum DurationWords {
    public static func text(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3600) h\(s % 3600 / 60 > 0 ? " \(s % 3600 / 60) min" : "")" }
        return "\(s / 86_400) d\(s % 86_400 / 3600 > 0 ? " \(s % 86_400 / 3600) h" : "")"
    }
}
