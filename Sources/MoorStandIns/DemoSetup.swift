import Foundation
import MoorCore

/// What `moor demo` needs beside the stand-ins, written by `moor-standin demo-setup DIR`:
/// a cut-down ArgoCD install manifest, two secret templates, the API emulator's setup (an
/// app of apps with two children, one of which needs a Secret) and the op item. moor runs
/// this; it never links it.
public enum DemoSetup {
    public static let repo = "ssh://forgejo@forge.tail8d86e.ts.net/eblume/blumeops.git"
    public static let commit = "4c1ab1e0c2f8d5e6a7b8c9d0e1f2a3b4c5d6e7f8"

    public static func write(into directory: String, world: WorldStore) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/argocd/manifests/grafana-config", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: directory + "/argocd/manifests/miniflux", withIntermediateDirectories: true)
        try manifest.write(toFile: directory + "/argocd-install.yaml", atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: Secret\nmetadata:\n  name: grafana-admin\n  namespace: monitoring\nstringData:\n  password: \"{{ op://blumeops/grafana admin/password }}\"\n"
            .write(toFile: directory + "/argocd/manifests/grafana-config/secret-admin.yaml.tpl", atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: Secret\nmetadata:\n  name: miniflux-config\n  namespace: miniflux\nstringData:\n  DATABASE_URL: \"postgres://miniflux:{{ env://MINIFLUX_DB_PASSWORD }}@blumeops-pg-rw/miniflux\"\n"
            .write(toFile: directory + "/argocd/manifests/miniflux/secret.yaml.tpl", atomically: true, encoding: .utf8)
        try world.update { $0.opItems["op://blumeops/grafana admin/password"] = "demo-grafana-password" }
        func child(_ name: String) -> String {
            #"{"metadata":{"name":"\#(name)","namespace":"argocd"},"spec":{"project":"default","source":{"repoURL":"\#(repo)","path":"argocd/manifests/\#(name)","targetRevision":"main"},"destination":{"server":"https://kubernetes.default.svc","namespace":"\#(name)"}}}"#
        }
        let setup: [String: Any] = [
            "kubeconfig": directory + "/kubeconfig", "context": "minikube",
            "commits": ["\(repo)@main": commit],
            "appOfApps": ["\(repo)@argocd/apps": [child("grafana"), child("miniflux")]],
            "requiresSecret": ["miniflux": "miniflux/miniflux-config"],
        ]
        try JSONSerialization.data(withJSONObject: setup, options: [.sortedKeys]).write(to: URL(fileURLWithPath: directory + "/kube-api.json"))
        try gitops.write(toFile: directory + "/gitops.yaml", atomically: true, encoding: .utf8)
    }

    /// The lab file's GitOps part for the demo.
    public static let gitops = """
        kubeContext: minikube
        gitops:
          argocd:
            namespace: argocd
            revision: main
            apps: [apps, grafana, miniflux]
            install:
              manifest: argocd-install.yaml
            root:
              name: apps
              repoURL: \(repo)
              path: argocd/apps
        secrets:
          - template: argocd/manifests/grafana-config/secret-admin.yaml.tpl
          - template: argocd/manifests/miniflux/secret.yaml.tpl

        """

    /// ArgoCD v3.1.9's install.yaml cut to what moor applies and reads back.
    static var manifest: String {
        var documents = ["apiVersion: v1\nkind: Namespace\nmetadata:\n  name: argocd"]
        for (plural, kind) in [("applications", "Application"), ("appprojects", "AppProject")] {
            documents.append("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: \(plural).argoproj.io\nspec:\n  group: argoproj.io\n  names:\n    kind: \(kind)\n    plural: \(plural)\n  scope: Namespaced\n  versions:\n  - name: v1alpha1\n    served: true\n    storage: true")
        }
        let images = ["argocd-server": "quay.io/argoproj/argocd:v3.1.9", "argocd-repo-server": "quay.io/argoproj/argocd:v3.1.9",
                      "argocd-redis": "public.ecr.aws/docker/library/redis:7.2.8-alpine",
                      "argocd-applicationset-controller": "quay.io/argoproj/argocd:v3.1.9", "argocd-dex-server": "ghcr.io/dexidp/dex:v2.43.0",
                      "argocd-notifications-controller": "quay.io/argoproj/argocd:v3.1.9"]
        for name in images.keys.sorted() {
            documents.append(workload("Deployment", name, images[name] ?? ""))
        }
        documents.append(workload("StatefulSet", "argocd-application-controller", "quay.io/argoproj/argocd:v3.1.9"))
        return documents.joined(separator: "\n---\n") + "\n"
    }

    static func workload(_ kind: String, _ name: String, _ image: String) -> String {
        "apiVersion: apps/v1\nkind: \(kind)\nmetadata:\n  name: \(name)\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: \(name)\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: \(name)\n    spec:\n      containers:\n      - image: \(image)\n        name: \(name)"
    }
}
