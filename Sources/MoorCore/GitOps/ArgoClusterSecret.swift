import Foundation

/// ArgoCD's declarative cluster: a Secret labelled `argocd.argoproj.io/secret-type: cluster`
/// in ArgoCD's namespace with the cluster's `name`, `server` and `config` (its CA and client
/// certificate and key). Built in memory and piped to `kubectl apply`; what moor keeps of it
/// is the digest of its content (the `moor/config-sha256` annotation), never the key.
public enum ArgoClusterSecret {
    public static let digestAnnotation = "moor/config-sha256"

    public static func name(for cluster: String) -> String { "cluster-\(cluster)" }

    /// `config` as ArgoCD reads it: `tlsClientConfig` with base64 PEM data.
    public static func config(ca: [UInt8], certificate: [UInt8], key: [UInt8]) -> String {
        let config: [String: Any] = ["tlsClientConfig": [
            "caData": Data(ca).base64EncodedString(),
            "certData": Data(certificate).base64EncodedString(),
            "keyData": Data(key).base64EncodedString(),
        ]]
        let data = (try? JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The Secret as JSON (for `kubectl apply -f -`), carrying `digest`.
    public static func manifest(cluster: String, server: String, namespace: String, config: String, digest: String) -> [UInt8] {
        let object: [String: Any] = [
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": ["name": name(for: cluster), "namespace": namespace,
                         "labels": ["argocd.argoproj.io/secret-type": "cluster", "app.kubernetes.io/managed-by": "moor"],
                         "annotations": [digestAnnotation: digest]],
            "data": ["name": base64(cluster), "server": base64(server), "config": base64(config)],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// What the cluster has: nil when there is no such Secret (`--ignore-not-found` prints
    /// nothing), else its digest annotation (nil when someone else made it).
    public static func observedDigest(_ output: String) throws -> String?? {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .none }
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ToolOutputError(tool: "kubectl get secret", problem: "expected one Secret as JSON")
        }
        let annotations = (object["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
        return .some(annotations[digestAnnotation])
    }
}
