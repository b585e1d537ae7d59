/// minikube's JSON, in Go's field order (the structs have no json tags).
enum MinikubeJSON {
    static func profileList(_ world: World) -> String {
        let valid = world.profiles.keys.sorted().map { name -> JSONText in
            let profile = world.profiles[name]!
            let status = profile.state == "Running" ? "OK" : profile.state
            return .object([("Name", .string(name)), ("Status", .string(status)), ("Config", config(name, profile)),
                            ("Active", .bool(name == "minikube")), ("ActiveKubeContext", .bool(true))])
        }
        return JSONText.object([("invalid", .array([])), ("valid", .array(valid))]).compact()
    }

    static func config(_ name: String, _ p: World.Profile) -> JSONText {
        let kubernetes = JSONText.object([
            ("KubernetesVersion", .string("v1.36.2")), ("ClusterName", .string(name)), ("Namespace", .string("default")),
            ("APIServerHAVIP", .string("")), ("APIServerName", .string("minikubeCA")),
            ("APIServerNames", p.names.isEmpty ? .null : .array(p.names.map(JSONText.string))), ("APIServerIPs", .null),
            ("DNSDomain", .string("cluster.local")), ("ContainerRuntime", .string(p.runtime)), ("CRISocket", .string("")),
            ("NetworkPlugin", .string("cni")), ("FeatureGates", .string("")), ("ServiceCIDR", .string("10.96.0.0/12")),
            ("ImageRepository", .string("")), ("ExtraOptions", .null), ("ShouldLoadCachedImages", .bool(true)),
            ("EnableDefaultCNI", .bool(false)), ("CNI", .string("")),
        ])
        let node = JSONText.object([
            ("Name", .string("")), ("IP", .string("192.168.49.2")), ("Port", .int(p.apiServerPort)),
            ("KubernetesVersion", .string("v1.36.2")), ("ContainerRuntime", .string(p.runtime)),
            ("ControlPlane", .bool(true)), ("Worker", .bool(true)),
        ])
        return .object([
            ("Name", .string(name)), ("KeepContext", .bool(false)), ("EmbedCerts", .bool(false)), ("MinikubeISO", .string("")),
            ("KicBaseImage", .string("gcr.io/k8s-minikube/kicbase-builds:v0.0.50-1787134061-23516")),
            ("Memory", .int(p.memory)), ("CPUs", .int(p.cpus)), ("DiskSize", .int(p.disk)), ("Driver", .string(p.driver)),
            ("InsecureRegistry", .array([])), ("RegistryMirror", .array([])), ("APIServerPort", .int(p.apiServerPort)),
            ("SSHUser", .string("root")), ("SSHPort", .int(22)), ("KubernetesConfig", kubernetes), ("Nodes", .array([node])),
            ("Addons", .object([("default-storageclass", .bool(true)), ("storage-provisioner", .bool(true))])),
            ("StartHostTimeout", .int(360_000_000_000)), ("ExposedPorts", .array([])),
            ("ListenAddress", .string(p.listenAddress)), ("Network", .string("")), ("Subnet", .string("")),
            ("CertExpiration", .int(94_608_000_000_000_000)), ("StaticIP", .string("")),
        ])
    }

    /// `minikube status -o json`: one compact object, no newline; exit code is the bit set.
    static func status(name: String, _ p: World.Profile) -> Outcome {
        let running = p.state == "Running"
        let host = p.state
        let kubelet = running ? "Running" : (p.state == "Paused" ? "Stopped" : host)
        let apiServer = running ? "Running" : host
        let kubeconfig = running || p.state == "Paused" ? "Configured" : host
        let text = JSONText.object([
            ("Name", .string(name)), ("Host", .string(host)), ("Kubelet", .string(kubelet)), ("APIServer", .string(apiServer)),
            ("Kubeconfig", .string(kubeconfig)), ("Worker", .bool(false)),
        ]).compact()
        var code: Int32 = 0
        if host != "Running" { code |= 1 }
        if kubelet != "Running" || !(apiServer == "Running" || apiServer == "Irrelevant") { code |= 2 }
        if !(kubeconfig == "Configured" || kubeconfig == "Irrelevant") { code |= 4 }
        return Outcome(code, stdout: text)
    }
}
