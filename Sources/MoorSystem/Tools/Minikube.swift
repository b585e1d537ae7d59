import MoorCore

/// minikube invocations as values.
public enum Minikube {
    public static func profileList() -> Command {
        Command("minikube", ["profile", "list", "-o", "json"], timeout: .seconds(60))
    }

    public static func status(profile: String) -> Command {
        Command("minikube", ["status", "-p", profile, "-o", "json"], timeout: .seconds(60))
    }

    /// Creates a cluster with exactly the settings the lab file gives.
    public static func start(_ spec: ClusterSpec) -> Command {
        var arguments = ["start", "-p", spec.name, "--driver=\(spec.driver)"]
        if let runtime = spec.containerRuntime { arguments.append("--container-runtime=\(runtime)") }
        if let cpus = spec.cpus { arguments.append("--cpus=\(cpus)") }
        if let memory = spec.memoryMiB { arguments.append("--memory=\(memory)mb") }
        if let disk = spec.diskMiB { arguments.append("--disk-size=\(size(disk))") }
        arguments += spec.apiServer.names.map { "--apiserver-names=\($0)" }
        if let port = spec.apiServer.port { arguments.append("--apiserver-port=\(port)") }
        if let address = spec.apiServer.listenAddress { arguments.append("--listen-address=\(address)") }
        return Command("minikube", arguments, timeout: .seconds(900))
    }

    /// Starts an existing, stopped cluster with the settings it was created with.
    public static func restart(profile: String) -> Command {
        Command("minikube", ["start", "-p", profile], timeout: .seconds(900))
    }

    public static func unpause(profile: String) -> Command {
        Command("minikube", ["unpause", "-p", profile], timeout: .seconds(120))
    }

    public static func delete(profile: String) -> Command {
        Command("minikube", ["delete", "-p", profile], timeout: .seconds(300))
    }

    /// Runs `words` in the node. `minikube ssh -- WORDS` joins its words and the node's
    /// shell parses the result, so each word is quoted for that shell.
    public static func ssh(profile: String, _ words: [String], stdin: [UInt8]? = nil) -> Command {
        Command("minikube", ["ssh", "-p", profile, "--"] + words.map(ShellQuote.quote), stdin: stdin, timeout: .seconds(60))
    }

    /// `minikube ssh` through OpenSSH (`--native-ssh=false`): no terminal, so binary output
    /// (a tar archive) arrives intact. Streams from and to files; long timeout.
    public static func sshBinary(profile: String, _ words: [String], stdinFile: String? = nil, stdoutFile: String? = nil) -> Command {
        var command = Command("minikube", ["ssh", "-p", profile, "--native-ssh=false", "--"] + words.map(ShellQuote.quote), timeout: .seconds(4 * 3600))
        command.stdinFile = stdinFile
        command.stdoutFile = stdoutFile
        return command
    }

    static func size(_ mebibytes: Int) -> String {
        mebibytes % 1024 == 0 ? "\(mebibytes / 1024)g" : "\(mebibytes)mb"
    }
}

/// Commands run inside the minikube node (through `Minikube.ssh`).
public enum NodeCommands {
    /// The API server's certificate in the node.
    public static let apiServerCertificate = "/var/lib/minikube/certs/apiserver.crt"

    /// Every hosts.toml under containerd's certs.d and the API server's certificate, as
    /// `PATH:LINE` lines, in one command.
    public static func readNodeFiles() -> [String] {
        ["sudo", "grep", "-r", "-s", "--include=hosts.toml", "--include=apiserver.crt", "",
         HostsToml.certsDirectory, apiServerCertificate]
    }

    /// Replaces a file atomically with stdin. The script is constant; the path is `$1`.
    public static func writeFile(_ path: String) -> [String] {
        ["sudo", "sh", "-c", writeScript, "sh", path]
    }

    /// Removes a file (absent is fine). The script is constant; the path is `$1`.
    public static func removeFile(_ path: String) -> [String] {
        ["sudo", "sh", "-c", #"rm -f "$1""#, "sh", path]
    }

    static let writeScript = #"set -e; mkdir -p "$(dirname "$1")"; cat > "$1.moor-tmp"; chmod 0644 "$1.moor-tmp"; mv -f "$1.moor-tmp" "$1""#

    /// The node's dockerd storage driver: `overlay2`, or `overlayfs` with the containerd image store.
    public static func dockerStorageDriver() -> [String] {
        ["docker", "info", "--format", "{{.Driver}} {{json .DriverStatus}}"]
    }

    /// minikube's hostpath provisioner keeps every PersistentVolume's data here, by claim.
    public static let volumes = "/tmp/hostpath-provisioner"

    /// The volume tree as a tar archive on stdout, owners and modes kept.
    public static func archiveVolumes() -> [String] {
        ["sudo", "sh", "-c", #"mkdir -p "$1" && tar -C "$1" -cf - ."#, "sh", volumes]
    }

    /// A tar archive on stdin unpacked into the volume tree, owners and modes kept.
    public static func restoreVolumes() -> [String] {
        ["sudo", "sh", "-c", #"mkdir -p "$1" && tar -C "$1" -xpf -"#, "sh", volumes]
    }

    /// The tree's manifest (see `BackupManifest.script`).
    public static func volumeManifest() -> [String] {
        ["sudo", "sh", "-c", #"mkdir -p "$1" && "# + BackupManifest.script, "sh", volumes]
    }

    /// The tree's size in KiB.
    public static func volumeSize() -> [String] {
        ["sudo", "sh", "-c", #"mkdir -p "$1" && du -sk "$1""#, "sh", volumes]
    }

    public static func restartContainerd() -> [String] {
        ["sudo", "systemctl", "restart", "containerd"]
    }
}
