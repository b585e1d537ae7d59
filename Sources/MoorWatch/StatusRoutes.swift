import Foundation
import MoorCore
import MoorSystem

/// One HTTP answer of watch's server.
struct HTTPAnswer: Sendable {
    var status: Int
    var contentType: String
    var body: String
    var headers: [(String, String)] = []
}

/// The status page's routes: `/`, `/api/v1/status`, `/api/v1/checks/<name>/history?days=N`,
/// `/badge/<check>.svg?window=24h|7d|30d`. Every answer comes from the board (memory and the
/// journal); no path or query names a file, and a path with `..` is not found.
public struct StatusRoutes: Sendable {
    let board: StatusBoard
    let refreshMilliseconds: Int
    let maxDays: Int

    /// Only the inline style and script, by hash; fetch only to this server; no frames,
    /// forms, plugins, or base URL.
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src 'sha256-\(Digest.sha256Base64(StatusPageAssets.script))'",
        "style-src 'sha256-\(Digest.sha256Base64(StatusPageAssets.style))'",
        "img-src 'self'", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let pageHeaders = [
        ("Content-Security-Policy", contentSecurityPolicy), ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store"),
    ]

    public init(board: StatusBoard, refreshMilliseconds: Int, maxDays: Int) {
        self.board = board
        self.refreshMilliseconds = refreshMilliseconds
        self.maxDays = maxDays
    }

    /// Whether `path` is one of these routes (the rest stay the metrics server's).
    static func handles(_ path: String) -> Bool {
        path == "/" || path == "/index.html" || path.hasPrefix("/api/") || path.hasPrefix("/badge/")
    }

    func answer(method: String, uri: String) -> HTTPAnswer {
        let (path, query) = Self.split(uri)
        guard method == "GET" || method == "HEAD" else { return json(405, ["error": "GET only"]) }
        guard let segments = Self.segments(path) else { return json(404, ["error": "not found: \(path)"]) }
        switch segments.first {
        case nil, "index.html":
            guard segments.count <= 1 else { return json(404, ["error": "not found: \(path)"]) }
            let page = StatusPage(status: board.status(), refreshMilliseconds: refreshMilliseconds)
            return HTTPAnswer(status: 200, contentType: "text/html; charset=utf-8", body: page.render(), headers: Self.pageHeaders)
        case "api" where segments == ["api", "v1", "status"]:
            return encoded(board.status())
        case "api" where segments.count == 5 && segments[0...2] == ["api", "v1", "checks"] && segments[4] == "history":
            var days = min(90, maxDays)
            if let text = query["days"] {
                guard let value = Int(text), value >= 1, value <= maxDays else {
                    return json(400, ["error": "days must be a whole number from 1 to \(maxDays) (watch.history), found `\(text)`"])
                }
                days = value
            }
            guard let history = board.history(segments[3], days: days) else {
                return json(404, ["error": "no check named `\(segments[3])` in the lab file"])
            }
            return encoded(history)
        case "badge" where segments.count == 2 && segments[1].hasSuffix(".svg"):
            let name = String(segments[1].dropLast(4))
            guard let window = UptimeBadge.Window(rawValue: query["window"] ?? "24h") else {
                return json(400, ["error": "window must be 24h, 7d or 30d, found `\(query["window"] ?? "")`"])
            }
            guard let badge = board.badge(name, window: window) else { return json(404, ["error": "no check named `\(name)` in the lab file"]) }
            return HTTPAnswer(status: 200, contentType: "image/svg+xml; charset=utf-8", body: badge.svg,
                              headers: [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
                                        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")])
        default:
            return json(404, ["error": "not found: \(path)"])
        }
    }

    /// The path's segments, percent-decoded; nil for a path that is not plain (`..`, `.`, an
    /// empty segment, a NUL, or a backslash).
    static func segments(_ path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        var out: [String] = []
        for raw in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = String(raw).removingPercentEncoding else { return nil }
            if segment.isEmpty && out.isEmpty && raw.endIndex == path.endIndex { continue }
            if segment.isEmpty || segment == "." || segment == ".." || segment.contains("/") || segment.contains("\\") || segment.contains("\0") {
                return nil
            }
            out.append(segment)
        }
        return out
    }

    static func split(_ uri: String) -> (String, [String: String]) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
                query[key] = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
            }
        }
        return (String(parts.first ?? "/"), query)
    }

    func encoded<T: Encodable>(_ value: T) -> HTTPAnswer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return HTTPAnswer(status: 200, contentType: "application/json", body: body + "\n", headers: [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
    }

    func json(_ status: Int, _ body: [String: String]) -> HTTPAnswer {
        var answer = encoded(body)
        answer.status = status
        return answer
    }
}
