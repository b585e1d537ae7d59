/// The settings a minikube cluster fixes at creation, as comparable text.
public enum ClusterSettings {
    public static func desired(_ spec: ClusterSpec) -> [String: String] {
        var fields = ["driver": spec.driver.description, "apiServer.port": String(spec.apiServer.effectivePort)]
        if let runtime = spec.containerRuntime { fields["containerRuntime"] = runtime.description }
        if let cpus = spec.cpus { fields["cpus"] = String(cpus) }
        if let memory = spec.memoryMiB { fields["memory"] = size(memory) }
        if let disk = spec.diskMiB { fields["disk"] = size(disk) }
        if !spec.apiServer.names.isEmpty { fields["apiServer.names"] = spec.apiServer.names.joined(separator: ",") }
        if let address = spec.apiServer.listenAddress { fields["apiServer.listenAddress"] = address }
        return fields
    }

    /// Fields where the created cluster differs from the lab file. Only what the file sets
    /// is compared; names are compared as a set (the cluster may have more).
    public static func differences(_ spec: ClusterSpec, _ config: MinikubeProfiles.ProfileConfig) -> [String: FieldChange] {
        var differences: [String: FieldChange] = [:]
        func compare(_ field: String, _ have: String, _ want: String?) {
            if let want, have != want { differences[field] = FieldChange(from: have, to: want) }
        }
        compare("driver", config.driver.description, spec.driver.description)
        compare("containerRuntime", config.containerRuntime.description, spec.containerRuntime?.description)
        compare("cpus", String(config.cpus), spec.cpus.map(String.init))
        compare("memory", size(config.memoryMiB), spec.memoryMiB.map(size))
        compare("disk", size(config.diskMiB), spec.diskMiB.map(size))
        compare("apiServer.port", String(config.apiServerPort), String(spec.apiServer.effectivePort))
        let listen = config.listenAddress.isEmpty ? "127.0.0.1" : config.listenAddress
        compare("apiServer.listenAddress", listen, spec.apiServer.listenAddress)
        let missing = spec.apiServer.names.filter { !config.apiServerNames.contains($0) }
        if !missing.isEmpty {
            differences["apiServer.names"] = FieldChange(from: config.apiServerNames.joined(separator: ","),
                                                         to: spec.apiServer.names.joined(separator: ","))
        }
        return differences
    }

    /// `11264MiB`, or `200GiB` when it is whole gibibytes.
    public static func size(_ mebibytes: Int) -> String {
        mebibytes >= 1024 && mebibytes % 1024 == 0 ? "\(mebibytes / 1024)GiB" : "\(mebibytes)MiB"
    }
}
