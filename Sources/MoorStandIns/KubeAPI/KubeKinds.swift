/// The kinds the emulator serves, as discovery describes them.
struct KubeKind: Sendable, Equatable {
    var group: String
    var version: String
    var resource: String
    var kind: String
    var namespaced: Bool
    /// Built-in kinds take strategic merge patches; custom resources do not.
    var builtIn: Bool

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    var apiVersion: String { groupVersion }
    var singular: String { kind.lowercased() }

    static let all: [KubeKind] = [
        KubeKind(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false, builtIn: true),
        KubeKind(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true, builtIn: true),
        KubeKind(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true, builtIn: true),
        KubeKind(group: "", version: "v1", resource: "persistentvolumeclaims", kind: "PersistentVolumeClaim", namespaced: true, builtIn: true),
        KubeKind(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true, builtIn: true),
        KubeKind(group: "postgresql.cnpg.io", version: "v1", resource: "clusters", kind: "Cluster", namespaced: true, builtIn: false),
        KubeKind(group: "storage.k8s.io", version: "v1", resource: "storageclasses", kind: "StorageClass", namespaced: false, builtIn: true),
        KubeKind(group: "", version: "v1", resource: "persistentvolumes", kind: "PersistentVolume", namespaced: false, builtIn: true),
        KubeKind(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true, builtIn: true),
        KubeKind(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true, builtIn: true),
        KubeKind(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true, builtIn: true),
        KubeKind(group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition",
                 namespaced: false, builtIn: true),
        KubeKind(group: "argoproj.io", version: "v1alpha1", resource: "applications", kind: "Application", namespaced: true, builtIn: false),
    ]

    static let namespace = all[0]
    static let secret = all[1]
    static let application = all[all.count - 1]

    static func find(group: String, version: String, resource: String) -> KubeKind? {
        all.first { $0.group == group && $0.version == version && $0.resource == resource }
    }

    static func find(apiVersion: String, kind: String) -> KubeKind? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    static var groupVersions: [(group: String, version: String)] {
        var seen: [(String, String)] = []
        for kind in all where !seen.contains(where: { $0 == (kind.group, kind.version) }) { seen.append((kind.group, kind.version)) }
        return seen
    }
}

/// Discovery and OpenAPI documents, shaped as kubectl 1.32 reads them.
enum KubeDiscovery {
    static func version() -> [String: Any] {
        ["major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "emulator", "gitTreeState": "clean",
         "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64"]
    }

    static func api(address: String) -> [String: Any] {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": address]]]
    }

    static func groups() -> [String: Any] {
        let groups = KubeKind.groupVersions.filter { !$0.group.isEmpty }.map { gv -> [String: Any] in
            let version: [String: Any] = ["groupVersion": "\(gv.group)/\(gv.version)", "version": gv.version]
            return ["name": gv.group, "versions": [version], "preferredVersion": version]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": groups]
    }

    static func resources(group: String, version: String) -> [String: Any]? {
        let kinds = KubeKind.all.filter { $0.group == group && $0.version == version }
        guard !kinds.isEmpty else { return nil }
        let resources = kinds.map { kind -> [String: Any] in
            ["name": kind.resource, "singularName": kind.singular, "namespaced": kind.namespaced, "kind": kind.kind,
             "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]]
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": kinds[0].groupVersion, "resources": resources]
    }

    static func openAPIRoot() -> [String: Any] {
        var paths: [String: Any] = [:]
        for gv in KubeKind.groupVersions {
            let key = gv.group.isEmpty ? "api/\(gv.version)" : "apis/\(gv.group)/\(gv.version)"
            paths[key] = ["serverRelativeURL": "/openapi/v3/\(key)?hash=emulator"]
        }
        return ["paths": paths]
    }

    /// One `patch` operation per kind, with the GVK extension, a `fieldValidation` query
    /// parameter and the patch bodies the server takes.
    static func openAPI(path: String) -> [String: Any]? {
        let parts = path.split(separator: "/").map(String.init)
        let (group, version): (String, String)
        switch parts.count {
        case 2 where parts[0] == "api": (group, version) = ("", parts[1])
        case 3 where parts[0] == "apis": (group, version) = (parts[1], parts[2])
        default: return nil
        }
        let kinds = KubeKind.all.filter { $0.group == group && $0.version == version }
        guard !kinds.isEmpty else { return nil }
        var paths: [String: Any] = [:]
        var bodies: [String: Any] = ["application/json-patch+json": ["schema": ["type": "object"]],
                                     "application/merge-patch+json": ["schema": ["type": "object"]],
                                     "application/apply-patch+yaml": ["schema": ["type": "object"]]]
        for kind in kinds {
            if kind.builtIn { bodies["application/strategic-merge-patch+json"] = ["schema": ["type": "object"]] }
            let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let item = kind.namespaced ? "\(prefix)/namespaces/{namespace}/\(kind.resource)/{name}" : "\(prefix)/\(kind.resource)/{name}"
            paths[item] = ["patch": [
                "x-kubernetes-group-version-kind": ["group": kind.group, "version": kind.version, "kind": kind.kind],
                "x-kubernetes-action": "patch",
                "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]]],
                "requestBody": ["content": bodies],
                "responses": ["200": ["description": "OK"]],
            ]]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": paths,
                "components": ["schemas": [String: Any]()]]
    }
}
