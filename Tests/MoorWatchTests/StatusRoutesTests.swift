import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import MoorCore
@testable import MoorEngine
import MoorSystem
@testable import MoorWatch
import MoorTestSupport

/// The status page's routes over a board with a real (in-memory) journal: the answers, the
/// bad input, the badge, and the page's Content-Security-Policy.
struct StatusRoutesTests {
    let lab: LabFile
    let board: StatusBoard
    let routes: StatusRoutes
    let clock = Mutex2(Date(timeIntervalSince1970: 1_796_126_400))

    init() throws {
        lab = try LabLoader.load(text: """
            version: 1
            checks:
              - name: web
                url: https://user:hunter2@web.example/health
                tags: [apps]
              - name: "odd <name> & more"
                tcp: 127.0.0.1:9
            """, file: "lab.yaml").get()
        let clock = clock
        board = StatusBoard(lab: lab, journal: try TestJournal.make(), retention: HistoryRetention(days: 90),
                            calendar: HistoryCalendar(timeZone: TimeZone(identifier: "UTC")!), now: { clock.value })
        routes = StatusRoutes(board: board, refreshMilliseconds: 60_000, maxDays: 90)
    }

    func result(_ name: String, _ state: CheckResult.State, detail: String) -> CheckResult {
        CheckResult(name: name, state: state, durationMs: 42, detail: detail, target: "", conditions: [], tags: [])
    }

    func json(_ answer: HTTPAnswer) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
    }

    @Test func badInputIsAClearErrorAndNoPathReadsAFile() throws {
        let unknown = routes.answer(method: "GET", uri: "/api/v1/checks/nope/history")
        #expect(unknown.status == 404 && unknown.contentType == "application/json")
        #expect(try json(unknown)["error"] as? String == "no check named `nope` in the lab file")
        for days in ["abc", "0", "-1", "91", "1e3", ""] {
            let answer = routes.answer(method: "GET", uri: "/api/v1/checks/web/history?days=\(days)")
            #expect(answer.status == 400, "days=\(days) gave \(answer.status)")
            #expect(try json(answer)["error"] as? String != nil)
        }
        for path in ["/api/v1/checks/../status", "/api/v1/checks/%2e%2e/history", "/../../etc/passwd", "/badge/..%2F..%2Fetc%2Fpasswd.svg",
                     "/api/v1/checks/web/history/..", "/api//v1/status", "/badge/%2e%2e.svg", "/api/v1/checks/..%5Cx/history", "/index.html/.."] {
            let answer = routes.answer(method: "GET", uri: path)
            #expect(answer.status == 404, "\(path) gave \(answer.status)")
            #expect(!answer.body.contains("root:"), "\(path) read a file")
        }
        #expect(routes.answer(method: "GET", uri: "/?file=/etc/passwd").body.contains("root:x") == false)
        #expect(routes.answer(method: "POST", uri: "/api/v1/status").status == 405)
        #expect(routes.answer(method: "GET", uri: "/badge/web.svg?window=1y").status == 400)
        #expect(routes.answer(method: "GET", uri: "/badge/nope.svg").status == 404)
    }

    @Test func historyAndBadgeAgreeOnTheUptime() throws {
        for index in 0..<8 {
            clock.value = clock.value.addingTimeInterval(60)
            board.record(result("web", index < 6 ? .ok : .fail, detail: index < 6 ? "200 in 42 ms" : "tls: certificate expired 3 days ago"))
        }
        let history = try json(routes.answer(method: "GET", uri: "/api/v1/checks/web/history?days=7"))
        let days = try #require(history["days"] as? [[String: Any]])
        #expect(days.count == 7)
        #expect(days.last?["runs"] as? Int == 8 && days.last?["failures"] as? Int == 2)
        let runs = try #require(history["runs"] as? [[String: Any]])
        #expect(runs.count == 8 && runs.last?["layer"] as? String == "tls")
        let uptime = try #require((history["uptime"] as? [String: Any])?["h24"] as? Double)
        #expect(uptime == 0.75)

        let badge = routes.answer(method: "GET", uri: "/badge/web.svg?window=24h")
        #expect(badge.status == 200 && badge.contentType.hasPrefix("image/svg+xml"))
        let parsed = try SVGText(badge.body)
        #expect(parsed.root == "svg")
        #expect(parsed.texts == ["web uptime 24h", "75.00%"])
        #expect(parsed.title == "web uptime 24h: 75.00%")
        // The odd name is escaped, and its badge parses too.
        let odd = routes.answer(method: "GET", uri: "/badge/" + StatusPage.pathComponent("odd <name> & more") + ".svg?window=7d")
        #expect(try SVGText(odd.body).texts == ["odd <name> & more uptime 7d", "no data"])
    }

    @Test func thePageAllowsOnlyItsOwnStyleAndScript() throws {
        board.record(result("web", .fail, detail: "tls: certificate expired 3 days ago"))
        let page = routes.answer(method: "GET", uri: "/")
        #expect(page.status == 200 && page.contentType == "text/html; charset=utf-8")
        let csp = try #require(page.headers.first { $0.0 == "Content-Security-Policy" }?.1)
        #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"))
        // The hashes in the policy are those of the inline style and script the page carries.
        let style = try #require(Self.between(page.body, "<style>", "</style>"))
        let script = try #require(Self.between(page.body, "<script>", "</script>"))
        #expect(csp.contains("style-src 'sha256-\(Digest.sha256Base64(style))'"))
        #expect(csp.contains("script-src 'sha256-\(Digest.sha256Base64(script))'"))
        #expect(!page.body.contains("style=\""), "an inline style attribute would be blocked by the policy")
        for external in ["<link", " src=", "@import", "url(", "<iframe"] {
            #expect(!page.body.contains(external), "the page loads something from elsewhere: \(external)")
        }
        #expect(!page.body.contains("hunter2"), "a URL's password is shown")
        #expect(page.body.contains("odd &lt;name&gt; &amp; more"))
        #expect(page.body.contains(#"data-check="web" data-state="fail" data-layer="tls""#))
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.upperBound..<b.lowerBound])
    }
}

/// A value tests move by hand.
final class Mutex2<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// An SVG read with Foundation's XML parser: the root element, `<title>` and the `<text>`s.
struct SVGText {
    var root = ""
    var title = ""
    var texts: [String] = []

    init(_ svg: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        guard parser.parse() else { throw MoorError(.invalidInput, "not XML: \(parser.parserError.map(String.init(describing:)) ?? "?")") }
        root = delegate.root ?? ""
        title = delegate.title
        texts = delegate.texts
    }

    final class Collector: NSObject, XMLParserDelegate {
        var root: String?
        var title = ""
        var texts: [String] = []
        var current: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            current = name
            if name == "text" { texts.append("") }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if current == "title" { title += string }
            if current == "text" { texts[texts.count - 1] += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { current = nil }
    }
}
