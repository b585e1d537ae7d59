import MoorCore
import MoorSystem

/// The runner for each host of the lab file: this machine's, or ssh to it.
public struct HostRunners: Sendable {
    let lab: LabFile
    let context: MoorContext

    public init(lab: LabFile, context: MoorContext) {
        self.lab = lab
        self.context = context
    }

    /// A runner and a label for messages (`indri`, or nil for this machine).
    public func runner(for hostName: String?) -> (runner: any CommandRunner, label: String?) {
        let host = lab.host(named: hostName)
        guard let destination = host.ssh else { return (context.runner, nil) }
        let ssh = SSHRunner(host: host.name, destination: destination,
                            controlDirectory: context.sshControlDirectory, options: context.sshOptions, base: context.runner)
        return (ssh, host.name)
    }
}
