import Foundation
import Yams

/// The emulator's objects and behaviour switches. Every request is logged (`METHOD path`).
public final class KubeStore: @unchecked Sendable {
    private let lock = NSLock()
    var objects: [String: [String: Any]] = [:]
    private var log: [String] = []
    private var resourceVersion = 1
    var serverAddress = "127.0.0.1"

    /// Accepts writes with a success answer and stores nothing (a broken admission chain).
    public var dropWrites: Bool { get { locked { _dropWrites } } set { locked { _dropWrites = newValue } } }
    /// Refuses Secrets with an Invalid error that quotes a value, as API servers quote
    /// invalid field values.
    public var rejectSecretsQuotingValues: Bool { get { locked { _reject } } set { locked { _reject = newValue } } }
    /// The commit each `repoURL@revision` resolves to when the controller syncs.
    public var commits: [String: String] { get { locked { _commits } } set { locked { _commits = newValue } } }
    /// ArgoCD's controller does nothing: a requested sync stays requested (a stuck controller).
    public var controllerPaused: Bool { get { locked { _paused } } set { locked { _paused = newValue } } }
    /// Applications that end Degraded after a sync.
    public var degradeOnSync: Set<String> { get { locked { _degrade } } set { locked { _degrade = newValue } } }

    var ticks = 0
    var degradeOnSyncUnlocked: Set<String> { _degrade }
    var commitsUnlocked: [String: String] { _commits }
    /// Children an app of apps creates when it syncs: `repoURL@path` → Application objects.
    public var appOfApps: [String: [[String: Any]]] { get { locked { _appOfApps } } set { locked { _appOfApps = newValue } } }
    /// Apps that stay Progressing after a sync until this Secret (`namespace/name`) exists.
    public var requiresSecret: [String: String] { get { locked { _requires } } set { locked { _requires = newValue } } }
    var appOfAppsUnlocked: [String: [[String: Any]]] { _appOfApps }
    var requiresSecretUnlocked: [String: String] { _requires }
    /// Pods (`namespace/name`) whose `kubectl exec` runs the command on this machine, with
    /// this environment added (the test's PostgreSQL for a database pod).
    public var execEnvironment: [String: [String: String]] { get { locked { _exec } } set { locked { _exec = newValue } } }
    /// What each exec ran: `namespace/pod` and the argv.
    public var execs: [(pod: String, command: [String])] { locked { _execs } }
    func recordExec(pod: String, command: [String]) { locked { _execs.append((pod, command)) } }
    /// The objects an Application's manifests hold: created when its sync finishes, as
    /// ArgoCD applies them (an app's claims, its database cluster and pods).
    public var appResources: [String: [[String: Any]]] { get { locked { _resources } } set { locked { _resources = newValue } } }
    var appResourcesUnlocked: [String: [[String: Any]]] { _resources }
    /// Other clusters' emulators by the server URL an Application's destination names: an
    /// app's resources go to its destination's store (this one for in-cluster or unknown).
    public var destinations: [String: KubeStore] { get { locked { _destinations } } set { locked { _destinations = newValue } } }
    var destinationsUnlocked: [String: KubeStore] { _destinations }
    private var _destinations: [String: KubeStore] = [:]
    private var _exec: [String: [String: String]] = [:]
    private var _execs: [(pod: String, command: [String])] = []
    private var _resources: [String: [[String: Any]]] = [:]
    private var _appOfApps: [String: [[String: Any]]] = [:]
    private var _requires: [String: String] = [:]
    private var _dropWrites = false
    private var _paused = false
    private var _reject = false
    private var _commits: [String: String] = [:]
    private var _degrade: Set<String> = []

    func locked<T>(_ body: () throws -> T) rethrows -> T { try lock.withLock(body) }

    /// Every request so far, `GET /api/v1/secrets?limit=500` style.
    public var requests: [String] { locked { log } }

    // MARK: objects

