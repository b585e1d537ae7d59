/// A tool printed something moor cannot read.
public struct ToolOutputError: Error, Sendable, CustomStringConvertible {
    public var tool: String
    public var problem: String

    public init(tool: String, problem: String) {
        self.tool = tool
        self.problem = problem
    }

    public var description: String { "could not read the output of \(tool): \(problem)" }
}

extension ToolOutputError: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.badOutput, description) }
}
