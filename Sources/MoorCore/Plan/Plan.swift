/// One difference between the lab file and the world, and what `up` does about it. `id`
/// says which resource; `fields` are for people (plan text, JSON) and never an input to apply.
public struct Change: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        case create, start, recreate, update, remove
        /// A file another configuration manager owns differs: shown, never written.
        case managedElsewhere = "managed-elsewhere"
    }

    public var id: ResourceID
    public var action: Action
    public var summary: String
    public var fields: [String: FieldChange]

    public init(_ id: ResourceID, action: Action, summary: String, fields: [String: FieldChange] = [:]) {
        self.id = id
        self.action = action
        self.summary = summary
        self.fields = fields
    }

    /// The printed name (`mirror:docker.io`).
    public var resource: String { id.description }

    enum CodingKeys: String, CodingKey { case resource, action, summary, fields }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ResourceID.self, forKey: .resource)
        action = try container.decode(Action.self, forKey: .action)
        summary = try container.decode(String.self, forKey: .summary)
        fields = try container.decode([String: FieldChange].self, forKey: .fields)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .resource)
        try container.encode(action, forKey: .action)
        try container.encode(summary, forKey: .summary)
        try container.encode(fields, forKey: .fields)
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

/// What one kind's diff found: its changes, the resources already as the lab file says,
/// and warnings.
public struct KindPlan: Sendable, Equatable {
    public var changes: [Change]
    public var unchanged: [ResourceID]
    public var warnings: [String]

    public init(changes: [Change] = [], unchanged: [ResourceID] = [], warnings: [String] = []) {
        self.changes = changes
        self.unchanged = unchanged
        self.warnings = warnings
    }

    /// Adds `change`, or records `id` as unchanged when there is none.
    public mutating func add(_ change: Change?, or id: ResourceID) {
        if let change { changes.append(change) } else { unchanged.append(id) }
    }
}

/// What `moor plan` prints and `moor up` carries out: every kind's plan, in dependency order.
public struct Plan: Sendable, Equatable, Codable {
    public var changes: [Change]
    public var warnings: [String]
    /// Resources that are already as the lab file says.
    public var unchanged: [ResourceID]

    public init(changes: [Change] = [], warnings: [String] = [], unchanged: [ResourceID] = []) {
        self.changes = changes
        self.warnings = warnings
        self.unchanged = unchanged
    }

    public var isEmpty: Bool { changes.isEmpty }

    public func change(for id: ResourceID) -> Change? { changes.first { $0.id == id } }

    public mutating func add(_ plan: KindPlan) {
        changes += plan.changes
        unchanged += plan.unchanged
        warnings += plan.warnings
    }

    enum CodingKeys: String, CodingKey { case changes, warnings }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changes = try container.decode([Change].self, forKey: .changes)
        warnings = try container.decode([String].self, forKey: .warnings)
        unchanged = []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(changes, forKey: .changes)
        try container.encode(warnings, forKey: .warnings)
    }
}

/// The changes planned so far for the kinds a kind needs: what its diff may depend on
/// (a mirror cannot be read from a node that is about to be created).
public struct UpstreamChanges: Sendable, Equatable {
    public var changes: [Change]

    public init(_ changes: [Change] = []) { self.changes = changes }

    public func changes(kind: String) -> Bool { changes.contains { $0.id.kind == kind } }
}
