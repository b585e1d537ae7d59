import Testing
import MoorCore
import MoorTestSupport

/// Hundreds of broken versions of the example: each must fail with positioned messages
/// inside the file, never crash or hang.
@Suite struct LabFuzzTests {
    @Test func mutatedExamplesFailWithPositionedMessages() throws {
        let example = try Fixtures.example()
        var random = SeededRandom(seed: 0x6d6f6f72)
        for round in 0..<400 {
            let (bytes, kind) = LabMutator.mutate(example, with: &random)
            let result = LabLoader.load(bytes: bytes, file: "m.yaml")
            guard case .failure(let error) = result else {
                Issue.record("round \(round) (\(kind)) loaded a broken file")
                continue
            }
            let lineCount = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            for diagnostic in error.diagnostics {
                #expect(diagnostic.position.line >= 1 && diagnostic.position.line <= lineCount + 1, "round \(round) (\(kind))")
                #expect(diagnostic.position.column >= 1, "round \(round) (\(kind))")
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }
}
