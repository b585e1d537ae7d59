import MoorCore

/// The likely cause of an app that is not Healthy, as `moor up` and the status page name it:
/// the missing Secrets of the templates that belong to it (by path or by namespace), else
/// ArgoCD's health message or first condition.
public enum AppCauses {
    public static func missingSecrets(of name: String, app: Application?, missing: [SecretsEngine.Status]) -> [String] {
        let paths = app?.sources.compactMap(\.path) ?? []
        return missing.filter { secret in secret.namespace == name || paths.contains { secret.template.hasPrefix($0 + "/") } }
            .map { "Secret \($0.namespace)/\($0.name) is missing (template \($0.template))" }
    }

    public static func cause(of app: Application, missing: [SecretsEngine.Status]) -> String? {
        guard app.health != .healthy || app.syncStatus != .synced else { return nil }
        let secrets = missingSecrets(of: app.name, app: app, missing: missing)
        if !secrets.isEmpty { return secrets.joined(separator: "; ") }
        return app.healthMessage ?? app.conditions.first.map { "\($0.type): \($0.message)" }
    }
}
