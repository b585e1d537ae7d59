import ArgumentParser
import MoorCore

/// `moor validate`: read the lab file and report every problem, positioned.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the lab file; print `ok` or every problem as FILE:LINE:COL.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        switch options.output {
        case .json:
            try Console.json(ValidateReport(file: path, hosts: lab.hosts.count, checks: lab.checks.count,
                                            mirrors: lab.cluster?.registryMirrors.count ?? 0))
        case .text:
            Console.out("ok")
        }
    }
}

struct ValidateReport: Encodable {
    var ok = true
    var file: String
    var hosts: Int
    var checks: Int
    var mirrors: Int
}
