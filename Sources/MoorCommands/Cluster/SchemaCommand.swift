import ArgumentParser
import MoorCore

/// `moor schema`: the lab file's JSON Schema, for editors and CI.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the lab file's JSON Schema (docs/moor.schema.json).",
        discussion: "Editors with the YAML language server read it from a first line such as `# yaml-language-server: $schema=docs/moor.schema.json`.")

    @Flag(help: "Accepted for symmetry with the other commands; the schema runs nothing.")
    var debug = false

    func run() async throws {
        Console.out(LabSchema.text)
    }
}
