import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// The observe → plan → apply → verify loop for a lab file's cluster, mirrors and exposure.
public struct Engine: Sendable {
    public let lab: LabFile
    public let labPath: String
    public let context: MoorContext

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    func observer() throws -> Observer {
        guard let spec = lab.cluster else {
            throw EngineError(.missingSection, "\(labPath) has no `cluster` section; add one to use plan, up and status")
        }
        return Observer(lab: lab, spec: spec, hosts: HostRunners(lab: lab, context: context))
    }

    /// Observes the cluster (when the lab file has one) and the GitOps state (apps, secrets)
    /// concurrently. GitOps reads that fail become notes, not errors: a cluster being created
    /// cannot answer kubectl yet.
    func observe() async throws -> Observation {
        guard lab.cluster != nil || lab.gitops != nil || !lab.secrets.isEmpty else {
            throw EngineError(.missingSection, "\(labPath) has no `cluster`, `gitops` or `secrets` section: nothing to plan")
        }
        async let gitops = observeGitOps()
        var observation = lab.cluster != nil ? try await observer().observe() : Observation(cluster: ObservedCluster(name: "", state: .absent))
        let (applications, secrets, notes) = await gitops
        observation.applications = applications
        observation.secretObjects = secrets
        observation.notes = notes
        return observation
    }

    func observeGitOps() async -> ([Application]?, [SecretObjectState]?, [String]) {
        var notes: [String] = []
        var applications: [Application]?
        var secrets: [SecretObjectState]?
        if lab.gitops != nil {
            do {
                applications = try await AppsEngine(lab: lab, labPath: labPath, context: context).applications()
            } catch {
                notes.append("could not list ArgoCD Applications (\(error)); apps are left out of this plan")
            }
        }
        if !lab.secrets.isEmpty {
            do {
                secrets = try await SecretsEngine(lab: lab, labPath: labPath, context: context).status().map {
                    SecretObjectState(template: $0.template, object: .init(name: $0.name, namespace: $0.namespace), present: $0.present)
                }
            } catch {
                notes.append("could not list Secrets (\(error)); secrets are left out of this plan")
            }
        }
        return (applications, secrets, notes)
    }

    /// Observe and diff. When the cluster must be created or started, preflight looks at
    /// docker too, so the plan already says what would stop `up`.
    public func plan() async throws -> Plan {
        var observation = try await observe()
        let draft = Planner.plan(lab, observation)
        if draft.change(for: ResourceName.cluster) != nil, let observer = try? observer(), observer.spec.driver == "docker" {
            do {
                observation.dockerMemoryMiB = try await observer.dockerMemoryMiB()
            } catch let error as EngineError {
                var plan = draft
                plan.warnings.insert(error.message, at: 0)
                return plan
            }
            return Planner.plan(lab, observation)
        }
        return draft
    }

    /// What is there now, for `moor status`.
    public func status() async throws -> StatusReport {
        let observation = try await observer().observe()
        return StatusReport(lab: lab, observation: observation, plan: Planner.plan(lab, observation))
    }
}

/// The JSON of `moor status`.
public struct StatusReport: Sendable, Equatable, Encodable {
    public struct Cluster: Sendable, Equatable, Encodable {
        public var name: String
        public var state: ClusterState
        public var driver: String?
        public var apiServer: APIServer
    }

    public struct APIServer: Sendable, Equatable, Encodable {
        public var hostPort: Int?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hostPort, forKey: .hostPort)
        }
        enum CodingKeys: String, CodingKey { case hostPort }
    }

    public struct Expose: Sendable, Equatable, Encodable {
        public var resource: String
        public var target: String?
        public var inSync: Bool

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resource, forKey: .resource)
            try container.encode(target, forKey: .target)
            try container.encode(inSync, forKey: .inSync)
        }
        enum CodingKeys: String, CodingKey { case resource, target, inSync }
    }

    public struct Mirror: Sendable, Equatable, Encodable {
        public var registry: String
        public var inSync: Bool
    }

    public var cluster: Cluster
    public var expose: Expose?
    public var mirrors: [Mirror]

    init(lab: LabFile, observation: Observation, plan: Plan) {
        let spec = lab.cluster ?? ClusterSpec()
        cluster = Cluster(name: spec.name, state: observation.cluster.state,
                          driver: observation.cluster.config?.driver,
                          apiServer: APIServer(hostPort: observation.apiHostPort))
        expose = lab.expose?.tailscale.map { ts in
            Expose(resource: ResourceName.expose(ts), target: observation.serve?.tcpForward(service: ts.service, port: ts.port),
                   inSync: plan.change(for: ResourceName.expose(ts)) == nil)
        }
        mirrors = spec.registryMirrors.map {
            Mirror(registry: $0.registry, inSync: plan.change(for: ResourceName.mirror($0.registry)) == nil)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cluster, forKey: .cluster)
        try container.encode(expose, forKey: .expose)
        try container.encode(mirrors, forKey: .mirrors)
    }
    enum CodingKeys: String, CodingKey { case cluster, expose, mirrors }
}
