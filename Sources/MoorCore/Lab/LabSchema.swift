import Foundation

/// The lab file's JSON Schema (draft 2020-12), for editors (`# yaml-language-server:
/// $schema=…`) and CI. `moor schema` prints it; `docs/moor.schema.json` is that output, kept
/// in the repository and checked against every example lab. Each object is built from the
/// key list the loader reads with (`LabKeys`), so a key the loader takes is never missing
/// here. The loader checks more than a schema can (host references, conditions, sizes);
/// the schema is the editor's half of that.
public enum LabSchema {
    public static let id = "urn:moor:lab-file:v1"

    /// The schema as pretty-printed JSON with sorted keys, ending in a newline.
    public static var text: String {
        let data = (try? JSONSerialization.data(withJSONObject: Builder().document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Every object of the schema with the keys it was built from (for the test that holds
    /// the two together).
    public static var objects: [(path: String, keys: [String], properties: [String])] {
        let builder = Builder()
        _ = builder.document
        return builder.built.map { ($0.path, $0.keys, $0.properties) }
    }

    typealias JSON = [String: Any]

    struct Built { var path: String; var keys: [String]; var properties: [String] }
}

/// Builds the schema once per use, recording each object it makes.
private final class Builder {
    typealias JSON = [String: Any]
    var built: [LabSchema.Built] = []

    var document: JSON {
        var root = object("", LabKeys.top, required: ["version"], [
            "version": ["const": 1, "description": "The lab file format; this moor reads version 1."],
            "hosts": ["type": "object", "description": "Machines moor talks to, by name: over ssh, or this machine.",
                      "additionalProperties": ["oneOf": [["type": "null"], host]]],
            "cluster": cluster,
            "clusters": ["type": "object", "minProperties": 1, "propertyNames": ["pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"],
                         "description": "Several clusters by moor's name for them (`cluster` is the one-cluster shorthand).",
                         "additionalProperties": clusterEntry],
            "expose": object("expose", LabKeys.expose, [
                "tailscale": object("expose.tailscale", LabKeys.tailscale, [
                    "host": string("Where tailscaled runs (a key of `hosts`); default: cluster.host."),
                    "service": ["type": "string", "pattern": "^svc:[a-z0-9]([a-z0-9-]*[a-z0-9])?$",
                                "description": "A Tailscale Service (`svc:k8s`); omit to serve on the node itself."],
                    "port": port("The tailnet-facing TCP port (default 443)."),
                    "cluster": string("The cluster whose API server is served (a key of `clusters`); default: the first."),
                ], description: "Publish the API server on the tailnet with `tailscale serve`."),
            ]),
            "remoteAccess": remoteAccess("remoteAccess"),
            "kubeContext": string("The kubectl context every kubectl call names; default: remoteAccess.context, else a local minikube's profile."),
            "gitops": object("gitops", LabKeys.gitops, ["argocd": argocd]),
            "secrets": ["type": "array", "description": "Secret templates applied with `moor secrets apply`.",
                        "items": object("secrets[]", LabKeys.secret, required: ["template"], [
                            "template": string("An `op inject` template (relative to the lab file)."),
                        ])],
            "storage": object("storage", LabKeys.storage, [
                "nfs": ["type": "array", "items": object("storage.nfs[]", LabKeys.nfs, required: ["name", "server", "export"], [
                    "name": string("A name for messages."),
                    "server": string("The NFS server."),
                    "export": string("The exported path."),
                    "clients": stringList("The client networks the export must allow (for doctor's advice)."),
                ])],
            ]),
            "backups": object("backups", LabKeys.backups, [
                "schedule": ["type": "string", "pattern": "^(daily [0-2][0-9]:[0-5][0-9]|[0-9]+(ms|s|m|h))$",
                             "description": "`daily 02:30` (the watch machine's time zone) or an interval of at least 1m such as `6h`; default daily 02:30."],
                "keep": object("backups.keep", LabKeys.backupKeep, [
                    "daily": ["type": "integer", "minimum": 0, "default": 7],
                    "weekly": ["type": "integer", "minimum": 0, "default": 4],
                    "monthly": ["type": "integer", "minimum": 0, "default": 6],
                ], description: "How many backups stay: the newest of each of the last N days, weeks and months."),
                "path": ["type": "string", "pattern": "^(/|~/)", "description": "Where backups go (default: the state directory's backups); another path must exist (a NAS mount)."],
                "volumes": ["oneOf": [["const": "all"], ["type": "array", "items": ["type": "string", "pattern": "^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*$"]]],
                            "description": "`all` (default) or a list of namespace/claim."],
            ], description: "Scheduled backups of every cluster's volumes, run by `moor watch` or `moor backup`."),
            "doctor": object("doctor", LabKeys.doctor, [
                "image": ["type": "string", "pattern": "^\\S+$", "description": "The image of doctor's short-lived pods (default busybox:1.36)."],
            ]),
            "watch": watch,
            "checks": ["type": "array", "items": check, "description": "Health checks for `moor check` and `moor watch`."],
        ], description: "moor's lab file (moor.yaml): one homelab cluster, its mirrors, exposure, GitOps apps, secrets and checks.")
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = LabSchema.id
        root["title"] = "moor lab file"
        return root
    }

    var host: JSON {
        object("hosts.*", LabKeys.host, [
            "ssh": ["type": "string", "pattern": "^[^-\\s]", "description": "An ssh destination (`indri`, `user@indri`), resolved by ~/.ssh/config."],
            "local": ["type": "boolean", "description": "This machine (the same as no `ssh`)."],
        ])
    }

    var cluster: JSON {
        object("cluster", LabKeys.cluster, clusterProperties.merging([
            "name": ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "default": "minikube", "description": "The minikube profile (`-p`)."],
        ]) { $1 }.filter { LabKeys.cluster.contains($0.key) }, description: "The Kubernetes cluster (a minikube profile, or k3s on a host).")
    }

    var clusterEntry: JSON {
        object("clusters.*", LabKeys.clusterEntry, clusterProperties.merging([
            "profile": ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "description": "minikube: the profile (`-p`); default the cluster's name."],
            "remoteAccess": remoteAccess("clusters.*.remoteAccess"),
            "kubeContext": string("The kubectl context moor uses for this cluster."),
        ]) { $1 }, description: "One cluster: its provider and settings.")
    }

    func remoteAccess(_ path: String) -> JSON {
        object(path, LabKeys.remoteAccess, required: ["context", "server", "path"], [
            "context": string("The kubeconfig context (and cluster and user) name `moor kubeconfig` writes."),
            "server": ["type": "string", "pattern": "^https://", "description": "The API server's URL as workstations reach it."],
            "path": string("Where the workstation's kubeconfig is written (`~/` allowed)."),
        ], description: "The kubeconfig `moor kubeconfig` gives a workstation.")
    }

    var clusterProperties: JSON {
        [
            "host": string("The host that runs the cluster (a key of `hosts`); default: this machine."),
            "provider": ["enum": LabKeys.providers, "default": "minikube"],
            "install": object("cluster.install", LabKeys.clusterInstall, required: ["version"], [
                "version": ["type": "string", "pattern": "^v[0-9]", "description": "k3s: the release installed when the host has none (v1.33.4+k3s1)."],
                "script": ["type": "string", "pattern": "^(?!http://)", "description": "The install script: a path or an https URL (default https://get.k3s.io), fetched once."],
            ]),
            "driver": ["enum": ["docker", "podman", "qemu2", "hyperkit", "virtualbox", "kvm2", "vfkit", "none", "ssh"], "default": "docker"],
            "containerRuntime": ["enum": ["docker", "containerd", "cri-o"]],
            "cpus": ["type": "integer", "minimum": 1],
            "memory": size("Memory, e.g. 11264MiB, 12GiB; a bare number is MiB."),
            "disk": size("Disk, e.g. 200g."),
            "minikubeHome": ["type": "string", "pattern": "^/", "description": "MINIKUBE_HOME on the cluster host (absolute)."],
            "apiServer": object("cluster.apiServer", LabKeys.apiServer, [
                "names": stringList("Extra certificate names (--apiserver-names): DNS names or IP addresses."),
                "port": port("The API server's port inside the node (--apiserver-port); default 8443."),
                "listenAddress": string("--listen-address, an IP address; default 127.0.0.1."),
                "address": string("k3s: where moor reads the serving certificate; default the host's address."),
            ]),
            "registryMirrors": ["type": "array", "items": object("cluster.registryMirrors[]", LabKeys.registryMirror, required: ["registry", "mirror"], [
                "registry": string("The registry host (`docker.io`, `registry.local:5000`)."),
                "mirror": url("The mirror's http(s) URL."),
                "upstream": url("The registry's own URL (hosts.toml `server`); default https://<registry>."),
                "capabilities": ["type": "array", "items": ["enum": ["pull", "resolve", "push", "referrers"]], "default": ["pull", "resolve"]],
                "skipVerify": ["type": "boolean", "default": false],
            ])],
        ]
    }

    var argocd: JSON {
        object("gitops.argocd", LabKeys.argocd, [
            "namespace": ["type": "string", "default": "argocd"],
            "cluster": string("The cluster ArgoCD runs in (a key of `clusters`; required with several)."),
            "clusters": stringList("Other clusters ArgoCD deploys to; each becomes an ArgoCD cluster Secret."),
            "revision": ["type": "string", "default": "main", "description": "The git revision every app should track."],
            "parent": string("The app of apps that manages the others."),
            "apps": stringList("The apps `up` and `apps` act on; empty: every app."),
            "install": ["allOf": [object("gitops.argocd.install", LabKeys.install, [
                "version": ["type": "string", "pattern": "^v[0-9]+\\.[0-9]+\\.[0-9]+", "description": "An ArgoCD release tag (v3.1.9)."],
                "manifest": ["type": "string", "pattern": "^(?!http://)", "description": "A local path or an https:// URL."],
            ], description: "ArgoCD itself, installed when the cluster has none: one of version or manifest.")],
                        "oneOf": [["required": ["version"]], ["required": ["manifest"]]]],
            "root": object("gitops.argocd.root", LabKeys.root, required: ["name", "repoURL", "path"], [
                "name": ["type": "string", "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"],
                "repoURL": string("The git repository of the app of apps."),
                "path": string("Its path in the repository."),
            ], description: "The app of apps, created when missing."),
        ])
    }

    var watch: JSON {
        object("watch", LabKeys.watch, [
            "reconcile": duration("How often the cluster loop is planned again (at least 1s)."),
            "autoStart": ["type": "boolean", "default": true],
            "checks": duration("The default interval of a check (at least 100ms)."),
            "page": ["type": "boolean", "description": "Serve the status page on the metrics address (default: when metrics.listen is set)."],
            "history": ["type": "string", "pattern": "^[0-9]+(d|h)$", "description": "How long check history is kept, in days (90d) or whole-day hours."],
            "metrics": object("watch.metrics", LabKeys.metrics, [
                "listen": ["type": "string", "pattern": "^(\\[[0-9a-fA-F:]+\\]|[0-9.]+|localhost):[0-9]+$", "description": "IP:port for /metrics."],
                "allowRemote": ["type": "boolean", "default": false],
                "textfile": ["type": "string", "pattern": "^(/|~/)", "description": "node_exporter's textfile (its directory must exist)."],
            ]),
            "alerts": object("watch.alerts", LabKeys.alerts, [
                "failureThreshold": ["type": "integer", "minimum": 1, "default": 3],
                "successThreshold": ["type": "integer", "minimum": 1, "default": 2],
                "sendOnResolved": ["type": "boolean", "default": true],
                "ntfy": object("watch.alerts.ntfy", LabKeys.ntfy, required: ["topic"], [
                    "url": url("The ntfy server (default https://ntfy.sh)."),
                    "topic": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"],
                    "token": ["type": "string", "pattern": "\\{\\{.*://.*\\}\\}|^(env|op|file)://", "description": "A reference, never the token."],
                    "priority": ["type": "integer", "minimum": 1, "maximum": 5],
                ]),
            ]),
        ], description: "`moor watch`'s settings.")
    }

    var check: JSON {
        var schema = object("checks[]", LabKeys.check, required: ["name"], [
            "name": string("Unique among the checks."),
            "url": url("An http(s) URL."),
            "tcp": hostPort("host:port to connect to."),
            "tls": hostPort("host:port to complete a TLS handshake with."),
            "postgres": hostPort("host:port of a PostgreSQL server (asked as pg_isready does)."),
            "command": ["type": "array", "items": ["type": "string"], "minItems": 1, "description": "An argv, run on `on` (default this machine)."],
            "on": string("The host a command runs on (a key of `hosts`)."),
            "timeout": duration("Default 5s."),
            "interval": duration("How often `moor watch` runs it (at least 100ms); default watch.checks."),
            "expect": stringList("Gatus conditions that must hold, else fail."),
            "warn": stringList("Gatus conditions that must hold, else warn."),
            "tags": stringList("For `moor check --tag`."),
            "method": string("The HTTP method (default GET)."),
            "headers": ["type": "object", "additionalProperties": ["type": "string"]],
            "body": string("The request body."),
            "serverName": string("The name to ask for (SNI) and expect in the certificate."),
            "ca": string("A PEM file of CAs to trust instead of the system's."),
            "cert": string("A PEM client certificate (with key)."),
            "key": string("The PEM private key of cert."),
            "insecure": ["type": "boolean", "default": false],
            "kubeconfig": string("A kubeconfig context whose CA and client certificate to use."),
            "cluster": string("The cluster the check is about (a key of `clusters`); a command runs on its host."),
        ])
        schema["oneOf"] = LabKeys.checkTargets.map { ["required": [$0]] }
        schema["dependentRequired"] = ["cert": ["key"], "key": ["cert"]]
        return schema
    }

    // MARK: builders

    func object(_ path: String, _ keys: [String], required: [String] = [], _ properties: JSON, description: String? = nil) -> JSON {
        built.append(LabSchema.Built(path: path, keys: keys, properties: Array(properties.keys)))
        var schema: JSON = ["type": "object", "additionalProperties": false, "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        if let description { schema["description"] = description }
        return schema
    }

    func string(_ description: String) -> JSON { ["type": "string", "description": description] }
    func stringList(_ description: String) -> JSON { ["type": "array", "items": ["type": "string"], "description": description] }
    func url(_ description: String) -> JSON { ["type": "string", "pattern": "^https?://", "description": description] }
    func port(_ description: String) -> JSON { ["type": "integer", "minimum": 1, "maximum": 65535, "description": description] }
    func hostPort(_ description: String) -> JSON { ["type": "string", "pattern": ":[0-9]{1,5}$", "description": description] }
    func size(_ description: String) -> JSON {
        ["type": ["string", "integer"], "pattern": "^[0-9]+(\\.[0-9]+)?\\s*(MiB|GiB|MB|GB|m|g|M|G)?$", "description": description]
    }
    func duration(_ description: String) -> JSON {
        ["type": "string", "pattern": "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d))+$", "description": description]
    }
}
