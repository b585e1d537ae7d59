import Yams

/// The Secret objects a template produces, read from the template itself (values are not
/// needed to know names): for `moor secrets status` and `moor plan`.
public enum SecretManifests {
    public struct Object: Sendable, Hashable {
        public var name: String
        public var namespace: String

        public init(name: String, namespace: String) {
            self.name = name
            self.namespace = namespace
        }
    }

    public static func secrets(in template: String) -> [Object] {
        // Values can hold anything; blank them so the YAML parses whatever they contain.
        let blanked = SecretTemplate(template).render { _ in "x" }
        guard let documents = try? Yams.load_all(yaml: blanked) else { return [] }
        var objects: [Object] = []
        for document in documents {
            guard let object = document as? [String: Any], object["kind"] as? String == "Secret",
                  let metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String else { continue }
            objects.append(Object(name: name, namespace: metadata["namespace"] as? String ?? "default"))
        }
        return objects
    }
}
