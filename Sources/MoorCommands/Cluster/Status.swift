import ArgumentParser
import MoorCore
import MoorEngine

/// `moor status`: the cluster's state, API port, exposure and mirrors as they are now.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the cluster, its API server host port, exposure, mirrors, and ArgoCD with its apps.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        let context = try LiveContext.make(options)
        let report = try StatusReport(lab: lab, try await ResourceEngine(lab: lab, labPath: path, context: context).plan())
        switch options.output {
        case .json: try Console.json(report)
        case .text: Console.out(PlanText.render(report))
        }
    }
}
