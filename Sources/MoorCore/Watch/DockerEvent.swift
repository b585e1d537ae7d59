import Foundation

/// One line of `docker events --format '{{json .}}'`. Only `Type`, `Action`,
/// `Actor.Attributes` and `time`/`timeNano` are read: `status`, `id` and `from` are gone
/// from newer API versions.
public struct DockerEvent: Sendable, Equatable {
    public var type: String
    public var action: String
    public var attributes: [String: String]
    /// Seconds since the epoch, with the nanoseconds when docker sent them.
    public var time: Int64
    public var timeNano: Int64?

    /// The minikube profile of the container (`name.minikube.sigs.k8s.io`).
    public var profile: String? { attributes["name.minikube.sigs.k8s.io"] }

    /// For `--since`: seconds, with nanoseconds when known (`1764384121.554120871`).
    public var since: String {
        guard let nano = timeNano else { return String(time) }
        return Self.since(nanoseconds: nano)
    }

    /// `seconds.nanoseconds`, as `docker events --since` takes it.
    public static func since(nanoseconds nano: Int64) -> String {
        let fraction = String(nano % 1_000_000_000)
        return "\(nano / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }

    /// Told apart from the other events of the same second when a stream is resumed.
    public var identity: String { "\(timeNano ?? time * 1_000_000_000) \(action) \(attributes["name"] ?? "")" }

    struct Raw: Decodable {
        struct Actor: Decodable { var Attributes: [String: String]? }
        var `Type`: String?
        var Action: String?
        var Actor: Actor?
        var time: Int64?
        var timeNano: Int64?
    }

    /// Parses one line; nil for a line that is not an event (docker prints nothing else,
    /// but a stream cut mid-line must not stop the follower).
    public static func parse(_ line: String) -> DockerEvent? {
        guard let raw = try? JSONDecoder().decode(Raw.self, from: Data(line.utf8)),
              let type = raw.Type, let action = raw.Action, let time = raw.time ?? raw.timeNano.map({ $0 / 1_000_000_000 }) else { return nil }
        return DockerEvent(type: type, action: action, attributes: raw.Actor?.Attributes ?? [:], time: time, timeNano: raw.timeNano)
    }
}
