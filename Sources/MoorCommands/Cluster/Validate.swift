import ArgumentParser
import MoorCore

/// `moor validate`: read the lab file and report every problem, positioned.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the lab file; print `ok` or every problem as FILE:LINE:COL.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab: LabFile
        do {
            lab = try LabFileReader.load(path)
        } catch {
            // With -o json the problems are the document on stdout; stderr and the exit status
            // are as in text.
            if options.output == .json { try Console.json(ValidateFailure(file: path, error: error)) }
            throw error
        }
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

/// `{"ok":false,"file","problems":[{"line","column","message"}]}`; line and column are null
/// when the file could not be opened at all.
struct ValidateFailure: Encodable {
    struct Problem: Encodable {
        var line: Int?
        var column: Int?
        var message: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(message, forKey: .message)
        }
        enum CodingKeys: String, CodingKey { case line, column, message }
    }

    var ok = false
    var file: String
    var problems: [Problem]

    init(file: String, error: any Error) {
        self.file = file
        if let invalid = error as? LabFileError {
            problems = invalid.diagnostics.map { Problem(line: $0.position.line, column: $0.position.column, message: $0.message) }
        } else {
            problems = [Problem(message: MoorError.from(error).message)]
        }
    }
}