    static func key(_ kind: KubeKind, namespace: String?, name: String) -> String {
        "\(kind.groupVersion)/\(kind.resource)/\(kind.namespaced ? namespace ?? "default" : "")/\(name)"
    }

    /// Adds or replaces an object given as JSON text (a fixture, say).
    public func put(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return }
        locked { _ = store(object) }
    }

    /// Adds an object unless one of its kind and name is there.
    public func putIfAbsent(json: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let type = KubeKind.find(apiVersion: object["apiVersion"] as? String ?? "", kind: object["kind"] as? String ?? ""),
              let metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String else { return }
        locked {
            let key = Self.key(type, namespace: metadata["namespace"] as? String, name: name)
            if objects[key] == nil { _ = store(object) }
        }
    }

    /// An object as JSON text, or nil.
    public func get(apiVersion: String, kind: String, namespace: String?, name: String) -> String? {
        guard let type = KubeKind.find(apiVersion: apiVersion, kind: kind) else { return nil }
        return locked { objects[Self.key(type, namespace: namespace, name: name)] }.flatMap {
            (try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// `namespace/name` of every object of a kind.
    public func names(apiVersion: String, kind: String) -> [String] {
        guard let type = KubeKind.find(apiVersion: apiVersion, kind: kind) else { return [] }
        return locked {
            objects.values.filter { $0["kind"] as? String == type.kind && $0["apiVersion"] as? String == type.apiVersion }
                .map { object in
                    let metadata = object["metadata"] as? [String: Any] ?? [:]
                    return "\(metadata["namespace"] as? String ?? "")/\(metadata["name"] as? String ?? "")"
                }.sorted()
        }
    }

    /// Stores `object` with server-set metadata; returns the stored form.
    func store(_ object: [String: Any]) -> [String: Any]? {
        guard let apiVersion = object["apiVersion"] as? String, let kindName = object["kind"] as? String,
              let type = KubeKind.find(apiVersion: apiVersion, kind: kindName),
              var metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String else { return nil }
        var object = object
        if type.namespaced { metadata["namespace"] = metadata["namespace"] as? String ?? "default" } else { metadata["namespace"] = nil }
        let key = Self.key(type, namespace: metadata["namespace"] as? String, name: name)
        let old = objects[key]?["metadata"] as? [String: Any]
        metadata["uid"] = old?["uid"] ?? UUID().uuidString.lowercased()
        metadata["creationTimestamp"] = old?["creationTimestamp"] ?? "2026-11-29T00:00:00Z"
        resourceVersion += 1
        metadata["resourceVersion"] = String(resourceVersion)
        object["metadata"] = metadata
        objects[key] = object
        return object
    }

    // MARK: requests

    func handle(_ request: KubeRequest) -> KubeResponse {
        locked {
            log.append("\(request.method) \(request.uri)")
            return route(request)
        }
    }

    private func route(_ request: KubeRequest) -> KubeResponse {
        let path = request.path
        let parts = path.split(separator: "/").map(String.init)
        switch (request.method, parts.first) {
        case ("GET", "version"?): return .json(200, KubeDiscovery.version())
        case ("GET", "api"?) where parts.count == 1: return .json(200, KubeDiscovery.api(address: serverAddress))
        case ("GET", "apis"?) where parts.count == 1: return .json(200, KubeDiscovery.groups())
        case ("GET", "openapi"?) where parts.count == 2: return .json(200, KubeDiscovery.openAPIRoot())
        case ("GET", "openapi"?):
            let rest = parts.dropFirst(2).joined(separator: "/")
            return KubeDiscovery.openAPI(path: rest).map { .json(200, $0) } ?? .status(404, reason: "NotFound", message: "no such document")
        default: break
        }
        guard let target = KubeTarget(parts) else { return .status(404, reason: "NotFound", message: "the server could not find the requested resource") }
        if target.resource == nil {
            return KubeDiscovery.resources(group: target.group, version: target.version).map { .json(200, $0) }
                ?? .status(404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        guard let kind = target.kind else { return .status(404, reason: "NotFound", message: "the server could not find the requested resource") }
        switch (request.method, target.name) {
        case ("GET", nil): return list(kind, namespace: target.namespace)
        case ("GET", let name?): return get(kind, namespace: target.namespace, name: name)
        case ("POST", nil): return create(kind, namespace: target.namespace, body: request.body)
        case ("PATCH", let name?): return patch(kind, namespace: target.namespace, name: name, request: request)
        case ("PUT", let name?): return replace(kind, namespace: target.namespace, name: name, body: request.body)
        case ("DELETE", let name?): return delete(kind, namespace: target.namespace, name: name)
        default: return .status(405, reason: "MethodNotAllowed", message: "\(request.method) is not supported here")
        }
    }

    func notFound(_ kind: KubeKind, _ name: String) -> KubeResponse {
        .status(404, reason: "NotFound", message: "\(kind.resource)\(kind.group.isEmpty ? "" : "." + kind.group) \"\(name)\" not found",
                details: ["name": name, "group": kind.group, "kind": kind.resource])
    }

    func items(_ kind: KubeKind, namespace: String?) -> [[String: Any]] {
        objects.keys.sorted().compactMap { key -> [String: Any]? in
            guard let object = objects[key], object["kind"] as? String == kind.kind, object["apiVersion"] as? String == kind.apiVersion else { return nil }
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            if let namespace, metadata["namespace"] as? String != namespace { return nil }
            return object
        }
    }

    func list(_ kind: KubeKind, namespace: String?) -> KubeResponse {
        if kind.resource == "applications", !_paused { stepController(namespace: namespace) }
        for key in objects.keys where objects[key]?["kind"] as? String == kind.kind { settle(key) }
        if kind.kind.hasPrefix("PersistentVolume") { bindClaims() }
        return .json(200, ["kind": "\(kind.kind)List", "apiVersion": kind.apiVersion,
                           "metadata": ["resourceVersion": String(resourceVersion)], "items": items(kind, namespace: namespace)])
    }

    func get(_ kind: KubeKind, namespace: String?, name: String) -> KubeResponse {
        let key = Self.key(kind, namespace: namespace, name: name)
        settle(key)
        if kind.kind.hasPrefix("PersistentVolume") { bindClaims() }
        guard let object = objects[key] else { return notFound(kind, name) }
        return .json(200, object)
    }

    func decode(_ body: [UInt8]) -> [String: Any]? {
        if let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] { return json }
        return (try? Yams.load(yaml: String(decoding: body, as: UTF8.self))) as? [String: Any]
    }

    func admit(_ object: [String: Any], kind: KubeKind) -> KubeResponse? {
        guard kind.kind == "Secret", _reject else { return nil }
        let name = (object["metadata"] as? [String: Any])?["name"] as? String ?? ""
        let data = (object["stringData"] as? [String: Any]) ?? (object["data"] as? [String: Any]) ?? [:]
        guard let (field, value) = data.sorted(by: { $0.key < $1.key }).first else { return nil }
        return .status(422, reason: "Invalid", message: "Secret \"\(name)\" is invalid: stringData.\(field): Invalid value: \"\(value)\": a valid config key must consist of alphanumeric characters",
                       details: ["name": name, "kind": "Secret"])
    }

    func create(_ kind: KubeKind, namespace: String?, body: [UInt8]) -> KubeResponse {
        guard var object = decode(body) else { return .status(400, reason: "BadRequest", message: "cannot decode the body") }
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        guard let name = metadata["name"] as? String else { return .status(422, reason: "Invalid", message: "metadata.name: Required value") }
        if kind.namespaced {
            let ns = namespace ?? metadata["namespace"] as? String ?? "default"
            guard ns == "default" || objects[Self.key(KubeKind.namespace, namespace: nil, name: ns)] != nil else {
                return .status(404, reason: "NotFound", message: "namespaces \"\(ns)\" not found", details: ["name": ns, "kind": "namespaces"])
            }
            metadata["namespace"] = ns
        }
        object["metadata"] = metadata
        if objects[Self.key(kind, namespace: metadata["namespace"] as? String, name: name)] != nil {
            return .status(409, reason: "AlreadyExists", message: "\(kind.resource) \"\(name)\" already exists")
        }
        if let refusal = admit(object, kind: kind) { return refusal }
        if _dropWrites { return .json(201, object) }
        return store(object).map { .json(201, $0) } ?? .status(400, reason: "BadRequest", message: "not an object of a known kind")
    }

    func replace(_ kind: KubeKind, namespace: String?, name: String, body: [UInt8]) -> KubeResponse {
        guard let object = decode(body) else { return .status(400, reason: "BadRequest", message: "cannot decode the body") }
        if let refusal = admit(object, kind: kind) { return refusal }
        if _dropWrites { return .json(200, object) }
        return store(object).map { .json(200, $0) } ?? .status(400, reason: "BadRequest", message: "not an object of a known kind")
    }

    func delete(_ kind: KubeKind, namespace: String?, name: String) -> KubeResponse {
        let key = Self.key(kind, namespace: namespace, name: name)
        guard let object = objects.removeValue(forKey: key) else { return notFound(kind, name) }
        return .json(200, object)
    }

    func patch(_ kind: KubeKind, namespace: String?, name: String, request: KubeRequest) -> KubeResponse {
        let key = Self.key(kind, namespace: namespace, name: name)
        let type = request.contentType.split(separator: ";").first.map(String.init) ?? ""
        var object: [String: Any]
        if let existing = objects[key] {
            object = existing
        } else if type == "application/apply-patch+yaml" {
            object = [:]
        } else {
            return notFound(kind, name)
        }
        switch type {
        case "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml":
            guard let patch = decode(request.body) else { return .status(400, reason: "BadRequest", message: "cannot decode the patch") }
            object = JSONPatching.merge(object, patch)
        case "application/json-patch+json":
            guard let operations = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [[String: Any]] else {
                return .status(400, reason: "BadRequest", message: "cannot decode the JSON patch")
            }
            do { object = try JSONPatching.apply(operations, to: object) } catch {
                return .status(422, reason: "Invalid", message: "the JSON patch does not apply: \(error)")
            }
        default:
            return .status(415, reason: "UnsupportedMediaType", message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        }
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["name"] = name
        if kind.namespaced { metadata["namespace"] = namespace ?? "default" }
        object["metadata"] = metadata
        object["apiVersion"] = object["apiVersion"] ?? kind.apiVersion
        object["kind"] = object["kind"] ?? kind.kind
        if let refusal = admit(object, kind: kind) { return refusal }
        if _dropWrites { return .json(200, object) }
        let created = objects[key] == nil
        return store(object).map { .json(created ? 201 : 200, $0) } ?? .status(400, reason: "BadRequest", message: "not an object of a known kind")
    }
}

/// Where a request points: group, version, resource, namespace, name.
struct KubeTarget {
    var group: String
    var version: String
    var resource: String?
    var namespace: String?
    var name: String?

    init?(_ parts: [String]) {
        var rest: ArraySlice<String>
        if parts.first == "api", parts.count >= 2 {
            (group, version) = ("", parts[1])
            rest = parts.dropFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            (group, version) = (parts[1], parts[2])
            rest = parts.dropFirst(3)
        } else {
            return nil
        }
        if rest.first == "namespaces", rest.count >= 3 {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        resource = rest.first
        name = rest.dropFirst().first
    }

    var kind: KubeKind? { resource.flatMap { KubeKind.find(group: group, version: version, resource: $0) } }
}
