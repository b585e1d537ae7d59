import ArgumentParser
import Foundation
import MoorCore
import MoorEngine
import MoorSystem

/// Flags of the commands that change something: they take the cluster's writer lock.
struct WriterOptions: ParsableArguments {
    @Option(help: "How long to wait for another moor changing the same cluster, e.g. 10m.")
    var lockTimeout = "10m"

    @Flag(help: "Fail at once (exit 1) when another moor is changing the same cluster.")
    var noWait = false

    func validate() throws {
        guard Units.milliseconds(lockTimeout) != nil else { throw ValidationError("--lock-timeout takes a duration such as 10m") }
    }

    var timeout: Duration? { noWait ? nil : .milliseconds(Units.milliseconds(lockTimeout) ?? 600_000) }
}

/// The writer lock of each of the lab's clusters (its host plus its profile, or its k3s),
/// local to this machine.
enum ClusterLock {
    /// `minikube`, or `indri/minikube` for a remote cluster host, `ringtail/k3s` for a k3s
    /// host; a GitOps-only lab locks its kube context. Sorted: the order locks are taken in.
    static func names(_ lab: LabFile) -> [String] {
        guard !lab.clusters.isEmpty else { return [lab.kubeContext ?? lab.remoteAccess?.context ?? "default"] }
        return Set(lab.clusters.map { cluster in
            let local = cluster.provider == .minikube ? cluster.name : cluster.provider.description
            return cluster.host.map { "\($0)/\(local)" } ?? local
        }).sorted()
    }

    /// Takes every cluster's lock in order, saying on stderr whom it waits for. Hold the
    /// result until done; `moor up --cluster NAME` takes only that cluster's.
    static func take(_ lab: LabFile, command: String, options: WriterOptions, context: MoorContext) async throws -> WriterLocks {
        var taken: [WriterLock] = []
        do {
            for name in names(lab) { taken.append(try await take(name, command: command, options: options, context: context)) }
        } catch {
            WriterLocks(taken).release()
            throw error
        }
        return WriterLocks(taken)
    }

    static func take(_ cluster: String, command: String, options: WriterOptions, context: MoorContext) async throws -> WriterLock {
        let directory = context.stateDirectory + "/locks"
        try context.files.ensureDirectory(directory)
        let file = directory + "/" + cluster.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" } + ".lock"
        let me = WriterLock.Holder(pid: getpid(), command: "moor \(command)", startedAt: context.clock.date)
        do {
            return try await WriterLock.acquire(path: file, as: me, timeout: options.timeout, clock: context.clock) { holder in
                Console.err("waiting for \(describe(holder, now: context.clock.date)) to finish with cluster \(cluster)…")
            }
        } catch let busy as LockBusy {
            let who = describe(busy.holder, now: context.clock.date)
            throw MoorError(.busy, busy.waited
                ? "gave up after \(options.lockTimeout) waiting for \(who) to finish with cluster \(cluster); raise --lock-timeout or try again"
                : "waiting for \(who) to finish with cluster \(cluster)… not waiting (--no-wait); try again when it is done")
        }
    }

    /// `moor up (pid 4242, started 12s ago)`.
    static func describe(_ holder: WriterLock.Holder?, now: Date) -> String {
        guard let holder else { return "another moor" }
        let seconds = max(0, Int(now.timeIntervalSince(holder.startedAt)))
        let ago = seconds < 120 ? "\(seconds)s" : "\(seconds / 60)m"
        return "\(holder.command) (pid \(holder.pid), started \(ago) ago)"
    }
}
