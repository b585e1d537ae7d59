/// One difference between the lab file and the world, and what `up` does about it.
public struct Change: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        case create, start, recreate, update
    }

    /// `cluster`, `mirror:<registry>` or `expose:<service or node>:<port>`.
    public var resource: String
    public var action: Action
    public var summary: String
    public var fields: [String: FieldChange]

    public init(resource: String, action: Action, summary: String, fields: [String: FieldChange] = [:]) {
        self.resource = resource
        self.action = action
        self.summary = summary
        self.fields = fields
    }
}

/// A field's observed and desired value; nil `from` means absent or unknown.
public struct FieldChange: Sendable, Equatable, Codable {
    public var from: String?
    public var to: String

    public init(from: String?, to: String) {
        self.from = from
        self.to = to
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
    }
}

/// What `moor plan` prints and `moor up` carries out.
public struct Plan: Sendable, Equatable, Codable {
    public var changes: [Change]
    public var warnings: [String]
    /// Resources that are already as the lab file says.
    public var unchanged: [String]

    public init(changes: [Change] = [], warnings: [String] = [], unchanged: [String] = []) {
        self.changes = changes
        self.warnings = warnings
        self.unchanged = unchanged
    }

    public var isEmpty: Bool { changes.isEmpty }

    public func change(for resource: String) -> Change? { changes.first { $0.resource == resource } }

    enum CodingKeys: String, CodingKey { case changes, warnings }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changes = try container.decode([Change].self, forKey: .changes)
        warnings = try container.decode([String].self, forKey: .warnings)
        unchanged = []
    }
}

/// Resource names, in one place.
public enum ResourceName {
    public static let cluster = "cluster"
    public static func mirror(_ registry: String) -> String { "mirror:\(registry)" }
    public static func expose(_ spec: TailscaleExpose) -> String { "expose:\(spec.service ?? "node"):\(spec.port)" }
}
