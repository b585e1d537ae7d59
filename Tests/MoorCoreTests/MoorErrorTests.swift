import Foundation
import Testing
import MoorCore

/// Every error becomes one `MoorError` at the boundary, with a code the exit status comes
/// from, and words a person reads; what moor did not expect never shows its type.
@Suite struct MoorErrorTests {
    struct Strange: Error {}

    @Test func moduleErrorsConvertWithTheirCodes() {
        #expect(MoorError.from(ToolOutputError(tool: "tailscale serve status --json", problem: "expected a ServeConfig JSON object")).code == .badOutput)
        let lab = LabFileError(file: "moor.yaml", diagnostics: [Diagnostic(SourcePosition(line: 3, column: 9), "bad"), Diagnostic(.start, "first")])
        let converted = MoorError.from(lab)
        #expect(converted.code == .invalidLabFile)
        #expect(converted.lines == ["moor.yaml:1:1: error: first", "moor.yaml:3:9: error: bad"], "positioned, in file order")
        #expect(MoorError.from(CancellationError()).code == .interrupted)
        #expect(MoorError.from(MoorError(.busy, "held")) == MoorError(.busy, "held"))
    }

    @Test func anUnexpectedErrorHidesItsTypeAndKeepsItForDebug() {
        let error = MoorError.from(Strange())
        #expect(error.code == .failed)
        #expect(error.message == "an unexpected error stopped moor; run it again with --debug to see it")
        #expect(!error.message.contains("Strange"))
        #expect(error.causeChain.count == 1 && error.causeChain[0].contains("Strange"), "--debug shows it")
    }

    @Test func causesChainAndAreNotCompared() {
        let inner = MoorError(.fileMissing, "/x does not exist")
        let outer = MoorError(.noInput, "cannot read the lab file /x", cause: inner)
        #expect(outer.causeChain == ["/x does not exist"])
        #expect(outer == MoorError(.noInput, "cannot read the lab file /x"), "equality is the problem, not its history")
        #expect(outer.isInterruption == false && MoorError(.interrupted, "x").isInterruption)
    }
}
